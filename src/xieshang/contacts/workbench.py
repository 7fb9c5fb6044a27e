"""The agent's workbench.

The worklist: negotiation cases waiting for a decision (their deadline: the soonest expiry of an offer
waiting on them) and complaints waiting for an answer (their decision or review due date), each
ordered by deadline first, then risk — for a case the loan's days past due and balance, for a
complaint its urgency and triage's regulatory-risk flags.

A customer seen whole, for staff (:func:`customer_picture`, reached by looking them up when they
phone in): their masked picture, loans, negotiations, agreements, complaints and latest contacts.

A case seen whole, for staff: the customer's picture with personal data masked (never unmasked here:
unmasking is ``customers.reveal_pii``, audited, and not an agent's), their loans with days past due,
earlier negotiations and agreements, open complaints, the loan's ledger, and the engine's own
evaluation — its recommendation (the offer it ranks first) and every reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from xieshang.complaints import intake
from xieshang.complaints import reads as complaint_reads
from xieshang.complaints import service as complaints
from xieshang.complaints.schemas import ComplaintCreate, ComplaintSummary
from xieshang.contacts.schemas import ContactRead
from xieshang.contacts.service import contact_log
from xieshang.customers.schemas import CustomerPii, CustomerRead
from xieshang.customers.service import get_customer, list_customers, reveal_pii
from xieshang.domain.masking import mask_email, mask_name
from xieshang.domain.money import to_yuan
from xieshang.kit.access import OPERATIONS, authorize
from xieshang.kit.context import Context
from xieshang.loans import service as loans
from xieshang.loans.schemas import LoanRead, StatementRead, TransactionRead
from xieshang.models.complaint import Complaint
from xieshang.models.loan import Loan
from xieshang.models.negotiation import (
    Agreement,
    CaseStatus,
    NegotiationCase,
    NegotiationEvaluation,
    NegotiationOffer,
    OfferStatus,
)
from xieshang.models.user import User
from xieshang.negotiations import service as negotiations
from xieshang.negotiations.offers import LIVE
from xieshang.negotiations.schemas import EvaluationRead, NegotiationRead, OfferRead

WAITING = ("pending_approval",)
RECENT_CONTACTS = 5


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
    seen: set[int] = set()
    items = []
    for case in [*waiting, *countered]:
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
    rows = list(
        ctx.session.scalars(
            select(NegotiationOffer).where(
                NegotiationOffer.case_id == case.id, NegotiationOffer.status.in_(LIVE)
            )
        )
    )
    pending = [r for r in rows if r.status in WAITING]
    timed = pending or rows
    deadline = min((r.expires_on for r in timed), default=None)
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
    )


def _closed_risk(ctx: Context, loan_id: int) -> tuple[str, int, str]:
    """A queue row's loan number, days past due and principal outstanding as of the last close of
    business, which keeps them on the loan (a queue of many cases replays no ledger); a loan no
    close has reached yet is replayed."""
    row = ctx.session.execute(
        select(
            Loan.loan_no,
            Loan.status,
            Loan.closed_through,
            Loan.days_past_due,
            Loan.principal_outstanding,
        ).where(Loan.id == loan_id)
    ).one()
    if row.status != "active":
        return row.loan_no, 0, "0.00"
    if row.closed_through is None:
        statement = loans.loan_statement(ctx, loan_id)
        return row.loan_no, statement.days_past_due, statement.outstanding_principal
    return row.loan_no, row.days_past_due, to_yuan(row.principal_outstanding)


def _risk(ctx: Context, loan: LoanRead) -> tuple[int, str]:
    """Days past due and principal outstanding, from the ledger as of today."""
    if loan.status != "active":
        return 0, "0.00"
    statement = loans.loan_statement(ctx, loan.id)
    return statement.days_past_due, statement.outstanding_principal


@dataclass(frozen=True)
class CustomerPicture:
    """The customer as an agent sees them: personal data masked."""

    id: int
    customer_no: str
    name: str
    id_number: str
    phone: str
    email: str | None
    province: str
    city: str
    since: date
    language: str


@dataclass(frozen=True)
class LoanLine:
    loan: LoanRead
    days_past_due: int
    balance: str


@dataclass(frozen=True)
class EarlierCase:
    id: int
    loan_id: int
    scenario: str
    status: str
    created_on: date


@dataclass(frozen=True)
class AgreementLine:
    id: int
    case_id: int
    loan_id: int
    kind: str
    status: str
    """active or late (being kept), completed (kept), broken."""
    start_date: date
    broken_on: date | None


@dataclass(frozen=True)
class Escalation:
    offer_id: int
    reason: str
    note: str
    by: str
    at: datetime


@dataclass(frozen=True)
class Recommendation:
    """The offer the engine ranks first, and the live offer on the case that carries it (none if
    it was withdrawn or never offered)."""

    key: str
    offer: OfferRead
    offer_id: int | None


@dataclass(frozen=True)
class CustomerOverview:
    """A customer seen whole, for staff: personal data masked."""

    customer: CustomerPicture
    loans: list[LoanLine]
    cases: list[EarlierCase]
    agreements: list[AgreementLine]
    complaints: list[ComplaintSummary]
    """Open: staff still owe an answer, soonest due first."""
    answered_complaints: list[ComplaintSummary]
    """Decided, closed or withdrawn, latest received first."""
    contacts: list[ContactRead]
    """The latest contacts, newest first (the whole log is the contact log's)."""
    contacts_total: int
    may_reveal: bool
    """Whether the caller may unmask the personal data (``customers.pii``, audited)."""
    may_record_complaint: bool
    """Whether the caller may record a complaint received by phone, in branch or by letter."""


@dataclass(frozen=True)
class CasePicture:
    customer: CustomerPicture
    loans: list[LoanLine]
    cases: list[EarlierCase]
    agreements: list[AgreementLine]
    complaints: list[ComplaintSummary]
    ledger: list[TransactionRead]
    statement: StatementRead | None
    engine: EvaluationRead | None
    recommended: Recommendation | None
    margins: dict[str, str]
    """Each engine offer's NPV less the baseline's (yuan): above zero, the offer recovers more."""
    escalations: dict[int, Escalation]


def customer_picture(
    ctx: Context, customer_id: int, *, except_case: int | None = None
) -> CustomerOverview:
    """A customer seen whole, for staff, personal data masked: their loans with days past due and
    balance, negotiations (all but ``except_case``, the one being looked at) and agreements,
    complaints open and answered, and the latest contacts."""
    authorize(ctx, "workbench.customer")
    customer = _masked(get_customer(ctx, customer_id))
    lines = []
    for loan in loans.list_loans(ctx, customer_id=customer_id, page_size=100).items:
        days_past_due, balance = _risk(ctx, loan)
        lines.append(LoanLine(loan, days_past_due, balance))
    cases = select(NegotiationCase).where(NegotiationCase.customer_id == customer_id)
    if except_case is not None:
        cases = cases.where(NegotiationCase.id != except_case)
    earlier = [
        EarlierCase(c.id, c.loan_id, c.scenario, c.status, ctx.local(c.created_at).date())
        for c in ctx.session.scalars(cases.order_by(NegotiationCase.id.desc()))
    ]
    agreements = [
        AgreementLine(a.id, a.case_id, a.loan_id, a.kind, a.status, a.start_date, a.broken_on)
        for a in ctx.session.scalars(
            select(Agreement)
            .where(Agreement.customer_id == customer_id)
            .order_by(Agreement.id.desc())
        )
    ]
    queued = [s.value for s in complaints.QUEUED]
    open_complaints = [
        complaint_reads.summary(ctx, c)
        for c in ctx.session.scalars(
            select(Complaint)
            .where(Complaint.customer_id == customer_id, Complaint.status.in_(queued))
            .order_by(Complaint.decision_due)
        )
    ]
    answered = [
        complaint_reads.summary(ctx, c)
        for c in ctx.session.scalars(
            select(Complaint)
            .where(Complaint.customer_id == customer_id, Complaint.status.not_in(queued))
            .order_by(Complaint.received_at.desc(), Complaint.id.desc())
        )
    ]
    log = contact_log(ctx, customer_id, page_size=RECENT_CONTACTS)
    return CustomerOverview(
        customer=customer,
        loans=lines,
        cases=earlier,
        agreements=agreements,
        complaints=open_complaints,
        answered_complaints=answered,
        contacts=log.items,
        contacts_total=log.total,
        may_reveal=_may(ctx, "customers.pii"),
        may_record_complaint=_may(ctx, "complaints.create"),
    )


def _may(ctx: Context, operation: str) -> bool:
    """Whether the signed-in member of staff may do ``operation`` (pages show its button)."""
    return ctx.user is None or ctx.user.role in OPERATIONS[operation]


@dataclass(frozen=True)
class CustomerSearch:
    """Customers found, masked, one page of them."""

    query: str
    customers: list[CustomerPicture]
    total: int
    page: int
    pages: int


def find_customers(ctx: Context, query: str, page: int = 1, page_size: int = 20) -> CustomerSearch:
    """Staff look a customer up (when they phone in) by name, customer number or exact resident ID
    number (by its keyed digest: nothing is decrypted to search); what is shown is masked."""
    authorize(ctx, "workbench.customer")
    query = query.strip()
    if not query:
        return CustomerSearch(query, [], 0, 1, 0)
    found = list_customers(ctx, q=query, page=page, page_size=page_size)
    pages = -(-found.total // page_size)
    return CustomerSearch(query, [_masked(c) for c in found.items], found.total, page, pages)


def reveal(ctx: Context, customer_id: int) -> CustomerPii:
    """The customer page's unmasking, for staff whose role may (audited by the customers service);
    a customer reads their own data through the API, not through the staff page."""
    authorize(ctx, "workbench.customer")
    return reveal_pii(ctx, customer_id)


def record_complaint(ctx: Context, data: ComplaintCreate) -> Complaint:
    """Staff on the customer page record a complaint received by phone, in branch or by letter:
    intake triages it and starts its clock from when it was really received."""
    authorize(ctx, "workbench.customer")
    return intake.file_complaint(ctx, data)


def _masked(read: CustomerRead) -> CustomerPicture:
    return CustomerPicture(
        id=read.id,
        customer_no=read.customer_no,
        name=mask_name(read.name),
        id_number=read.id_number,  # masked by the customers service
        phone=read.phone,  # masked by the customers service
        email=mask_email(read.email) if read.email else None,
        province=read.province,
        city=read.city,
        since=read.since,
        language=read.language,
    )


def case_picture(ctx: Context, case_id: int) -> CasePicture:
    """Everything staff need beside a case, personal data masked."""
    authorize(ctx, "workbench.case")
    case = negotiations.require_case(ctx, case_id)
    whole = customer_picture(ctx, case.customer_id, except_case=case.id)
    loan = loans.get_loan(ctx, case.loan_id)
    statement = loans.loan_statement(ctx, case.loan_id) if loan.status == "active" else None
    engine, recommended = _engine(ctx, case)
    return CasePicture(
        customer=whole.customer,
        loans=whole.loans,
        cases=whole.cases,
        agreements=whole.agreements,
        complaints=whole.complaints,
        ledger=loans.transactions(ctx, case.loan_id),
        statement=statement,
        engine=engine,
        recommended=recommended,
        margins=_margins(engine),
        escalations=_escalations(ctx, case.id),
    )


def _engine(
    ctx: Context, case: NegotiationCase
) -> tuple[EvaluationRead | None, Recommendation | None]:
    """The engine's latest own evaluation (an adjusted plan's carries no assessment) and the offer
    it ranks first: the engine lists its offers best first (the plan meeting the target payment,
    then a grace period, a settlement, a due-date change)."""
    for row in ctx.session.scalars(
        select(NegotiationEvaluation)
        .where(NegotiationEvaluation.case_id == case.id)
        .order_by(NegotiationEvaluation.id.desc())
    ):
        evaluation = EvaluationRead.model_validate_json(row.result)
        if evaluation.assessment is None:
            continue
        if not evaluation.offers:
            return evaluation, None
        first = evaluation.offers[0]
        offer = ctx.session.scalar(
            select(NegotiationOffer).where(
                NegotiationOffer.evaluation_id == row.id,
                NegotiationOffer.offer_key == first.id,
                NegotiationOffer.status != OfferStatus.WITHDRAWN,
            )
        )
        return evaluation, Recommendation(first.id, first, offer.id if offer else None)
    return None, None


def _margins(engine: EvaluationRead | None) -> dict[str, str]:
    if engine is None or engine.baseline is None:
        return {}
    baseline = Decimal(engine.baseline.npv)
    return {offer.id: str(Decimal(offer.npv) - baseline) for offer in engine.offers}


def _escalations(ctx: Context, case_id: int) -> dict[int, Escalation]:
    found = {}
    for row, username in ctx.session.execute(
        select(NegotiationOffer, User.username)
        .join(User, User.id == NegotiationOffer.escalated_by, isouter=True)
        .where(NegotiationOffer.case_id == case_id, NegotiationOffer.escalation_reason.is_not(None))
    ):
        assert row.escalation_reason is not None
        assert row.escalated_at is not None
        found[row.id] = Escalation(
            offer_id=row.id,
            reason=row.escalation_reason,
            note=row.escalation_note or "",
            by=username or "system",
            at=ctx.local(row.escalated_at),
        )
    return found
