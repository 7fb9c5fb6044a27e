"""The agent's workbench (its worklist is in ``worklist.py``).

A customer seen whole, for staff (:func:`customer_picture`, reached by looking them up when they
phone in): their masked picture, loans, negotiations, agreements, complaints and latest contacts.

A case seen whole, for staff: the customer's picture with personal data masked (never unmasked here:
unmasking is ``customers.reveal_pii``, audited, and not an agent's), their loans with days past due,
earlier negotiations and agreements, open complaints, the loan's ledger, and the engine's own
evaluation — its recommendation (the offer it ranks first) and every reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from xieshang.complaints import intake
from xieshang.complaints import reads as complaint_reads
from xieshang.complaints import service as complaints
from xieshang.complaints.schemas import ComplaintCreate, ComplaintSummary
from xieshang.contacts import repository
from xieshang.contacts.reads import AgreementLine, EarlierCase, Escalation, earlier_case, escalation
from xieshang.contacts.schemas import ContactRead
from xieshang.contacts.service import contact_log
from xieshang.customers.schemas import CustomerPii, CustomerRead
from xieshang.customers.service import get_customer, list_customers, reveal_pii
from xieshang.domain.masking import mask_email, mask_name
from xieshang.kit.access import OPERATIONS, authorize
from xieshang.kit.context import Context
from xieshang.loans import service as loans
from xieshang.loans.schemas import LoanRead, StatementRead, TransactionRead
from xieshang.models.complaint import Complaint
from xieshang.models.negotiation import NegotiationCase
from xieshang.negotiations import service as negotiations
from xieshang.negotiations.schemas import EvaluationRead, OfferRead

RECENT_CONTACTS = 5


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
    cases = repository.cases_of(ctx, customer_id, except_case=except_case)
    earlier = [earlier_case(ctx, c) for c in cases]
    agreements = [
        AgreementLine.model_validate(a) for a in repository.agreements_of(ctx, customer_id)
    ]
    queued = [s.value for s in complaints.QUEUED]
    open_complaints = [
        complaint_reads.summary(ctx, c) for c in repository.complaints_in(ctx, customer_id, queued)
    ]
    answered = [
        complaint_reads.summary(ctx, c)
        for c in repository.complaints_not_in(ctx, customer_id, queued)
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


def _risk(ctx: Context, loan: LoanRead) -> tuple[int, str]:
    """Days past due and principal outstanding, from the ledger as of today."""
    if loan.status != "active":
        return 0, "0.00"
    statement = loans.loan_statement(ctx, loan.id)
    return statement.days_past_due, statement.outstanding_principal


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
    for row in repository.evaluations_of(ctx, case.id):
        evaluation = EvaluationRead.model_validate_json(row.result)
        if evaluation.assessment is None:
            continue
        if not evaluation.offers:
            return evaluation, None
        first = evaluation.offers[0]
        offer = repository.offer_made_from(ctx, row.id, first.id)
        return evaluation, Recommendation(first.id, first, offer.id if offer else None)
    return None, None


def _margins(engine: EvaluationRead | None) -> dict[str, str]:
    if engine is None or engine.baseline is None:
        return {}
    baseline = Decimal(engine.baseline.npv)
    return {offer.id: str(Decimal(offer.npv) - baseline) for offer in engine.offers}


def _escalations(ctx: Context, case_id: int) -> dict[int, Escalation]:
    return {
        row.id: escalation(ctx, row, username)
        for row, username in repository.escalated_offers(ctx, case_id)
    }
