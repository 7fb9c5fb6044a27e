"""Offers on a case and the people who decide them: approve, reject, adjust; the customer declines
or counters; stale offers expire.

A case moves through explicit states — submitted → evaluated → offered → accepted / declined /
countered / expired, or → pending approval → approved / rejected — and every move leaves an audit row.
Four-eyes: whoever proposed an offer (adjusted it, or entered the case for the customer) never
approves it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from xieshang.audit.service import record
from xieshang.domain.errors import (
    CaseClosed,
    EscalationPending,
    InvalidInput,
    OfferNotLive,
    PermissionDenied,
)
from xieshang.domain.money import display_yuan, yuan
from xieshang.domain.negotiation.engine import adjusted_offer
from xieshang.domain.negotiation.reasons import Reason
from xieshang.domain.negotiation.waterfall import PlanShape
from xieshang.domain.rates import parse_rate
from xieshang.feedback.service import invite_after_negotiation
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.models.negotiation import (
    CaseStatus,
    NegotiationCase,
    NegotiationEvaluation,
    NegotiationOffer,
    OfferStatus,
)
from xieshang.models.user import Role
from xieshang.negotiations import repository
from xieshang.negotiations.case_input import parse_case
from xieshang.negotiations.reads import offer_read, render
from xieshang.negotiations.schemas import AdjustIn, CounterIn, EscalateIn, EvaluationRead, OfferRead
from xieshang.notifications.service import notify
from xieshang.policy.in_force import policy_in_force

LEVEL = {"automatic": 0, "agent": 1, "supervisor": 2}
ROLE_LEVEL = {Role.AGENT: 1, Role.SUPERVISOR: 2}
LIVE = (OfferStatus.OFFERED, OfferStatus.PENDING_APPROVAL, OfferStatus.APPROVED)
"""Offer states that may still become an agreement."""
CLOSED_CASE = (CaseStatus.ACCEPTED, CaseStatus.DECLINED, CaseStatus.EXPIRED)


def make_offers(
    ctx: Context,
    case: NegotiationCase,
    evaluation: NegotiationEvaluation,
    offers: list[OfferRead],
    proposed_by: int | None,
) -> list[NegotiationOffer]:
    """Record the evaluation's offers on the case: automatic ones are offered at once, the rest wait
    in the queue of the role that may approve them."""
    valid = policy_in_force(ctx).offer_valid_days
    rows = []
    for offer in offers:
        if offer.installation is None:
            continue
        row = NegotiationOffer(
            case_id=case.id,
            evaluation_id=evaluation.id,
            offer_key=offer.id,
            approval=offer.approval,
            status=OfferStatus.OFFERED
            if offer.approval == "automatic"
            else OfferStatus.PENDING_APPROVAL,
            proposed_by=proposed_by,
            decision_note="",
            expires_on=ctx.today() + timedelta(days=valid),
            created_at=ctx.now(),
            version=1,
        )
        ctx.session.add(row)
        rows.append(row)
    ctx.session.flush()
    for row in rows:
        record(
            ctx,
            "negotiation.offer",
            "negotiation",
            case.id,
            after={"offer": row.id, "key": row.offer_key, "status": row.status},
        )
    return rows


def withdraw_open_offers(ctx: Context, case: NegotiationCase, why: str) -> None:
    for row in live_offers(ctx, case.id):
        _set(ctx, case, row, OfferStatus.WITHDRAWN, why)


def live_offers(ctx: Context, case_id: int) -> list[NegotiationOffer]:
    return repository.live_offers(ctx, case_id, LIVE)


def settle_status(
    ctx: Context, case: NegotiationCase, *, otherwise: CaseStatus | None = None
) -> None:
    """The case's state from its offers: offered if one may be accepted now, approved if one was
    approved by a person, pending approval if one waits for a person; else ``otherwise``."""
    statuses = {row.status for row in live_offers(ctx, case.id)}
    if OfferStatus.OFFERED in statuses:
        new = CaseStatus.OFFERED
    elif OfferStatus.APPROVED in statuses:
        new = CaseStatus.APPROVED
    elif OfferStatus.PENDING_APPROVAL in statuses:
        new = CaseStatus.PENDING_APPROVAL
    else:
        new = otherwise or case.status
    move(ctx, case, new)


def move(ctx: Context, case: NegotiationCase, status: CaseStatus) -> None:
    if case.status == status:
        return
    record(
        ctx,
        "negotiation.status",
        "negotiation",
        case.id,
        before={"status": case.status},
        after={"status": status},
    )
    case.status = status


def approve(ctx: Context, case: NegotiationCase, row: NegotiationOffer, note: str) -> None:
    authorize(ctx, "negotiations.approve")
    _require_pending(row)
    _may_decide(ctx, row)
    row.decided_by = ctx.user_id
    row.decided_at = ctx.now()
    _set(ctx, case, row, OfferStatus.APPROVED, note)
    settle_status(ctx, case)
    notify(
        ctx,
        case.customer_id,
        "offer_approved",
        {"loan_no": _loan_no(ctx, case), "expires_on": row.expires_on.isoformat()},
    )


def reject(ctx: Context, case: NegotiationCase, row: NegotiationOffer, note: str) -> None:
    authorize(ctx, "negotiations.reject")
    _require_pending(row)
    _may_decide(ctx, row)
    row.decided_by = ctx.user_id
    row.decided_at = ctx.now()
    _set(ctx, case, row, OfferStatus.REJECTED, note)
    settle_status(ctx, case, otherwise=CaseStatus.REJECTED)
    notify(ctx, case.customer_id, "offer_rejected", {"loan_no": _loan_no(ctx, case), "note": note})


def adjust(ctx: Context, case: NegotiationCase, data: AdjustIn) -> NegotiationOffer:
    """A person shapes a plan; the engine re-checks it (regulation, NPV, authority) before it can be
    offered. Within the adjuster's own authority and above the baseline NPV it is offered at once;
    otherwise it waits for someone else with the authority it needs."""
    authorize(ctx, "negotiations.adjust")
    assert ctx.user is not None
    _require_open(case)
    policy = policy_in_force(ctx)
    checked = preview(ctx, case, data)
    evaluation = NegotiationEvaluation(
        case_id=case.id,
        as_of=checked.as_of,
        policy_version=policy.version,
        policy_digest=policy.digest,
        result=EvaluationRead(
            policy_version=policy.version,
            policy_digest=policy.digest,
            as_of=checked.as_of,
            assessment=None,
            baseline=None,
            offers=[checked.offer],
            counter_offer=None,
            reasons=render([Reason("ADJUSTED_PLAN", _params(checked.shape))], policy),
        ).stored(),
        evaluated_by=ctx.user.id,
        evaluated_at=ctx.now(),
    )
    ctx.session.add(evaluation)
    ctx.session.flush()
    (row,) = make_offers(
        ctx,
        case,
        evaluation,
        [checked.offer.model_copy(update={"approval": checked.needed})],
        proposed_by=ctx.user.id,
    )
    if (
        checked.direct
    ):  # within the adjuster's own authority: the engine's re-check is the second look
        row.status = OfferStatus.OFFERED
        row.decided_by = ctx.user.id
        row.decided_at = ctx.now()
    else:
        row.status = OfferStatus.PENDING_APPROVAL
    row.decision_note = data.note
    record(
        ctx,
        "negotiation.adjust",
        "negotiation",
        case.id,
        after={"offer": row.id, "shape": data.model_dump(mode="json"), "approval": checked.needed},
    )
    settle_status(ctx, case)
    return row


@dataclass(frozen=True)
class Checked:
    """An adjusted plan as the engine judged it: the offer, who must approve it, and whether the
    adjuster's own authority is enough."""

    as_of: date
    shape: PlanShape
    offer: OfferRead
    needed: str
    direct: bool


def preview(ctx: Context, case: NegotiationCase, data: AdjustIn) -> Checked:
    """Run an adjusted plan through the engine without storing anything (the live re-check)."""
    authorize(ctx, "negotiations.adjust")
    assert ctx.user is not None
    policy = policy_in_force(ctx)
    domain_case = parse_case(json.loads(case.input_snapshot))
    shape = PlanShape(
        months=data.months,
        rate=parse_rate(data.annual_rate, field="annual_rate"),
        waive=data.waive,
        capitalise=policy.waterfall.capitalise_arrears,
        forbear=yuan(data.forbear, "forbear"),
        grace=data.grace_months,
    )
    if shape.grace >= shape.months:
        raise InvalidInput("grace_months", "must be fewer than the months")
    if shape.forbear < 0:
        raise InvalidInput("forbear", "cannot be negative")
    result = adjusted_offer(domain_case, policy, shape)
    if isinstance(result, Reason):
        text = render([result], policy)[0]
        raise InvalidInput("plan", f"{text.text_en} ({text.code})")
    offer = offer_read(result, policy)
    below_baseline = any(r.code == "NPV_BELOW_BASELINE" for r in offer.reasons)
    needed = "supervisor" if below_baseline else offer.approval
    direct = LEVEL[needed] <= ROLE_LEVEL.get(ctx.user.role, 0) and not below_baseline
    return Checked(domain_case.as_of, shape, offer, needed, direct)


def escalate(ctx: Context, case: NegotiationCase, row: NegotiationOffer, data: EscalateIn) -> None:
    """An agent sends a live offer up to a supervisor with a reason (outside their authority,
    suspected fraud, a vulnerable customer…): it waits for a supervisor's approval, whatever level the
    engine routed it to, and no one below a supervisor can approve it any more."""
    authorize(ctx, "negotiations.escalate")
    _require_open(case)
    if row.status not in LIVE:
        raise OfferNotLive(row.id, row.status, "only a live offer can be escalated")
    if row.approval == "supervisor" and row.status == "pending_approval":
        raise EscalationPending(row.id)
    if data.reason == "other" and not data.note.strip():
        raise InvalidInput("note", "say why when the reason is 'other'")
    before = {"offer": row.id, "status": row.status, "approval": row.approval}
    row.approval = "supervisor"
    row.status = OfferStatus.PENDING_APPROVAL
    row.escalated_by = ctx.user_id
    row.escalated_at = ctx.now()
    row.escalation_reason = data.reason
    row.escalation_note = data.note.strip()
    record(
        ctx,
        "negotiation.offer.escalated",
        "negotiation",
        case.id,
        before=before,
        after={
            "offer": row.id,
            "status": row.status,
            "approval": row.approval,
            "reason": data.reason,
            "note": row.escalation_note,
        },
        details={"offer": row.id, "reason": data.reason},
    )
    settle_status(ctx, case)


def decline(ctx: Context, case: NegotiationCase, note: str) -> None:
    authorize(ctx, "negotiations.decline")
    _require_open(case)
    for row in live_offers(ctx, case.id):
        _set(ctx, case, row, OfferStatus.DECLINED, note)
    move(ctx, case, CaseStatus.DECLINED)
    invite_after_negotiation(ctx, case.customer_id, case.id)


def counter(ctx: Context, case: NegotiationCase, data: CounterIn) -> dict[str, Any]:
    """The customer proposes their own payment or term. Returns the case input with the proposal,
    for the engine to answer; the case goes to staff with that answer (an agent turns an acceptable
    counter into an adjusted offer). Open offers stay open meanwhile."""
    authorize(ctx, "negotiations.counter")
    _require_open(case)
    if data.monthly_payment is None and data.months is None:
        raise InvalidInput("monthly_payment", "give a monthly payment, a number of months or both")
    snapshot: dict[str, Any] = json.loads(case.input_snapshot)
    snapshot["request"]["proposal"] = data.model_dump(mode="json")
    case.input_snapshot = json.dumps(snapshot, ensure_ascii=False, sort_keys=True)
    move(ctx, case, CaseStatus.COUNTERED)
    return snapshot


def expire(ctx: Context, case: NegotiationCase, on: date) -> int:
    """Expire the case's offers whose acceptance window ended before ``on`` (the nightly job)."""
    expired = 0
    for row in live_offers(ctx, case.id):
        if row.expires_on < on:
            _set(ctx, case, row, OfferStatus.EXPIRED, "not accepted in time")
            expired += 1
    if expired:
        settle_status(ctx, case, otherwise=CaseStatus.EXPIRED)
        if case.status == "expired":
            invite_after_negotiation(ctx, case.customer_id, case.id)
    return expired


def _set(
    ctx: Context, case: NegotiationCase, row: NegotiationOffer, status: OfferStatus, note: str
) -> None:
    record(
        ctx,
        f"negotiation.offer.{status}",
        "negotiation",
        case.id,
        before={"offer": row.id, "status": row.status},
        after={"offer": row.id, "status": status, "note": note},
    )
    row.status = status
    if note:
        row.decision_note = note


def _require_pending(row: NegotiationOffer) -> None:
    if row.status != "pending_approval":
        raise OfferNotLive(row.id, row.status, "only an offer pending approval")


def _require_open(case: NegotiationCase) -> None:
    if case.status in CLOSED_CASE:
        raise CaseClosed(case.id, case.status)


def _may_decide(ctx: Context, row: NegotiationOffer) -> None:
    assert ctx.user is not None
    if ROLE_LEVEL.get(ctx.user.role, 0) < LEVEL[row.approval]:
        raise PermissionDenied(f"offer {row.id} needs a {row.approval}'s approval")
    if row.proposed_by == ctx.user.id:
        raise PermissionDenied(
            f"four-eyes: you proposed offer {row.id}; someone else must approve or reject it"
        )


def _loan_no(ctx: Context, case: NegotiationCase) -> str:
    return repository.loan_by_id(ctx, case.loan_id).loan_no


def _params(shape: PlanShape) -> dict[str, str]:
    rate = f"{(shape.rate * 100).normalize():f}%"
    params = {"months": str(shape.months), "rate": rate}
    if shape.forbear:
        params["forbear"] = display_yuan(shape.forbear)
    return params
