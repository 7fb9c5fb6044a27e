"""Loan use cases: products, loans with their schedules, payments, statements."""

from __future__ import annotations

import json
import uuid
from datetime import date

from sqlalchemy.orm.attributes import flag_modified

from xieshang.audit.service import record
from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.allocation import AllocationOrder
from xieshang.domain.disclosure import in_force
from xieshang.domain.errors import AlreadyExists, InvalidInput, NotFound
from xieshang.domain.money import Fen, to_yuan, yuan
from xieshang.domain.rates import parse_rate
from xieshang.domain.schedule import LoanTerms, Schedule, build_schedule
from xieshang.domain.statement import itemised_statement
from xieshang.kit.access import authorize, require_customer_access
from xieshang.kit.context import Context
from xieshang.kit.idempotency import Answered, once, request_digest
from xieshang.kit.repository import page_of
from xieshang.loans import disclosure, repository
from xieshang.loans.ledger import installment_rows, product_terms, terms_in_force, to_ledger
from xieshang.loans.loanfile import terms_file
from xieshang.loans.reads import disclosure_read, loan_read, transaction_read
from xieshang.loans.schemas import (
    DisclosureRead,
    LoanCreate,
    LoanDetail,
    LoanPage,
    PaymentCreate,
    ProductCreate,
    ScheduleRead,
    StatementRead,
    TransactionRead,
)
from xieshang.models.loan import (
    Loan,
    LoanProduct,
    LoanStatus,
    LoanTransaction,
    ProductKind,
    TransactionKind,
)


def add_product(ctx: Context, data: ProductCreate) -> LoanProduct:
    """Register a loan product (flush only)."""
    if repository.product_code_taken(ctx, data.code):
        raise AlreadyExists(f"product code {data.code} is taken")
    AllocationOrder.parse(data.allocation_order)
    multiple = yuan(data.installment_multiple, "installment_multiple")
    if multiple <= 0:
        raise InvalidInput("installment_multiple", "must be more than zero")
    product = LoanProduct(
        **data.model_dump(exclude={"installment_multiple", "kind"}),
        kind=ProductKind(data.kind),
        installment_multiple=multiple,
    )
    ctx.session.add(product)
    ctx.session.flush()
    record(ctx, "product.create", "product", product.id, after=data.model_dump(mode="json"))
    return product


def add_loan(ctx: Context, data: LoanCreate) -> Loan:
    """Book a loan and its contractual schedule (flush only)."""
    if repository.loan_no_taken(ctx, data.loan_no):
        raise AlreadyExists(f"loan number {data.loan_no} is taken")
    customer_id = repository.customer_id_by_no(ctx, data.customer_no)
    if customer_id is None:
        raise InvalidInput("customer_no", f"no customer {data.customer_no}")
    product = repository.product_by_code(ctx, data.product_code)
    if product is None:
        raise InvalidInput("product_code", f"no product {data.product_code}")
    rate = parse_rate(data.annual_rate, field="annual_rate")
    terms = product_terms(
        product,
        yuan(data.principal, "principal"),
        rate,
        data.months,
        data.start_date,
        data.first_due_date,
    )
    loan = Loan(
        loan_no=data.loan_no,
        customer_id=customer_id,
        product_id=product.id,
        principal=terms.principal,
        annual_rate=str(rate),
        months=terms.months,
        start_date=terms.start_date,
        first_due_date=terms.first_due_date,
        status=LoanStatus.ACTIVE,
        restructured=False,
        created_at=ctx.now(),
        version=1,
    )
    loan.installments = installment_rows(build_schedule(terms))
    ctx.session.add(loan)
    ctx.session.flush()
    loan.product = product
    table = disclosure.record_booked(ctx, loan)
    after = data.model_dump(mode="json") | {"disclosure_v1": table.digest}
    record(ctx, "loan.create", "loan", loan.id, after=after)
    return loan


def install_schedule(
    ctx: Context,
    loan: Loan,
    terms: LoanTerms,
    schedule: Schedule,
    *,
    carried: Fen = 0,
    reinstatable: Fen = 0,
    reference: str,
) -> None:
    """Replace the schedule in force (flush only): a new segment begins on ``terms.start_date``;
    the earlier transactions stay with the segment they belonged to. ``carried`` fen of arrears are
    put on the first installment as a charge (no interest runs on them). The loan's disclosure
    table gets its next version, with the arrears carried and the ``reinstatable`` concessions a
    breach would put back."""
    for row in loan.installments:
        ctx.session.delete(row)
    ctx.session.flush()  # the old rows go before the new take their (loan, number) places
    loan.segment += 1
    loan.terms_in_force = json.dumps(terms_file(terms), sort_keys=True)
    loan.installments = installment_rows(schedule)
    loan.status = LoanStatus.ACTIVE
    if carried:
        ctx.session.add(
            LoanTransaction(
                loan_id=loan.id,
                kind=TransactionKind.FEE,
                value_date=terms.start_date,
                amount=carried,
                reference=reference,
                installment=1,
                description="协议前欠款转入首期 arrears carried into the first installment",
                channel="agreement",
                segment=loan.segment,
                created_by=ctx.user_id,
                created_at=ctx.now(),
            )
        )
    ctx.session.flush()
    ctx.session.refresh(loan, ["installments", "transactions"])
    disclosure.record_terms_change(ctx, loan, carried=carried, reinstatable=reinstatable)
    ctx.session.refresh(loan, ["disclosures"])


def _load(ctx: Context, loan_id: int, *, lock: bool = False) -> Loan:
    loan = repository.loan_with_ledger(ctx, loan_id, lock=lock)
    if loan is None:
        raise NotFound("loan", loan_id)
    require_customer_access(ctx.user, loan.customer_id, "loan", loan_id)
    return loan


def require_loan(ctx: Context, loan_id: int) -> Loan:
    """The loan with its product, schedule and transactions; 404 for a customer's someone-else's loan."""
    return _load(ctx, loan_id)


def lock_loan(ctx: Context, loan_id: int) -> Loan:
    """The loan, locked until this transaction ends, read fresh after the lock was granted.

    Every use case that checks a loan's money and then changes it — a payment, an accepted
    agreement — starts here, before it reads the balance it checks, so that a check and its write
    see the same loan: one writer per loan at a time (``SELECT … FOR UPDATE`` on PostgreSQL;
    on SQLite the database's one writer). Lock order: an idempotency key, then a negotiation case,
    then the loan. docs/decisions/0003-one-writer-per-loan.md."""
    return _load(ctx, loan_id, lock=True)


def touch(loan: Loan) -> None:
    """Mark the loan changed so that its version moves on at the next flush: a payment or a charge
    adds a row beside the loan but changes its money, and anyone holding an older read must see
    that (the nightly close re-reads a loan whose version moved)."""
    flag_modified(loan, "status")


def get_loan(ctx: Context, loan_id: int) -> LoanDetail:
    authorize(ctx, "loans.get")
    loan = _load(ctx, loan_id)
    return LoanDetail(
        **loan_read(loan).model_dump(),
        schedule=ScheduleRead.from_schedule(to_ledger(loan).schedule),
    )


def loan_disclosure(ctx: Context, loan_id: int, version: int | None = None) -> DisclosureRead:
    """A version of the loan's cost disclosure table (金规〔2026〕2号, UNVERIFIED): the one in force
    today, or ``version``."""
    return _pick(disclosure_versions(ctx, loan_id), version)


def disclosure_versions(ctx: Context, loan_id: int) -> list[DisclosureRead]:
    """Every version of the loan's cost disclosure table, oldest first."""
    authorize(ctx, "loans.disclosure")
    loan = _load(ctx, loan_id)
    versions = disclosure.versions_of(loan)
    current = in_force(versions, ctx.today())
    return [
        disclosure_read(ctx, row, v, v is current)
        for row, v in zip(loan.disclosures, versions, strict=True)
    ]


def backfill_disclosures(ctx: Context) -> int:
    """Give every loan booked before disclosure tables were kept its versions (one commit);
    returns how many loans got them. ``xieshang db upgrade`` runs it after the migrations."""
    done = disclosure.backfill(ctx)
    ctx.session.commit()
    return done


def _pick(reads: list[DisclosureRead], version: int | None) -> DisclosureRead:
    for read in reads:
        if read.version == version or (version is None and read.in_force):
            return read
    raise NotFound("disclosure version", "in force" if version is None else version)


def list_loans(
    ctx: Context,
    *,
    customer_id: int | None = None,
    status: LoanStatus | None = None,
    page: int = 1,
    page_size: int = 20,
) -> LoanPage:
    if customer_id is None:
        authorize(ctx, "loans.list")
    else:
        authorize(ctx, "customers.loans")
        require_customer_access(ctx.user, customer_id)
        if not repository.customer_exists(ctx, customer_id):
            raise NotFound("customer", customer_id)
    query = repository.loans_query(customer_id, status)
    total, rows = page_of(ctx.session, query, page, page_size, Loan.id)
    return LoanPage(
        items=[loan_read(loan) for loan in rows], total=total, page=page, page_size=page_size
    )


def loan_statement(ctx: Context, loan_id: int, as_of: date | None = None) -> StatementRead:
    authorize(ctx, "loans.statement")
    loan = _load(ctx, loan_id)
    day = as_of or ctx.today()
    if day < loan.start_date:
        raise InvalidInput("as_of", f"is before the loan started ({loan.start_date})")
    return StatementRead.from_statement(itemised_statement(ledger_as_of(to_ledger(loan), day)))


def transactions(ctx: Context, loan_id: int) -> list[TransactionRead]:
    """Every transaction on the loan, every segment, oldest first: payments, fees, late fees and
    concessions a broken agreement put back (accruals are on the statement, day by day)."""
    authorize(ctx, "loans.statement")
    loan = _load(ctx, loan_id)
    return [transaction_read(ctx, txn) for txn in loan.transactions]


def record_payment(
    ctx: Context, loan_id: int, data: PaymentCreate, idempotency_key: str | None = None
) -> Answered[TransactionRead]:
    """Post a payment; with an idempotency key, a repeat returns the first answer (replayed)."""
    authorize(ctx, "loans.payments.create")
    digest = request_digest(f"payment:{loan_id}", data.model_dump(mode="json"))
    return once(
        ctx, idempotency_key, digest, lambda: _post_payment(ctx, loan_id, data), TransactionRead
    )


def _post_payment(ctx: Context, loan_id: int, data: PaymentCreate) -> TransactionRead:
    amount = yuan(data.amount, "amount")
    if amount <= 0:
        raise InvalidInput("amount", "must be more than zero")
    loan = lock_loan(ctx, loan_id)
    _check_payment(ctx, loan, data.value_date, amount)
    reference = data.reference or f"pay-{uuid.uuid4().hex[:20]}"
    if repository.reference_taken(ctx, loan.id, reference):
        raise AlreadyExists(f"loan {loan_id} already has a transaction with reference {reference}")
    today = ctx.today()
    credit_before = ledger_as_of(to_ledger(loan), today).credit
    txn = LoanTransaction(
        loan_id=loan.id,
        kind=TransactionKind.PAYMENT,
        value_date=data.value_date,
        amount=amount,
        reference=reference,
        installment=None,
        description="",
        channel=data.channel,
        segment=loan.segment,
        created_by=ctx.user_id,
        created_at=ctx.now(),
    )
    ctx.session.add(txn)
    touch(loan)
    ctx.session.flush()
    ctx.session.refresh(loan, ["transactions"])
    state = ledger_as_of(to_ledger(loan), today)
    if state.credit > credit_before:  # a back-dated payment beside later ones would overpay
        raise InvalidInput(
            "amount",
            f"with the payments made after {data.value_date} it is more than everything owed "
            f"(by {to_yuan(state.credit - credit_before)} yuan); refund the difference instead",
        )
    if state.paid_off:
        loan.status = LoanStatus.PAID_OFF
    record(
        ctx,
        "loan.payment",
        "loan",
        loan.id,
        after=data.model_dump(mode="json") | {"reference": reference},
    )
    return transaction_read(ctx, txn)


def _check_payment(ctx: Context, loan: Loan, value_date: date, amount: Fen) -> None:
    """A payment is dated within the schedule in force and not after today, and pays no more than
    everything owed on its value date."""
    start = terms_in_force(loan).start_date
    if value_date < start:
        what = "the agreement in force began" if loan.segment else "the loan started"
        raise InvalidInput("value_date", f"is before {what} ({start})")
    if value_date > ctx.today():
        raise InvalidInput("value_date", "is in the future")
    owed = ledger_as_of(to_ledger(loan), value_date).payoff_amount
    if amount > owed:
        raise InvalidInput(
            "amount",
            f"is more than everything owed on {value_date} ({to_yuan(max(owed, 0))} yuan); "
            "refund the difference instead",
        )
