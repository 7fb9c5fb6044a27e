"""The agent's worklist: negotiation cases waiting for a decision or for a call promised to the
customer (their deadline: the soonest expiry of an offer waiting on them, or the day the call is
due by) and complaints waiting for an answer (their decision or review
due date), each ordered by deadline first, then risk — for a case the loan's days past due and
balance, for a complaint its urgency and triage's regulatory-risk flags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from xieshang.complaints import service as complaints
from xieshang.complaints.schemas import ComplaintSummary
from xieshang.contacts import repository
from xieshang.customers.service import get_customer
from xieshang.domain.masking import mask_name
from xieshang.domain.money import to_yuan
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.loans import service as loans
from xieshang.models.negotiation import CaseStatus
from xieshang.negotiations import service as negotiations
from xieshang.negotiations.offers import LIVE
from xieshang.negotiations.schemas import NegotiationRead

WAITING = ("pending_approval",)


@dataclass(frozen=True)
class CaseItem:
    """A case on the worklist: its deadline and the loan's risk."""

    case_id: int
    loan_id: int
    loan_no: str
    customer_id: int
    customer: str
    """The customer's name, masked."""
    status: str
    deadline: date | None
    days_left: int | None
    days_past_due: int
    balance: str
    """Principal outstanding, yuan."""
    approval: str | None
    """The level the waiting offer needs (agent or supervisor); none for a countered case."""
    escalation_reason: str | None
    escalation_note: str | None
    callback_due: date | None = None
    """The day a call was promised to the customer by, while it is still owed."""


@dataclass(frozen=True)
class ComplaintItem:
    complaint: ComplaintSummary
    days_left: int


@dataclass(frozen=True)
class Worklist:
    today: date
    cases: list[CaseItem]
    complaints: list[ComplaintItem]


def worklist(ctx: Context, *, limit: int = 100) -> Worklist:
    """What the caller must act on: cases waiting for their decision (an offer at their level, or a
    customer's counter-proposal to answer) and complaints owed an answer, deadline first, then risk."""
    authorize(ctx, "workbench.worklist")
    today = ctx.today()
    waiting = negotiations.list_cases(ctx, awaiting=True, page_size=limit).items
    countered = negotiations.list_cases(ctx, status=CaseStatus.COUNTERED, page_size=limit).items
    calls = negotiations.callbacks_owed(ctx, limit=limit)
    seen: set[int] = set()
    items = []
    for case in [*calls, *waiting, *countered]:
        if case.id not in seen:
            seen.add(case.id)
            items.append(_case_item(ctx, case, today))
    items.sort(key=case_order)
    queue = complaints.queue(ctx, page_size=limit).items  # ordered by the complaints service
    return Worklist(
        today=today,
        cases=items[:limit],
        complaints=[ComplaintItem(c, (c.due - today).days) for c in queue],
    )


def case_order(item: CaseItem) -> tuple[bool, date, int, Decimal, int]:
    """Deadline first (none last), then risk: more days past due, then a larger balance."""
    return (
        item.deadline is None,
        item.deadline or date.max,
        -item.days_past_due,
        -Decimal(item.balance),
        item.case_id,
    )


def _case_item(ctx: Context, case: NegotiationRead, today: date) -> CaseItem:
    rows = repository.live_offers_of(ctx, case.id, LIVE)
    pending = [r for r in rows if r.status in WAITING]
    timed = pending or rows
    dates = [r.expires_on for r in timed] + ([case.callback_due] if case.callback_due else [])
    deadline = min(dates, default=None)
    escalated = next((r for r in pending if r.escalation_reason), None)
    approval = "supervisor" if any(r.approval == "supervisor" for r in pending) else None
    if approval is None and pending:
        approval = pending[0].approval
    loan_no, days_past_due, balance = _closed_risk(ctx, case.loan_id)
    customer = get_customer(ctx, case.customer_id)
    return CaseItem(
        case_id=case.id,
        loan_id=case.loan_id,
        loan_no=loan_no,
        customer_id=case.customer_id,
        customer=mask_name(customer.name),
        status=case.status,
        deadline=deadline,
        days_left=(deadline - today).days if deadline else None,
        days_past_due=days_past_due,
        balance=balance,
        approval=approval,
        escalation_reason=escalated.escalation_reason if escalated else None,
        escalation_note=escalated.escalation_note if escalated else None,
        callback_due=case.callback_due,
    )


def _closed_risk(ctx: Context, loan_id: int) -> tuple[str, int, str]:
    """A queue row's loan number, days past due and principal outstanding as of the last close of
    business, which keeps them on the loan (a queue of many cases replays no ledger); a loan no
    close has reached yet is replayed."""
    row = repository.closed_risk_of(ctx, loan_id)
    if row.status != "active":
        return row.loan_no, 0, "0.00"
    if row.closed_through is None:
        statement = loans.loan_statement(ctx, loan_id)
        return row.loan_no, statement.days_past_due, statement.outstanding_principal
    return row.loan_no, row.days_past_due, to_yuan(row.principal_outstanding)
