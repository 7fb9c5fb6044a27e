"""The workbench service: the worklist's order (deadline first, then risk) and a case seen whole."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.desk import PHONE, build_desk
from xieshang.complaints.service import list_complaints
from xieshang.contacts.workbench import case_picture
from xieshang.contacts.worklist import CaseItem, case_order, worklist
from xieshang.domain.errors import PermissionDenied
from xieshang.kit.context import Context
from xieshang.models.user import User
from xieshang.negotiations import service
from xieshang.negotiations.schemas import EscalateIn


def _as(ctx: Context, username: str) -> None:
    ctx.user = ctx.session.scalar(select(User).where(User.username == username))


def _item(case_id: int, deadline: date | None, dpd: int, balance: str) -> CaseItem:
    return CaseItem(
        case_id,
        1,
        "L1",
        1,
        "张*",
        "pending_approval",
        deadline,
        None,
        dpd,
        balance,
        "agent",
        None,
        None,
    )


def test_case_order_is_deadline_then_days_past_due_then_balance() -> None:
    items = [
        _item(1, None, 400, "90000.00"),
        _item(2, date(2026, 7, 1), 10, "100.00"),
        _item(3, date(2026, 6, 25), 5, "100.00"),
        _item(4, date(2026, 7, 1), 10, "100.01"),
        _item(5, date(2026, 7, 1), 90, "1.00"),
    ]
    assert [i.case_id for i in sorted(items, key=case_order)] == [3, 5, 4, 2, 1]


def test_the_worklist_orders_cases_and_complaints_by_deadline_then_risk(ctx: Context) -> None:
    desk = build_desk(ctx)
    _as(ctx, "wb-agent2")
    work = worklist(ctx)
    assert [c.case_id for c in work.cases] == [desk.soon, desk.risky, desk.calm]
    soon, risky, calm = work.cases
    assert soon.days_left == 2
    assert risky.days_left == calm.days_left == 7
    assert risky.days_past_due > calm.days_past_due > soon.days_past_due > 0
    assert risky.customer == "张*"
    ids = [c.complaint.id for c in work.complaints]
    assert ids == [desk.overdue_complaint, desk.threat_complaint, desk.plain_complaint]
    overdue, threat, _ = work.complaints
    assert overdue.days_left < 0
    assert "regulator_hotline" in threat.complaint.flags


def test_the_agent_who_entered_the_cases_does_not_see_them_to_approve(ctx: Context) -> None:
    build_desk(ctx)
    _as(ctx, "wb-agent")
    assert worklist(ctx).cases == [], "four-eyes: the agent who entered them cannot decide them"


def test_an_escalated_case_shows_its_reason_in_the_supervisors_worklist(ctx: Context) -> None:
    desk = build_desk(ctx)
    _as(ctx, "wb-agent2")
    case = service.get_case(ctx, desk.calm)
    for offer in case.offers:
        service.escalate(
            ctx, desk.calm, offer.id, EscalateIn(reason="suspected_fraud", note="payslips differ")
        )
    assert desk.calm not in [c.case_id for c in worklist(ctx).cases], "no longer the agent's"
    _as(ctx, "wb-super")
    mine = {c.case_id: c for c in worklist(ctx).cases}
    assert mine[desk.calm].escalation_reason == "suspected_fraud"
    assert mine[desk.calm].escalation_note == "payslips differ"
    assert mine[desk.calm].approval == "supervisor"


def test_the_case_picture_masks_personal_data_and_carries_the_engines_reasons(
    ctx: Context,
) -> None:
    desk = build_desk(ctx)
    _as(ctx, "wb-agent2")
    picture = case_picture(ctx, desk.risky)
    assert picture.customer.name == "张*"
    assert picture.customer.phone == PHONE[:3] + "****" + PHONE[-4:]
    assert desk.id_number not in picture.customer.id_number
    assert picture.customer.id_number.endswith(desk.id_number[-4:])
    assert [line.loan.id for line in picture.loans] == [desk.loan_id]
    assert picture.loans[0].days_past_due > 300
    assert [c.id for c in picture.complaints] == [
        desk.overdue_complaint,
        desk.threat_complaint,
        desk.plain_complaint,
    ]
    assert [t.kind for t in picture.ledger] == ["payment"]
    assert picture.statement is not None
    assert picture.statement.lines
    assert picture.engine is not None
    assert picture.engine.assessment is not None
    assert picture.recommended is not None
    assert picture.recommended.key == picture.engine.offers[0].id
    live = {o.id for o in service.get_case(ctx, desk.risky).offers}
    assert picture.recommended.offer_id in live
    assert set(picture.margins) == {o.id for o in picture.engine.offers}


def test_only_staff_see_the_case_picture(ctx: Context) -> None:
    desk = build_desk(ctx)
    _as(ctx, "wb-customer")
    with pytest.raises(PermissionDenied):
        case_picture(ctx, desk.risky)
    with pytest.raises(PermissionDenied):
        worklist(ctx)
    mine = list_complaints(ctx).items
    assert desk.threat_complaint in [c.id for c in mine]
    assert all(c.flags == [] for c in mine), "triage's risk flags are for staff"
