"""A synthetic demo portfolio, built through the real services: :func:`seed_demo`.

Three products, ``customers`` borrowers with valid (synthetic) personal data, and loans in every
state as of a date — current, 1–30, 31–90 and over 90 days past due, paid off, a couple restructured —
plus one login per role. Every row goes through ``add_product``, ``add_customer``, ``add_loan``,
``record_payment`` and ``create_user``, so it is validated, encrypted and audited like real data.
Each loan's payments are chosen for the state it should be in, then the ledger (``ledger_as_of``)
confirms it is. The same ``seed`` gives the same portfolio.
"""

from __future__ import annotations

import enum
import random
import string
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from xieshang.audit.service import record
from xieshang.auth.service import create_user
from xieshang.customers.schemas import CustomerCreate, with_check_character
from xieshang.customers.service import add_customer
from xieshang.demo import names
from xieshang.demo.activity import DemoActivity, MakeContact, seed_activity
from xieshang.demo.negotiations import DemoNegotiations, seed_complaints, seed_negotiations
from xieshang.demo.policy import seed_policy_change
from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.calendar import add_months
from xieshang.domain.errors import AlreadyExists, InvalidInput, PermissionDenied
from xieshang.domain.money import Fen, to_yuan
from xieshang.kit.config import Environment
from xieshang.kit.context import Context
from xieshang.loans.schemas import LoanCreate, PaymentCreate, ProductCreate
from xieshang.loans.service import add_loan, add_product, record_payment, require_loan, to_ledger
from xieshang.models.customer import Customer
from xieshang.models.loan import Loan, LoanStatus
from xieshang.models.user import Role

DEMO_PASSWORD = "xieshang-demo"
"""The password of every demo login (the same as the landing page shows)."""

STAFF_LOGINS: tuple[tuple[str, Role, str], ...] = (
    ("agent1", Role.AGENT, "演示协商专员 Demo agent"),
    ("agent2", Role.AGENT, "演示协商专员二 Demo agent 2"),
    ("supervisor1", Role.SUPERVISOR, "演示主管 Demo supervisor"),
    ("compliance1", Role.COMPLIANCE, "演示合规专员 Demo compliance officer"),
    ("admin1", Role.ADMIN, "演示管理员 Demo administrator"),
)
CUSTOMER_LOGINS: tuple[str, ...] = ("customer1", "customer2")
"""customer1: one current loan and one 1–30 days overdue; customer2: one over 90 days overdue and
one paid off."""

MIN_CUSTOMERS = 5
PAYOFF = -1
"""Stands for "the payoff amount on that day" in a planned payment list."""

Channel = Literal["counter", "transfer", "auto_debit", "import", "app"]
_ONLINE: tuple[Channel, ...] = ("app", "transfer")
_ANY_CHANNEL: tuple[Channel, ...] = ("app", "counter", "transfer")


class LoanState(enum.StrEnum):
    CURRENT = "current"
    DPD_1_30 = "dpd_1_30"
    DPD_31_90 = "dpd_31_90"
    DPD_90_PLUS = "dpd_90_plus"
    """More than 90 days past due (次级 and worse)."""
    PAID_OFF = "paid_off"


_DPD_RANGES = {
    LoanState.DPD_1_30: (1, 30),
    LoanState.DPD_31_90: (31, 90),
    LoanState.DPD_90_PLUS: (91, 420),
}
_STATE_WEIGHTS = {
    LoanState.CURRENT: 45,
    LoanState.DPD_1_30: 14,
    LoanState.DPD_31_90: 9,
    LoanState.DPD_90_PLUS: 10,
    LoanState.PAID_OFF: 22,
}


@dataclass(frozen=True)
class SeedSummary:
    """What :func:`seed_demo` created; loan counts are by state as of ``as_of``, checked by the ledger."""

    as_of: date
    customers: int
    loans: int
    payments: int
    current: int
    dpd_1_30: int
    dpd_31_90: int
    dpd_90_plus: int
    paid_off: int
    restructured: int
    """Loans flagged restructured (also counted in their state)."""
    usernames: tuple[str, ...]
    negotiations: DemoNegotiations | None = None
    activity: DemoActivity | None = None
    """The staff's work over the weeks before ``as_of`` (cases, complaints, contacts, surveys)."""

    def by_state(self) -> dict[LoanState, int]:
        return {state: int(getattr(self, state.value)) for state in LoanState}


@dataclass(frozen=True)
class _Product:
    create: ProductCreate
    months: tuple[int, ...]
    matured_months: int
    """The term of loans that already ran to maturity (short, so histories stay short)."""
    rates: tuple[str, ...]
    principal: tuple[int, int, int]
    """Smallest, largest and step, in yuan."""
    weight: int


CONSUMER = _Product(
    ProductCreate(
        code="XS-CONSUMER",
        name_zh="个人消费分期贷款",
        name_en="Consumer installment loan",
        kind="consumer_installment",
        method="equal_installment",
        penalty_markup="0.5",
        grace_days=3,
    ),
    months=(12, 24, 36),
    matured_months=12,
    rates=("7.2%", "8.4%", "9.6%", "10.8%", "12%", "13.5%", "15%", "16.2%", "18%"),
    principal=(10_000, 200_000, 1_000),
    weight=55,
)
REVOLVING = _Product(
    ProductCreate(
        code="XS-CREDITLINE",
        name_zh="个人循环信用额度（按日计息）",
        name_en="Revolving credit line",
        kind="revolving_line",
        method="interest_first",
        interest_basis="days",
        day_count="actual/360",
        penalty_markup="0.5",
    ),
    months=(6, 12),
    matured_months=6,
    rates=("18%",),  # 日利率万分之五 (0.05 % a day) × 360
    principal=(3_000, 50_000, 500),
    weight=30,
)
WORKING_CAPITAL = _Product(
    ProductCreate(
        code="XS-SME-WC",
        name_zh="小微企业流动资金贷款",
        name_en="Small-business working-capital loan",
        kind="working_capital",
        method="equal_principal",
        penalty_markup="0.3",
    ),
    months=(12,),
    matured_months=12,
    rates=("6%", "6.5%", "7%", "7.5%", "8%", "8.5%", "9%"),
    principal=(100_000, 1_000_000, 10_000),
    weight=15,
)
PRODUCTS = (CONSUMER, REVOLVING, WORKING_CAPITAL)


@dataclass(frozen=True)
class _LoanPlan:
    state: LoanState
    product: _Product
    principal: int
    rate: str
    months: int
    start: date
    missed_due: date | None = None
    """Overdue loans: the due date of the oldest installment left unpaid."""
    early_payoff: bool = False
    restructured: bool = False


@dataclass(frozen=True)
class _Due:
    number: int
    due_date: date
    amount: Fen


class _Seeder:
    def __init__(self, ctx: Context, as_of: date, seed: int) -> None:
        self.ctx = ctx
        self.as_of = as_of
        self.rng = random.Random(seed)
        self.id_numbers: set[str] = set()
        self.phones: set[str] = set()
        self.payments = 0
        self.counts = dict.fromkeys(LoanState, 0)
        self.restructured = 0
        self.loans = 0
        self.region_codes = list(names.REGION_CODES)

    # ---- planning: pure, driven by the random generator only ----

    def plan_customer(self, index: int) -> list[_LoanPlan]:
        s = LoanState
        fixed = {
            0: [self.plan(s.CURRENT, CONSUMER), self.plan(s.DPD_1_30, REVOLVING)],
            1: [self.plan(s.DPD_90_PLUS, CONSUMER), self.plan(s.PAID_OFF, REVOLVING)],
            2: [self.plan(s.DPD_31_90), self.plan(s.CURRENT)],
            3: [self.plan(s.CURRENT, CONSUMER, restructured=True)],
            4: [self.plan(s.DPD_1_30, CONSUMER, restructured=True), self.plan(s.PAID_OFF)],
        }
        if index in fixed:
            return fixed[index]
        count = self.rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
        states = self.rng.choices(
            list(_STATE_WEIGHTS), weights=list(_STATE_WEIGHTS.values()), k=count
        )
        return [self.plan(state) for state in states]

    def plan(
        self, state: LoanState, product: _Product | None = None, *, restructured: bool = False
    ) -> _LoanPlan:
        rng = self.rng
        if product is None:
            product = rng.choices(PRODUCTS, weights=[p.weight for p in PRODUCTS])[0]
        low, high, step = product.principal
        # Smaller loans are commoner: a triangular draw leaning to the low end.
        principal = int(rng.triangular(low, high, low + (high - low) * 0.15)) // step * step
        rate = rng.choice(product.rates)
        months = rng.choice(product.months[1:] if restructured else product.months)
        if state in _DPD_RANGES:
            first, last = _DPD_RANGES[state]
            # Due dates on days 1–28 only, so that every month has them and no end-of-month clamping
            # moves an installment off the planned date.
            days = [d for d in range(first, last + 1) if (self.as_of - timedelta(d)).day <= 28]
            missed_due = self.as_of - timedelta(rng.choice(days))
            paid_before = rng.randint(1, 5) if restructured else rng.randint(0, min(months - 1, 10))
            start = add_months(missed_due, -(paid_before + 1))
            return _LoanPlan(
                state, product, principal, rate, months, start, missed_due, False, restructured
            )
        early = state is LoanState.PAID_OFF and rng.random() < 0.4
        if state is LoanState.PAID_OFF and not early:
            months = product.matured_months
            maturity = self.as_of - timedelta(rng.randint(3, 240))
            return _LoanPlan(state, product, principal, rate, months, add_months(maturity, -months))
        longest = 200 if restructured else min(450, (months - 1) * 28)
        back = rng.randint(45 if early or restructured else 20, longest)
        start = self.as_of - timedelta(back)
        return _LoanPlan(state, product, principal, rate, months, start, None, early, restructured)

    def person(self, index: int, since: date) -> CustomerCreate:
        rng = self.rng
        male = rng.random() < 0.55
        surname = rng.choices(
            names.SURNAMES, weights=[1 / (r + 8) for r in range(len(names.SURNAMES))]
        )[0]
        given_pool = names.GIVEN_MALE if male else names.GIVEN_FEMALE
        if rng.random() < 0.65:
            first = rng.choice(names.GIVEN_EITHER + given_pool)
            given = first + rng.choice([c for c in given_pool if c != first])
        else:
            given = rng.choice(given_pool)
        city = rng.choices(names.CITIES, weights=[c.weight for c in names.CITIES])[0]
        district = rng.choice(city.districts)
        region = district.code if rng.random() < 0.8 else rng.choice(self.region_codes)
        while True:
            age_days = rng.randint(23 * 365, 58 * 365)
            birth = self.as_of - timedelta(age_days)
            sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)  # odd: male, even: female
            id_number = with_check_character(f"{region}{birth:%Y%m%d}{sequence:03d}")
            if id_number not in self.id_numbers:
                self.id_numbers.add(id_number)
                break
        while True:
            phone = rng.choice(names.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                break
        card_body = rng.choice(names.CARD_BINS) + "".join(rng.choices(string.digits, k=12))
        address = f"{district.name}{rng.choice(district.streets)}{rng.randint(1, 888)}号"
        if rng.random() < 0.6:
            floor = rng.randint(1, 28)
            address += (
                f"{rng.choice(names.HOUSING_ESTATES)}{rng.randint(1, 30)}幢"
                f"{rng.randint(1, 4)}单元{floor}{rng.randint(1, 6):02d}室"
            )
        email = None
        roll = rng.random()
        if roll < 0.25:
            email = f"{rng.randint(10**5, 3 * 10**9)}@qq.com"
        elif roll < 0.45:
            handle = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 7)))
            email = f"{handle}{rng.randint(1, 9999)}@{rng.choice(names.EMAIL_DOMAINS)}"
        return CustomerCreate(
            customer_no=f"XS{index + 1:06d}",
            name=surname + given,
            id_number=id_number,
            phone=phone,
            bank_account=card_body + luhn_digit(card_body),
            province=city.province,
            city=city.name,
            address=address,
            email=email,
            since=since,
        )

    # ---- booking: through the services ----

    def book(self, plan: _LoanPlan, customer_no: str, loan_no: str) -> None:
        ctx, rng, as_of = self.ctx, self.rng, self.as_of
        loan = add_loan(
            ctx,
            LoanCreate(
                loan_no=loan_no,
                customer_no=customer_no,
                product_code=plan.product.create.code,
                principal=str(plan.principal),
                annual_rate=plan.rate,
                months=plan.months,
                start_date=plan.start,
            ),
        )
        loan_id = loan.id
        dues = [_Due(i.number, i.due_date, i.principal + i.interest) for i in loan.installments]
        if plan.restructured:
            self.mark_restructured(loan, plan)
        grace = plan.product.create.grace_days
        offsets = (-2, -1, 0, 0, 0, 0, 1, 2) if grace >= 2 else (-3, -1, 0, 0, 0, 0)
        payments: list[tuple[date, Fen, Channel]] = []

        def on_time(due: _Due) -> None:
            offset = rng.choice(offsets)
            channel = "auto_debit" if offset == 0 else rng.choice(_ONLINE)
            payments.append((min(due.due_date + timedelta(offset), as_of), due.amount, channel))

        if plan.missed_due is not None:
            missed = next(d for d in dues if d.due_date == plan.missed_due)
            for due in dues[: missed.number - 1]:
                on_time(due)
            if rng.random() < 0.35:
                late = (as_of - missed.due_date).days
                share = rng.uniform(0.2, 0.7)
                amount = max(100, int(missed.amount * share) // 100 * 100)
                day = missed.due_date + timedelta(rng.randint(1, min(late, 45)))
                payments.append((day, amount, rng.choice(_ANY_CHANNEL)))
        elif plan.state is LoanState.PAID_OFF and not plan.early_payoff:
            for due in dues:
                on_time(due)
        else:
            for due in dues:
                offset = rng.choice(offsets)
                if due.due_date < as_of or (
                    due.number < len(dues) and due.due_date + timedelta(offset) <= as_of
                ):
                    channel = "auto_debit" if offset == 0 else rng.choice(_ONLINE)
                    day = min(due.due_date + timedelta(offset), as_of)
                    payments.append((day, due.amount, channel))
            if plan.early_payoff:
                # Early settlement (提前结清): after ``kept`` installments, the payoff of that day —
                # principal and interest only to date — in one transfer (amount filled in below).
                past = [d for d in dues if d.due_date < as_of][: len(dues) - 1]
                kept = rng.randint(1, len(past))
                del payments[kept:]
                nxt = dues[kept].due_date - timedelta(1)
                last_paid = payments[-1][0]
                day = last_paid + timedelta(
                    rng.randint(0, max(0, (min(nxt, as_of) - last_paid).days))
                )
                payments.append((day, PAYOFF, "app"))
        for n, (day, amount, channel) in enumerate(payments, start=1):
            # Never pay more than is owed that day: the last installment paid early settles early.
            ctx.session.expire_all()
            owed = ledger_as_of(to_ledger(require_loan(ctx, loan_id)), day).payoff_amount
            amount = owed if amount == PAYOFF else min(amount, owed)
            if amount <= 0:
                continue
            record_payment(
                ctx,
                loan_id,
                PaymentCreate(
                    amount=to_yuan(amount),
                    value_date=day,
                    reference=f"{loan_no}-P{n:03d}",
                    channel=channel,
                ),
            )
        self.payments += len(payments)
        self.check(loan_id, loan_no, plan)

    def mark_restructured(self, loan: Loan, plan: _LoanPlan) -> None:
        """The booked loan is the restructured contract (重组), signed on its start date."""
        observation_until = add_months(plan.start, 12)
        loan.restructured = True
        loan.observation_until = observation_until
        self.ctx.session.flush()
        record(
            self.ctx,
            "loan.restructure",
            "loan",
            loan.id,
            before={"restructured": False},
            after={"restructured": True, "observation_until": observation_until.isoformat()},
            details={
                "reason": "demo: hardship restructuring (困难重组), new schedule from the signing date",
                "signed_on": plan.start.isoformat(),
            },
        )
        self.restructured += 1

    def check(self, loan_id: int, loan_no: str, plan: _LoanPlan) -> None:
        """Confirm with the ledger that the loan is in the state it was built for."""
        loan = self.ctx.session.scalars(
            select(Loan)
            .where(Loan.id == loan_id)
            .options(
                selectinload(Loan.product),
                selectinload(Loan.installments),
                selectinload(Loan.transactions),
            )
            .execution_options(populate_existing=True)
        ).one()
        state = ledger_as_of(to_ledger(loan), self.as_of)
        paid_off = loan.status is LoanStatus.PAID_OFF and state.outstanding_principal == 0
        actual = LoanState.PAID_OFF if paid_off else state_of(state.days_past_due)
        if actual is not plan.state:
            raise RuntimeError(
                f"demo loan {loan_no} was built to be {plan.state.value} on {self.as_of} "
                f"but the ledger says {actual.value} ({state.days_past_due} days past due)"
            )
        self.counts[actual] += 1
        self.loans += 1


def state_of(days_past_due: int) -> LoanState:
    """The demo's state of an active loan with this many days past due."""
    if days_past_due == 0:
        return LoanState.CURRENT
    for state, (_first, last) in _DPD_RANGES.items():
        if days_past_due <= last or state is LoanState.DPD_90_PLUS:
            return state
    raise AssertionError("unreachable")


def luhn_digit(body: str) -> str:
    """The Luhn check digit that completes a bank card number."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str(-total % 10)


def seed_demo(
    ctx: Context,
    *,
    as_of: date,
    customers: int = 60,
    seed: int = 2026,
    contact: MakeContact | None = None,
) -> SeedSummary:
    """Fill an empty database with a demo portfolio as of ``as_of`` (on or before ``ctx.today()``).

    Then the staff's work over the weeks before (:mod:`xieshang.demo.activity`); ``contact`` makes
    its collection contacts (none without it).

    Commits once per customer (with their loans), once for the products and once for the logins;
    ``record_payment`` also commits each payment it posts. Refuses a database that has customers,
    and refuses production: the demo logins share a published password.
    """
    if ctx.settings.environment is Environment.PRODUCTION:
        raise PermissionDenied(
            "demo data and its published password are never created in production"
        )
    if ctx.session.scalar(select(Customer.id).limit(1)) is not None:
        raise AlreadyExists("the database already has data; seed a fresh one")
    if customers < MIN_CUSTOMERS:
        raise InvalidInput("customers", f"must be at least {MIN_CUSTOMERS} to show every state")
    if as_of > ctx.today():
        raise InvalidInput(
            "as_of", f"is after today ({ctx.today()}); payments cannot be in the future"
        )
    seeder = _Seeder(ctx, as_of, seed)
    for product in PRODUCTS:
        add_product(ctx, product.create)
    ctx.session.commit()

    linked: list[tuple[int, str]] = []
    for index in range(customers):
        plans = seeder.plan_customer(index)
        since = min(p.start for p in plans) - timedelta(seeder.rng.randint(30, 1500))
        customer = add_customer(ctx, seeder.person(index, since))
        if index < len(CUSTOMER_LOGINS):
            linked.append((customer.id, customer.name))
        for number, plan in enumerate(plans, start=1):
            seeder.book(plan, customer.customer_no, f"XSL{index + 1:06d}{number:02d}")
        ctx.session.commit()

    for username, (customer_id, name) in zip(CUSTOMER_LOGINS, linked, strict=True):
        create_user(ctx, username, DEMO_PASSWORD, Role.CUSTOMER, name, customer_id)
    for username, role, display_name in STAFF_LOGINS:
        create_user(ctx, username, DEMO_PASSWORD, role, display_name)
    ctx.session.commit()
    seed_policy_change(ctx)  # before the negotiations: they are decided under the version in force
    negotiations = seed_negotiations(ctx, as_of, [customer_id for customer_id, _ in linked])
    seed_complaints(ctx, [customer_id for customer_id, _ in linked])
    activity = seed_activity(ctx, as_of, seed, [customer_id for customer_id, _ in linked], contact)

    counts = seeder.counts
    return SeedSummary(
        as_of=as_of,
        customers=customers,
        loans=seeder.loans,
        payments=seeder.payments,
        current=counts[LoanState.CURRENT],
        dpd_1_30=counts[LoanState.DPD_1_30],
        dpd_31_90=counts[LoanState.DPD_31_90],
        dpd_90_plus=counts[LoanState.DPD_90_PLUS],
        paid_off=counts[LoanState.PAID_OFF],
        restructured=seeder.restructured,
        usernames=CUSTOMER_LOGINS + tuple(u for u, _, _ in STAFF_LOGINS),
        negotiations=negotiations,
        activity=activity,
    )
