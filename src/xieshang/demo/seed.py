"""A synthetic demo portfolio, built through the real services: :func:`seed_demo`.

Three products, ``customers`` borrowers with valid (synthetic) personal data, and loans in every
state as of a date — current, 1–30, 31–90 and over 90 days past due, paid off, a couple restructured —
plus one login per role. Every row goes through ``add_product``, ``add_customer``, ``add_loan``,
``record_payment`` and ``create_user``, so it is validated, encrypted and audited like real data.
Each loan's payments are chosen for the state it should be in, then the ledger (``ledger_as_of``)
confirms it is. The same ``seed`` gives the same portfolio.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from xieshang.audit.service import record
from xieshang.auth.service import create_user
from xieshang.customers.repository import has_customers
from xieshang.customers.service import add_customer
from xieshang.demo.activity import DemoActivity, seed_activity
from xieshang.demo.actor import MakeContact
from xieshang.demo.negotiations import DemoNegotiations, seed_complaints, seed_negotiations
from xieshang.demo.people import People
from xieshang.demo.plans import (
    CONSUMER,
    DPD_RANGES,
    PRODUCTS,
    REVOLVING,
    STATE_WEIGHTS,
    Due,
    LoanPlan,
    LoanState,
    Product,
    state_of,
)
from xieshang.demo.policy import seed_policy_change
from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.calendar import add_months
from xieshang.domain.errors import AlreadyExists, InvalidInput, PermissionDenied
from xieshang.domain.money import Fen, to_yuan
from xieshang.kit.config import Environment
from xieshang.kit.context import Context
from xieshang.loans.ledger import to_ledger
from xieshang.loans.repository import loan_with_ledger
from xieshang.loans.schemas import LoanCreate, PaymentCreate
from xieshang.loans.service import add_loan, add_product, record_payment, require_loan
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


class _Seeder:
    def __init__(self, ctx: Context, as_of: date, seed: int) -> None:
        self.ctx = ctx
        self.as_of = as_of
        self.rng = random.Random(seed)
        self.people = People(self.rng, as_of)
        self.payments = 0
        self.counts = dict.fromkeys(LoanState, 0)
        self.restructured = 0
        self.loans = 0

    # ---- planning: pure, driven by the random generator only ----

    def plan_customer(self, index: int) -> list[LoanPlan]:
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
            list(STATE_WEIGHTS), weights=list(STATE_WEIGHTS.values()), k=count
        )
        return [self.plan(state) for state in states]

    def plan(
        self, state: LoanState, product: Product | None = None, *, restructured: bool = False
    ) -> LoanPlan:
        rng = self.rng
        if product is None:
            product = rng.choices(PRODUCTS, weights=[p.weight for p in PRODUCTS])[0]
        low, high, step = product.principal
        # Smaller loans are commoner: a triangular draw leaning to the low end.
        principal = int(rng.triangular(low, high, low + (high - low) * 0.15)) // step * step
        rate = rng.choice(product.rates)
        months = rng.choice(product.months[1:] if restructured else product.months)
        if state in DPD_RANGES:
            first, last = DPD_RANGES[state]
            # Due dates on days 1–28 only, so that every month has them and no end-of-month clamping
            # moves an installment off the planned date.
            days = [d for d in range(first, last + 1) if (self.as_of - timedelta(d)).day <= 28]
            missed_due = self.as_of - timedelta(rng.choice(days))
            paid_before = rng.randint(1, 5) if restructured else rng.randint(0, min(months - 1, 10))
            start = add_months(missed_due, -(paid_before + 1))
            return LoanPlan(
                state, product, principal, rate, months, start, missed_due, False, restructured
            )
        early = state is LoanState.PAID_OFF and rng.random() < 0.4
        if state is LoanState.PAID_OFF and not early:
            months = product.matured_months
            maturity = self.as_of - timedelta(rng.randint(3, 240))
            return LoanPlan(state, product, principal, rate, months, add_months(maturity, -months))
        longest = 200 if restructured else min(450, (months - 1) * 28)
        back = rng.randint(45 if early or restructured else 20, longest)
        start = self.as_of - timedelta(back)
        return LoanPlan(state, product, principal, rate, months, start, None, early, restructured)

    # ---- booking: through the services ----

    def book(self, plan: LoanPlan, customer_no: str, loan_no: str) -> None:
        loan = add_loan(
            self.ctx,
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
        dues = [Due(i.number, i.due_date, i.principal + i.interest) for i in loan.installments]
        if plan.restructured:
            self.mark_restructured(loan, plan)
        payments = self.payments_for(plan, dues)
        self.post(loan_id, loan_no, payments)
        self.payments += len(payments)
        self.check(loan_id, loan_no, plan)

    def payments_for(self, plan: LoanPlan, dues: list[Due]) -> list[tuple[date, Fen, Channel]]:
        """The payments that bring the loan to its planned state: on time (a day or two either
        side), a missed installment perhaps part-paid, or an early settlement (amount ``PAYOFF``)."""
        rng, as_of = self.rng, self.as_of
        grace = plan.product.create.grace_days
        offsets = (-2, -1, 0, 0, 0, 0, 1, 2) if grace >= 2 else (-3, -1, 0, 0, 0, 0)
        payments: list[tuple[date, Fen, Channel]] = []

        def on_time(due: Due) -> None:
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
        return payments

    def post(self, loan_id: int, loan_no: str, payments: list[tuple[date, Fen, Channel]]) -> None:
        """Record the payments through the loans service, never more than is owed that day."""
        ctx = self.ctx
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

    def mark_restructured(self, loan: Loan, plan: LoanPlan) -> None:
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

    def check(self, loan_id: int, loan_no: str, plan: LoanPlan) -> None:
        """Confirm with the ledger that the loan is in the state it was built for."""
        loan = loan_with_ledger(self.ctx, loan_id, fresh=True)
        assert loan is not None, "the demo deletes no loan"
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
    _refuse(ctx, as_of, customers)
    seeder = _Seeder(ctx, as_of, seed)
    for product in PRODUCTS:
        add_product(ctx, product.create)
    ctx.session.commit()
    linked = _book_customers(ctx, seeder, customers)
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


def _refuse(ctx: Context, as_of: date, customers: int) -> None:
    """Production, a database with data, too few customers or a day in the future."""
    if ctx.settings.environment is Environment.PRODUCTION:
        raise PermissionDenied(
            "demo data and its published password are never created in production"
        )
    if has_customers(ctx):
        raise AlreadyExists("the database already has data; seed a fresh one")
    if customers < MIN_CUSTOMERS:
        raise InvalidInput("customers", f"must be at least {MIN_CUSTOMERS} to show every state")
    if as_of > ctx.today():
        raise InvalidInput(
            "as_of", f"is after today ({ctx.today()}); payments cannot be in the future"
        )


def _book_customers(ctx: Context, seeder: _Seeder, customers: int) -> list[tuple[int, str]]:
    """Each customer with their loans and payments (a commit each); the first few, who get the
    demo's customer logins, as (id, name)."""
    linked: list[tuple[int, str]] = []
    for index in range(customers):
        plans = seeder.plan_customer(index)
        since = min(p.start for p in plans) - timedelta(seeder.rng.randint(30, 1500))
        customer = add_customer(ctx, seeder.people.person(index, since))
        if index < len(CUSTOMER_LOGINS):
            linked.append((customer.id, customer.name))
        for number, plan in enumerate(plans, start=1):
            seeder.book(plan, customer.customer_no, f"XSL{index + 1:06d}{number:02d}")
        ctx.session.commit()
    return linked
