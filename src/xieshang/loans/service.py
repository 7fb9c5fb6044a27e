"""Loan use cases: products, loans with their schedules, payments, statements."""

from __future__ import annotations

import json
import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import flag_modified

from xieshang.audit.service import record
from xieshang.domain import schedule as ledger
from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.allocation import AllocationOrder
from xieshang.domain.errors import AlreadyExists, InvalidInput, NotFound
from xieshang.domain.loan import Charge, ChargeKind, Payment, PenaltyRules
from xieshang.domain.loan import Loan as LedgerLoan
from xieshang.domain.money import Fen, to_yuan, yuan
from xieshang.domain.rates import DayCount, parse_rate
from xieshang.domain.statement import itemised_statement
from xieshang.kit.access import authorize, require_customer_access
from xieshang.kit.context import Context
from xieshang.kit.idempotency import Answered, once, request_digest
from xieshang.kit.pagination import page_of
from xieshang.loans.loanfile import parse_terms, terms_file
from xieshang.loans.schemas import (
    LoanCreate,
    LoanDetail,
    LoanPage,
    LoanRead,
    PaymentCreate,
    ProductCreate,
    ProductRead,
    ScheduleRead,
    StatementRead,
    TransactionRead,
)
from xieshang.models.customer import Customer
from xieshang.models.loan import (
    Installment,
    Loan,
    LoanProduct,
    LoanStatus,
    LoanTransaction,
    ProductKind,
    TransactionKind,
)


def add_product(ctx: Context, data: ProductCreate) -> LoanProduct:
    """Register a loan product (flush only)."""
    if ctx.session.scalar(select(LoanProduct.id).where(LoanProduct.code == data.code)) is not None:
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
    if ctx.session.scalar(select(Loan.id).where(Loan.loan_no == data.loan_no)) is not None:
        raise AlreadyExists(f"loan number {data.loan_no} is taken")
    customer_id = ctx.session.scalar(
        select(Customer.id).where(Customer.customer_no == data.customer_no)
    )
    if customer_id is None:
        raise InvalidInput("customer_no", f"no customer {data.customer_no}")
    product = ctx.session.scalar(select(LoanProduct).where(LoanProduct.code == data.product_code))
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
    loan.installments = [_installment_row(i) for i in ledger.build_schedule(terms).installments]
    ctx.session.add(loan)
    ctx.session.flush()
    record(ctx, "loan.create", "loan", loan.id, after=data.model_dump(mode="json"))
    return loan


def install_schedule(
    ctx: Context,
    loan: Loan,
    terms: ledger.LoanTerms,
    schedule: ledger.Schedule,
    *,
    carried: Fen = 0,
    reference: str,
) -> None:
    """Replace the schedule in force (flush only): a new segment begins on ``terms.start_date``;
    the earlier transactions stay with the segment they belonged to. ``carried`` fen of arrears are
    put on the first installment as a charge (no interest runs on them)."""
    for row in loan.installments:
        ctx.session.delete(row)
    ctx.session.flush()  # the old rows go before the new take their (loan, number) places
    loan.segment += 1
    loan.terms_in_force = json.dumps(terms_file(terms), sort_keys=True)
    loan.installments = [_installment_row(i) for i in schedule.installments]
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


def _installment_row(i: ledger.Installment) -> Installment:
    return Installment(
        number=i.number,
        start_date=i.start_date,
        end_date=i.end_date,
        due_date=i.due_date,
        principal=i.principal,
        interest=i.interest,
        balance=i.balance,
        interest_base=i.interest_base,
        interest_months=i.interest_months,
        interest_days=i.interest_days,
    )


def _load(ctx: Context, loan_id: int, *, lock: bool = False) -> Loan:
    query = (
        select(Loan)
        .where(Loan.id == loan_id)
        .options(
            joinedload(Loan.product),
            selectinload(Loan.installments),
            selectinload(Loan.transactions),
        )
    )
    if lock:  # wait for the loan's other writer, then read the loan as it committed
        query = query.with_for_update(of=Loan).execution_options(populate_existing=True)
    loan = ctx.session.scalar(query)
    if loan is None:
        raise NotFound("loan", loan_id)
    require_customer_access(ctx.user, loan.customer_id, "loan", loan_id)
    return loan


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


def product_terms(
    product: LoanProduct,
    principal: Fen,
    rate: Decimal,
    months: int,
    start: date,
    first_due: date | None,
) -> ledger.LoanTerms:
    """A loan's contract terms: its own amount, rate and dates under its product's conventions."""
    return ledger.LoanTerms(
        principal=principal,
        annual_rate=rate,
        months=months,
        start_date=start,
        method=ledger.RepaymentMethod(product.method),
        first_due_date=first_due,
        interest_basis=ledger.InterestBasis(product.interest_basis),
        day_count=DayCount(product.day_count),
        installment_multiple=product.installment_multiple,
    )


def terms_in_force(loan: Loan) -> ledger.LoanTerms:
    """The terms of the schedule in force: the contract's, or those an agreement installed."""
    if loan.terms_in_force is not None:
        return parse_terms(json.loads(loan.terms_in_force))[0]
    return product_terms(
        loan.product,
        loan.principal,
        Decimal(loan.annual_rate),
        loan.months,
        loan.start_date,
        loan.first_due_date,
    )


def segment_transactions(loan: Loan) -> list[LoanTransaction]:
    """The transactions of the schedule in force (earlier ones were settled into an agreement)."""
    return [t for t in loan.transactions if t.segment == loan.segment]


def to_ledger(loan: Loan) -> LedgerLoan:
    """The ORM loan as the pure ledger sees it: terms, the installed schedule, rules and events."""
    product = loan.product
    terms = terms_in_force(loan)
    schedule = ledger.Schedule(
        principal=sum(i.principal for i in loan.installments),
        start_date=terms.start_date,
        installments=tuple(
            ledger.Installment(
                i.number,
                i.start_date,
                i.end_date,
                i.due_date,
                i.principal,
                i.interest,
                i.balance,
                i.interest_base,
                i.interest_months,
                i.interest_days,
            )
            for i in loan.installments
        ),
    )
    rules = PenaltyRules(
        markup=Decimal(product.penalty_markup),
        penalty_enabled=product.penalty_enabled,
        compound_enabled=product.compound_enabled,
        grace_days=product.grace_days,
        allocation=AllocationOrder.parse(product.allocation_order),
    )
    events = segment_transactions(loan)
    payments = tuple(
        Payment(t.value_date, t.amount, t.reference)
        for t in events
        if t.kind is TransactionKind.PAYMENT
    )
    charges = tuple(
        Charge(t.value_date, t.amount, _CHARGE_KINDS[t.kind], t.installment, t.description)
        for t in events
        if t.kind is not TransactionKind.PAYMENT
    )
    return LedgerLoan(terms, schedule, rules, payments, charges)


_CHARGE_KINDS = {
    TransactionKind.FEE: ChargeKind.FEE,
    TransactionKind.LATE_FEE: ChargeKind.LATE_FEE,
    TransactionKind.REINSTATED: ChargeKind.FEE,  # put back as a fee: no interest runs on it
}


def product_read(product: LoanProduct) -> ProductRead:
    return ProductRead(
        id=product.id,
        code=product.code,
        name_zh=product.name_zh,
        name_en=product.name_en,
        kind=product.kind.value,
        method=product.method,
        penalty_markup=product.penalty_markup,
        grace_days=product.grace_days,
    )


def _loan_read(loan: Loan) -> LoanRead:
    return LoanRead(
        id=loan.id,
        loan_no=loan.loan_no,
        customer_id=loan.customer_id,
        product=product_read(loan.product),
        principal=to_yuan(loan.principal),
        annual_rate=loan.annual_rate,
        months=loan.months,
        start_date=loan.start_date,
        status=loan.status.value,
        restructured=loan.restructured,
        version=loan.version,
    )


def get_loan(ctx: Context, loan_id: int) -> LoanDetail:
    authorize(ctx, "loans.get")
    loan = _load(ctx, loan_id)
    return LoanDetail(
        **_loan_read(loan).model_dump(),
        schedule=ScheduleRead.from_schedule(to_ledger(loan).schedule),
    )


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
        if ctx.session.get(Customer, customer_id) is None:
            raise NotFound("customer", customer_id)
    query = select(Loan)
    if customer_id is not None:
        query = query.where(Loan.customer_id == customer_id)
    if status is not None:
        query = query.where(Loan.status == status)
    total, rows = page_of(
        ctx.session, query.options(selectinload(Loan.product)), page, page_size, Loan.id
    )
    return LoanPage(
        items=[_loan_read(loan) for loan in rows], total=total, page=page, page_size=page_size
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
    return [_txn_read(ctx, txn) for txn in loan.transactions]


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
    start = terms_in_force(loan).start_date
    if data.value_date < start:
        what = "the agreement in force began" if loan.segment else "the loan started"
        raise InvalidInput("value_date", f"is before {what} ({start})")
    if data.value_date > ctx.today():
        raise InvalidInput("value_date", "is in the future")
    owed = ledger_as_of(to_ledger(loan), data.value_date).payoff_amount
    if amount > owed:
        raise InvalidInput(
            "amount",
            f"is more than everything owed on {data.value_date} ({to_yuan(max(owed, 0))} yuan); "
            "refund the difference instead",
        )
    reference = data.reference or f"pay-{uuid.uuid4().hex[:20]}"
    taken = ctx.session.scalar(
        select(LoanTransaction.id).where(
            LoanTransaction.loan_id == loan.id, LoanTransaction.reference == reference
        )
    )
    if taken is not None:
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
    return _txn_read(ctx, txn)


def _txn_read(ctx: Context, txn: LoanTransaction) -> TransactionRead:
    return TransactionRead(
        id=txn.id,
        loan_id=txn.loan_id,
        kind=txn.kind.value,
        value_date=txn.value_date,
        amount=to_yuan(txn.amount),
        reference=txn.reference,
        installment=txn.installment,
        description=txn.description,
        channel=txn.channel,
        created_at=ctx.local(txn.created_at),
    )


def loan_file(loan: Loan) -> dict[str, object]:
    """The loan in the loan-file format (docs/loan-file.md): what a negotiation snapshot stores."""
    product = loan.product
    events = segment_transactions(loan)
    terms = terms_file(terms_in_force(loan))
    return {
        "terms": {k: v for k, v in terms.items() if v is not None},
        "penalty": {
            "markup": product.penalty_markup,
            "grace_days": product.grace_days,
            "penalty": product.penalty_enabled,
            "compound": product.compound_enabled,
            "allocation_order": product.allocation_order,
        },
        "payments": [
            {
                "date": t.value_date.isoformat(),
                "amount": to_yuan(t.amount),
                "reference": t.reference,
            }
            for t in events
            if t.kind is TransactionKind.PAYMENT
        ],
        "charges": [
            {
                "date": t.value_date.isoformat(),
                "amount": to_yuan(t.amount),
                "kind": _CHARGE_KINDS[t.kind].value,
                "installment": t.installment,
                "description": t.description,
            }
            for t in events
            if t.kind is not TransactionKind.PAYMENT
        ],
    }


def require_loan(ctx: Context, loan_id: int) -> Loan:
    """The loan with its product, schedule and transactions; 404 for a customer's someone-else's loan."""
    return _load(ctx, loan_id)
