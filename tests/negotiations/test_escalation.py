"""An agent escalates an offer to a supervisor: authorized, audited, and then a supervisor's to decide."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.desk import build_desk
from xieshang.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from xieshang.kit.context import Context
from xieshang.models.audit import AuditEntry
from xieshang.models.negotiation import NegotiationOffer
from xieshang.models.user import User
from xieshang.negotiations import service
from xieshang.negotiations.schemas import EscalateIn


def _as(ctx: Context, username: str) -> None:
    ctx.user = ctx.session.scalar(select(User).where(User.username == username))


def _pending(ctx: Context, case_id: int) -> int:
    case = service.get_case(ctx, case_id)
    return next(o.id for o in case.offers if o.status == "pending_approval")


def test_an_escalated_offer_waits_for_a_supervisor_and_says_why(ctx: Context) -> None:
    desk = build_desk(ctx)
    _as(ctx, "wb-agent2")
    offer_id = _pending(ctx, desk.risky)
    service.escalate(
        ctx, desk.risky, offer_id, EscalateIn(reason="vulnerable_customer", note="recently ill")
    )
    row = ctx.session.get(NegotiationOffer, offer_id)
    assert row is not None
    assert (row.approval, row.status, row.escalation_reason) == (
        "supervisor",
        "pending_approval",
        "vulnerable_customer",
    )
    assert row.escalation_note == "recently ill"
    assert ctx.user is not None
    assert row.escalated_by == ctx.user.id
    entry = ctx.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "negotiation.offer.escalated")
    ).one()
    assert json.loads(entry.details)["reason"] == "vulnerable_customer"
    with pytest.raises(PermissionDenied, match="supervisor"):
        service.decide(ctx, desk.risky, offer_id, approve=True, note="")
    with pytest.raises(Conflict, match="already waits for a supervisor"):
        service.escalate(ctx, desk.risky, offer_id, EscalateIn(reason="other", note="again"))
    _as(ctx, "wb-super")
    decided = service.decide(ctx, desk.risky, offer_id, approve=True, note="checked")
    assert next(o for o in decided.offers if o.id == offer_id).status == "approved"
    shown = service.get_case(ctx, desk.risky).model_dump_json()
    assert "recently ill" not in shown, "the reason stays with staff, never in the case's API"


def test_escalation_is_an_agents_and_other_needs_a_note(ctx: Context) -> None:
    desk = build_desk(ctx)
    _as(ctx, "wb-agent2")
    offer_id = _pending(ctx, desk.calm)
    with pytest.raises(InvalidInput, match="note"):
        service.escalate(ctx, desk.calm, offer_id, EscalateIn(reason="other"))
    _as(ctx, "wb-super")
    with pytest.raises(PermissionDenied):
        service.escalate(ctx, desk.calm, offer_id, EscalateIn(reason="suspected_fraud"))
    _as(ctx, "wb-customer")  # not their case: it does not exist for them
    with pytest.raises(NotFound):
        service.escalate(ctx, desk.calm, offer_id, EscalateIn(reason="suspected_fraud"))
