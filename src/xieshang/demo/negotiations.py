"""Demo negotiations: cases in the states people should see first — offers waiting for the customer,
an offer in the agents' approval queue, an agreement being kept, and customer1's own due-date
agreement — made through the real services."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from xieshang.agreements import service as agreement_service
from xieshang.agreements.schemas import AcceptIn
from xieshang.auth import repository as auth_repository
from xieshang.complaints.intake import file_complaint
from xieshang.complaints.schemas import ComplaintCreate
from xieshang.demo import repository
from xieshang.domain.accrual import ledger_as_of
from xieshang.kit.context import Context
from xieshang.loans.ledger import to_ledger
from xieshang.loans.repository import active_loan_ids
from xieshang.loans.service import require_loan
from xieshang.models.negotiation import CaseStatus
from xieshang.negotiations import service
from xieshang.negotiations.schemas import EscalateIn, NegotiationCreate, NegotiationRead

FINANCES = {
    "verified_income": "6000.00",
    "stated_income": "6500.00",
    "essential_expenses": "3800.00",
    "other_debt_service": "700.00",
}


@dataclass(frozen=True)
class DemoNegotiations:
    offered: int
    pending_approval: int
    agreements: int


def seed_negotiations(ctx: Context, as_of: date, customer_ids: list[int]) -> DemoNegotiations:
    """For the demo customers' overdue loans: a case with offers; for other overdue loans, a case
    waiting for an agent's approval and one accepted agreement (cases opened on the way to it whose
    offers all need a person stay in the queue too). Returns the cases by state."""
    overdue = [loan_id for loan_id in _active_loans(ctx) if _overdue(ctx, loan_id, as_of)]
    own = [i for i in overdue if require_loan(ctx, i).customer_id in customer_ids]
    others = [i for i in overdue if i not in own]
    agreements = 0
    for loan_id in own:
        _open(ctx, loan_id, as_of, temporary=True)
    # customer1 moved the due date of their current loan: an agreement of their own to read.
    current = [
        i
        for i in _active_loans(ctx)
        if i not in overdue and require_loan(ctx, i).customer_id == customer_ids[0]
    ]
    if current:
        agreements += _agree_due_date(ctx, current[0], as_of)
    if others:
        _open(ctx, others[0], as_of, temporary=False, new_debts=3)  # flags → an agent decides
    for loan_id in others[1:]:
        case = _open(ctx, loan_id, as_of, temporary=True)
        ready = [o for o in case.offers if o.status == "offered"]
        if not ready:
            continue  # this one waits for a person too; try the next loan
        sha = agreement_service.offer_terms(ctx, case.id, ready[0].id, "zh").sha256
        agreement_service.accept_offer(
            ctx, case.id, ready[0].id, AcceptIn(consent=True, terms_sha256=sha), None
        )
        agreements += 1
        break
    _fill_the_worklist(ctx, as_of, others)
    statuses = Counter(repository.case_statuses(ctx))
    return DemoNegotiations(
        statuses[CaseStatus.OFFERED] + statuses[CaseStatus.APPROVED],
        statuses[CaseStatus.PENDING_APPROVAL],
        agreements,
    )


def _agree_due_date(ctx: Context, loan_id: int, as_of: date) -> int:
    """The customer asks for another due date on the web and accepts the offer: 1 agreement."""
    case = _open(ctx, loan_id, as_of, temporary=True, due_day=18)
    offer = next((o for o in case.offers if o.key == "due_date" and o.status == "offered"), None)
    if offer is None:
        return 0
    loan = require_loan(ctx, loan_id)
    ctx.user = repository.login_of(ctx, loan.customer_id)
    try:
        sha = agreement_service.offer_terms(ctx, case.id, offer.id, "zh").sha256
        agreement_service.accept_offer(
            ctx, case.id, offer.id, AcceptIn(consent=True, terms_sha256=sha, channel="web"), None
        )
    finally:
        ctx.user = None
    return 1


def _fill_the_worklist(ctx: Context, as_of: date, others: list[int]) -> None:
    """Two more cases waiting for an agent (their risk apart: days past due, balance), and one an
    agent sent up to the supervisors with a reason, so the worklists have something to order."""
    taken = repository.loans_negotiated(ctx)
    free = [loan_id for loan_id in others if loan_id not in taken][:3]
    cases = [_open(ctx, loan_id, as_of, temporary=False, new_debts=3) for loan_id in free]
    agent = auth_repository.user_named(ctx, "agent1")
    if len(cases) < 3 or agent is None:
        return
    waiting = [o for o in cases[-1].offers if o.status == "pending_approval"]
    if not waiting:
        return
    ctx.user = agent
    try:
        service.escalate(
            ctx,
            cases[-1].id,
            waiting[0].id,
            EscalateIn(reason="vulnerable_customer", note="客户称家人住院，收入中断（演示）"),
        )
    finally:
        ctx.user = None


def _open(
    ctx: Context,
    loan_id: int,
    as_of: date,
    *,
    temporary: bool,
    new_debts: int = 0,
    due_day: int | None = None,
) -> NegotiationRead:
    loan = require_loan(ctx, loan_id)
    customer = repository.login_of(ctx, loan.customer_id)
    ctx.user = customer  # the customer asks (None for customers without a login: the system)
    try:
        return service.open_case(
            ctx,
            NegotiationCreate.model_validate(
                {
                    "loan_id": loan_id,
                    "as_of": as_of.isoformat(),
                    "finances": FINANCES,
                    "new_debts_recent": new_debts,
                    "request": {
                        "scenario": "hardship",
                        "hardship": "income_drop_temporary" if temporary else "job_loss",
                        "preferred_due_day": due_day,
                    },
                }
            ),
        )
    finally:
        ctx.user = None


def _active_loans(ctx: Context) -> list[int]:
    return active_loan_ids(ctx)


def _overdue(ctx: Context, loan_id: int, as_of: date) -> bool:
    return ledger_as_of(to_ledger(require_loan(ctx, loan_id)), as_of).days_past_due > 0


DEMO_COMPLAINTS = (
    "上个月的还款明明按时还了，系统却显示逾期，还收了罚息，请核实并退还。",
    "催收人员晚上十点多还打电话，还打给我同事，影响很坏，我要向12378投诉。",
    "我失业三个月了，想申请个性化分期，但是客服一直说不能协商。",
)


DEMO_RECEIVED_DAYS_AGO = (10, 4, 0)
"""Received on different days, so their deadlines differ in the worklist (none overdue yet)."""


def seed_complaints(ctx: Context, customer_ids: list[int]) -> int:
    """A few complaints, recorded as received by phone, for the staff queues."""
    for n, (text, days) in enumerate(zip(DEMO_COMPLAINTS, DEMO_RECEIVED_DAYS_AGO, strict=True)):
        file_complaint(
            ctx,
            ComplaintCreate(
                text=text,
                customer_id=customer_ids[n % len(customer_ids)],
                channel="phone",
                received_at=ctx.now() - timedelta(days=days),
            ),
        )
    return len(DEMO_COMPLAINTS)
