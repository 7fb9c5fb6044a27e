"""Hypothesis strategies shared by the property tests, and how many examples a property gets.

Loans, schedules and ledgers for the ledger's properties (tests/domain/test_*_properties.py), short
loans with a review date for disputes, and hardship cases for the negotiation engine. Every
property's example count goes through ``examples``: the full run (``./dev test``, CI) checks each
property with the count its test asks for; the ``fast`` profile (``./dev fast``) checks a fifth.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import assume, reject, settings
from hypothesis import strategies as st

from xieshang.domain.accrual import LedgerState, ledger_as_of
from xieshang.domain.allocation import AllocationOrder, Component, Due
from xieshang.domain.calendar import add_months
from xieshang.domain.delinquency import Classification, ClassificationThresholds
from xieshang.domain.errors import ScheduleError
from xieshang.domain.loan import Charge, ChargeKind, Loan, Payment, PenaltyRules
from xieshang.domain.money import Fen
from xieshang.domain.negotiation.case import (
    Case,
    Finances,
    Hardship,
    History,
    Proposal,
    Request,
    Scenario,
)
from xieshang.domain.rates import DayCount
from xieshang.domain.restructure import Debt
from xieshang.domain.schedule import (
    InterestBasis,
    LoanTerms,
    RepaymentMethod,
    Schedule,
    build_schedule,
)

# ---------------------------------------------------------------------------------------------
# How many examples
# ---------------------------------------------------------------------------------------------

HYPOTHESIS_DEFAULT_EXAMPLES = 100


def examples(n: int) -> int:
    """``n`` examples scaled by the loaded profile's ``max_examples`` against Hypothesis's 100: all
    ``n`` under the default and ci profiles, a fifth (at least 2) under ``fast`` (20)."""
    scaled = n * settings().max_examples // HYPOTHESIS_DEFAULT_EXAMPLES  # settings(): the profile's
    return max(min(n, 2), scaled)


# A property cheap to check gets 100 examples; one that replays whole ledgers, 40.
CHEAP = settings(max_examples=examples(100), deadline=None)
COSTLY = settings(max_examples=examples(40), deadline=None)

# ---------------------------------------------------------------------------------------------
# Loans, schedules and ledgers
# ---------------------------------------------------------------------------------------------

MIN_PRINCIPAL: Fen = 10_000  # 100.00 yuan
MAX_PRINCIPAL: Fen = 500_000_000  # 5,000,000.00 yuan
APR_MIN_PRINCIPAL: Fen = 1_000_000  # 10,000 yuan: below ~1,000 yuan fen rounding alone moves the
# IRR by more than 1e-4 (100 yuan at 24.5 % over 360 months: 5.5e-4), a property of money, not a bug.

rates = st.integers(0, 3_600).map(lambda bp: Decimal(bp) / 10_000)  # 0 to 36 %, to the 0.01 %
start_dates = st.dates(date(2000, 1, 1), date(2060, 12, 31))


@st.composite
def loan_terms(
    draw: st.DrawFn,
    *,
    max_months: int = 360,
    methods: tuple[RepaymentMethod, ...] = tuple(RepaymentMethod),
    min_principal: Fen = MIN_PRINCIPAL,
) -> LoanTerms:
    """Any valid terms within realistic bounds, broken first periods and grace periods included."""
    start = draw(start_dates)
    months = draw(st.integers(1, max_months))
    latest_first_due = (add_months(start, 2) - start).days
    first_due = draw(
        st.none() | st.integers(1, latest_first_due).map(lambda d: start + timedelta(days=d))
    )
    terms = LoanTerms(
        principal=draw(st.integers(min_principal, MAX_PRINCIPAL)),
        annual_rate=draw(rates),
        months=months,
        start_date=start,
        method=draw(st.sampled_from(methods)),
        first_due_date=first_due,
        interest_basis=draw(st.sampled_from(InterestBasis)),
        day_count=draw(st.sampled_from(DayCount)),
        installment_multiple=draw(st.sampled_from([1, 100])),
        principal_grace_periods=draw(st.just(0) | st.integers(0, months - 1)),
    )
    try:
        build_schedule(terms)
    except ScheduleError:  # refused for its rounding multiple: tested on its own
        reject()
    return terms


@st.composite
def plain_terms(draw: st.DrawFn) -> LoanTerms:
    """Equal installments from one month after the start, no grace, large enough for a fine APR."""
    return LoanTerms(
        principal=draw(st.integers(APR_MIN_PRINCIPAL, MAX_PRINCIPAL)),
        annual_rate=draw(rates),
        months=draw(st.integers(1, 360)),
        start_date=draw(start_dates),
    )


allocation_orders = st.builds(
    AllocationOrder,
    st.permutations(list(Component)).map(tuple),
    st.booleans(),
)


mostly_true = st.sampled_from([True, True, True, False])


@st.composite
def penalty_rules(draw: st.DrawFn) -> PenaltyRules:
    return PenaltyRules(
        markup=draw(st.integers(0, 10).map(lambda tenths: Decimal(tenths) / 10)),
        penalty_enabled=draw(mostly_true),
        compound_enabled=draw(mostly_true),
        grace_days=draw(st.sampled_from([0, 3]) | st.integers(0, 30)),
        charge_grace_when_exceeded=draw(st.booleans()),
        day_count=draw(st.sampled_from(DayCount)),
        allocation=draw(allocation_orders),
    )


def horizon(schedule: Schedule) -> int:
    """Days from the start to two months after the last due date: the window events fall in."""
    return (schedule.installments[-1].due_date - schedule.start_date).days + 60


def day_in(start: date, days: int) -> st.SearchStrategy[date]:
    return st.integers(0, days).map(lambda d: start + timedelta(days=d))


def as_of_dates(schedule: Schedule) -> st.SearchStrategy[date]:
    """Any day of the loan's life, or one close to a due date, where grace periods end."""
    start = schedule.start_date
    near_due = st.tuples(
        st.sampled_from([i.due_date for i in schedule.installments]), st.integers(-2, 35)
    ).map(lambda pair: max(start, pair[0] + timedelta(days=pair[1])))
    return day_in(start, horizon(schedule)) | near_due


@st.composite
def loans(
    draw: st.DrawFn,
    *,
    max_months: int = 18,
    with_events: bool = True,
    methods: tuple[RepaymentMethod, ...] = tuple(RepaymentMethod),
) -> Loan:
    """A loan with random product rules and, unless told otherwise, random payments and charges."""
    terms = draw(loan_terms(max_months=max_months, methods=methods))
    schedule = build_schedule(terms)
    window = day_in(terms.start_date, horizon(schedule))
    payments: list[Payment] = []
    charges: list[Charge] = []
    if with_events:
        amounts = st.integers(1, max(1, terms.principal // 3)) | st.integers(1, 100_000)
        payments = draw(st.lists(st.builds(Payment, window, amounts), max_size=6))
        if draw(st.sampled_from([False, False, False, True]), label="overpays"):
            overpayment = st.integers(terms.principal, 2 * terms.principal)
            payments.append(draw(st.builds(Payment, window, overpayment)))
        charges = draw(
            st.lists(
                st.builds(
                    Charge,
                    window,
                    st.integers(1, 50_000),
                    st.sampled_from(ChargeKind),
                    st.none() | st.integers(1, len(schedule.installments)),
                ),
                max_size=3,
            )
        )
    return Loan(terms, schedule, draw(penalty_rules()), tuple(payments), tuple(charges))


@st.composite
def dues(draw: st.DrawFn) -> list[Due]:
    """Up to 20 dues (some zero or negative, which are not owed) on distinct (installment,
    component) pairs."""
    keys = draw(
        st.lists(st.tuples(st.integers(1, 8), st.sampled_from(Component)), unique=True, max_size=20)
    )
    amounts = st.integers(-1_000, 0) | st.integers(0, 2_000_000)
    return [Due(n, c, draw(amounts)) for n, c in keys]


@st.composite
def states(
    draw: st.DrawFn,
    *,
    before_last_due: bool = False,
    methods: tuple[RepaymentMethod, ...] = tuple(RepaymentMethod),
) -> LedgerState:
    """The ledger of a random loan (``loans``) on a day of its life, before the last due date if
    asked."""
    loan = draw(loans(methods=methods))
    start = loan.schedule.start_date
    last_due = loan.schedule.installments[-1].due_date
    if before_last_due:
        as_of = draw(day_in(start, (last_due - start).days - 1), label="as_of")
    else:
        as_of = draw(as_of_dates(loan.schedule), label="as_of")
    return ledger_as_of(loan, as_of)


def paid_up_state(terms: LoanTerms, as_of: date) -> LedgerState:
    """The ledger of a customer who paid every installment in full on its due date."""
    schedule = build_schedule(terms)
    payments = tuple(
        Payment(i.due_date, i.payment)
        for i in schedule.installments
        if i.due_date <= as_of and i.payment > 0
    )
    return ledger_as_of(Loan(terms, schedule, PenaltyRules(), payments), as_of)


@st.composite
def paid_up_states(draw: st.DrawFn, methods: tuple[RepaymentMethod, ...]) -> LedgerState:
    """A paid-up customer seen on a day before the last due date."""
    terms = draw(loan_terms(max_months=36, methods=methods))
    schedule = build_schedule(terms)
    assume(len(schedule.installments) > 1)
    last_due = schedule.installments[-1].due_date
    as_of = draw(day_in(terms.start_date, (last_due - terms.start_date).days - 1), label="as_of")
    return paid_up_state(terms, as_of)


prepaid_fen = st.integers(1, 100) | st.integers(1, MAX_PRINCIPAL)


@st.composite
def debts(draw: st.DrawFn) -> Debt:
    arrears = st.just(0) | st.integers(0, 10_000_000)
    return Debt(
        principal=draw(st.integers(0, MAX_PRINCIPAL)),
        interest=draw(arrears),
        penalty=draw(arrears),
        compound=draw(arrears),
        fee=draw(arrears),
    )


# ---------------------------------------------------------------------------------------------
# Delinquency and rates
# ---------------------------------------------------------------------------------------------


@st.composite
def thresholds(draw: st.DrawFn) -> ClassificationThresholds:
    """Four increasing day counts and any floor for a restructured loan."""
    first, second, third, fourth = sorted(
        draw(st.sets(st.integers(1, 1_000), min_size=4, max_size=4))
    )
    floor = draw(st.sampled_from(Classification))
    return ClassificationThresholds(first, second, third, fourth, restructured_floor=floor)


bare_above_one = st.one_of(
    st.integers(2, 10**12).map(str),
    st.decimals(min_value=Decimal("1.0001"), max_value=10**9, places=4).map(str),
    st.integers(0, 25).map(lambda zeros: "1." + "0" * zeros + "1"),  # up to 28 digits
    st.integers(1, 20).map(lambda e: f"1E{e}"),
)
"""A rate written without a % sign that is above one, in the ways people write numbers."""

# ---------------------------------------------------------------------------------------------
# Disputes: a short loan and the day its charges are reviewed
# ---------------------------------------------------------------------------------------------


@st.composite
def loans_with_review_dates(draw: st.DrawFn) -> tuple[Loan, date]:
    """A short loan with random product rules, payments and fees, and a review date."""
    start = draw(st.dates(date(2020, 1, 1), date(2030, 12, 31)))
    terms = LoanTerms(
        principal=draw(st.integers(100_000, 50_000_000)),
        annual_rate=draw(st.integers(100, 2_400).map(lambda bp: Decimal(bp) / 10_000)),
        months=draw(st.integers(1, 9)),
        start_date=start,
        method=draw(st.sampled_from(RepaymentMethod)),
    )
    count = len(build_schedule(terms).installments)
    rules = PenaltyRules(
        markup=draw(st.integers(0, 10).map(lambda tenths: Decimal(tenths) / 10)),
        grace_days=draw(st.sampled_from([0, 3])),
    )
    days = st.integers(0, 31 * terms.months + 60).map(lambda d: start + timedelta(days=d))
    payments = draw(
        st.lists(st.builds(Payment, days, st.integers(1, terms.principal // 2)), max_size=4)
    )
    charges = draw(
        st.lists(
            st.builds(
                Charge,
                days,
                st.integers(1, 50_000),
                st.just(ChargeKind.FEE),
                st.none() | st.integers(1, count),
            ),
            max_size=2,
        )
    )
    as_of = draw(days)
    return Loan.from_terms(terms, rules, tuple(payments), tuple(charges)), as_of


# ---------------------------------------------------------------------------------------------
# The negotiation engine: a customer in hardship
# ---------------------------------------------------------------------------------------------

ENGINE_TERMS = LoanTerms(
    principal=5_000_000, annual_rate=Decimal("0.12"), months=36, start_date=date(2025, 6, 1)
)


def loan_paid_for(months: int, terms: LoanTerms = ENGINE_TERMS) -> Loan:
    """A loan whose first ``months`` installments were paid on their due dates."""
    plain = Loan.from_terms(terms)
    payments = tuple(Payment(i.due_date, i.payment) for i in plain.schedule.installments[:months])
    return Loan.from_terms(terms, payments=payments)


@st.composite
def hardship_cases(draw: st.DrawFn) -> Case:
    """A customer in hardship on a loan paid for some months and now overdue (up to 200 days),
    with random finances, history and, sometimes, a monthly payment of their own."""
    months = draw(st.integers(6, 60))
    terms = LoanTerms(
        principal=draw(st.integers(500_000, 20_000_000)),  # up to the ¥200,000 consumer limit
        annual_rate=Decimal(draw(st.integers(360, 2400))) / 10_000,
        months=months,
        start_date=date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 200))),
    )
    paid = draw(st.integers(0, months - 2))
    due = terms.start_date + timedelta(days=31 * (paid + 1))
    as_of = due + timedelta(days=draw(st.integers(0, 200)))
    income = draw(st.integers(200_000, 3_000_000))
    history = History(
        tenure_months=draw(st.integers(0, 120)),
        installments_due=paid + 1,
        installments_on_time=draw(st.integers(0, paid + 1)),
        plans_broken=draw(st.integers(0, 1)),
        months_since_broken_plan=draw(st.none() | st.integers(0, 24)),
        new_debts_recent=draw(st.integers(0, 4)),
    )
    proposal = draw(st.none() | st.builds(Proposal, st.integers(10_000, 1_000_000)))
    return Case(
        loan=loan_paid_for(paid, terms),
        finances=Finances(
            income,
            income + draw(st.integers(0, 300_000)),
            draw(st.integers(0, income)),
            draw(st.integers(0, income // 2)),
            draw(st.integers(0, 10_000_000)),
        ),
        history=history,
        request=Request(Scenario.HARDSHIP, draw(st.sampled_from(Hardship)), proposal),
        as_of=as_of,
    )
