"""Property tests of the pure ledger: accrual is additive, allocation never overpays, money is
conserved, and days past due count as they should.

Every property is checked against an independent computation (the stdlib calendar, a sum over the
inputs, a threshold table) rather than against the code under test wherever one exists. Properties
that the code does not hold today are kept as strict ``xfail`` tests whose reason starts with
``BUG:``, so that a fix turns them into failures that ask for the marker to be removed. The
strategies are in tests/strategies.py.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import (
    CHEAP,
    COSTLY,
    allocation_orders,
    as_of_dates,
    day_in,
    dues,
    examples,
    horizon,
    loans,
)
from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.allocation import AllocationOrder, Component, Due, allocate
from xieshang.domain.loan import Loan, Payment
from xieshang.domain.money import Fen
from xieshang.domain.rates import DayCount

# ---------------------------------------------------------------------------------------------
# Helpers: facts computed from the inputs, not from the code under test
# ---------------------------------------------------------------------------------------------


def half_up(exact: Fraction) -> Fen:
    """Round a non-negative exact amount of fen to a whole fen, half up (the bank's rule)."""
    whole, rest = divmod(exact.numerator, exact.denominator)
    return whole + (2 * rest >= exact.denominator)


def received_by(loan: Loan, as_of: date) -> Fen:
    return sum(p.amount for p in loan.payments if p.on <= as_of)


# ---------------------------------------------------------------------------------------------
# 3. Accrual is additive: pausing on the way changes nothing
# ---------------------------------------------------------------------------------------------


@COSTLY
@given(loan=loans(), data=st.data())
def test_pausing_the_replay_at_any_date_leaves_the_whole_ledger_unchanged(
    loan: Loan, data: st.DataObject
) -> None:
    start = loan.schedule.start_date
    as_of = data.draw(as_of_dates(loan.schedule), label="as_of")
    stops = data.draw(st.lists(day_in(start, (as_of - start).days), min_size=1, max_size=4))
    straight = ledger_as_of(loan, as_of)
    paused = ledger_as_of(loan, as_of, stops=tuple(stops))
    assert paused.installments == straight.installments
    assert paused.payments == straight.payments
    assert paused.credit == straight.credit
    assert paused == straight


@settings(max_examples=examples(15), deadline=None)
@given(loan=loans(max_months=6), data=st.data())
def test_advancing_one_day_at_a_time_gives_the_same_ledger_as_one_jump(
    loan: Loan, data: st.DataObject
) -> None:
    start = loan.schedule.start_date
    as_of = data.draw(day_in(start, horizon(loan.schedule)), label="as_of")
    every_day = tuple(start + timedelta(days=d) for d in range((as_of - start).days + 1))
    assert ledger_as_of(loan, as_of, stops=every_day) == ledger_as_of(loan, as_of)


@CHEAP
@given(loan=loans(with_events=False), data=st.data())
def test_penalty_without_payments_is_days_overdue_times_a_daily_amount_on_the_principal(
    loan: Loan, data: st.DataObject
) -> None:
    """With no grace days, penalty on an unpaid installment = days since due × round(P × rate / year)."""
    loan = replace(loan, rules=replace(loan.rules, grace_days=0, penalty_enabled=True))
    as_of = data.draw(day_in(loan.schedule.start_date, horizon(loan.schedule)), label="as_of")
    state = ledger_as_of(loan, as_of)
    rate = Fraction(loan.terms.annual_rate) * (1 + Fraction(loan.rules.markup))
    year = 365 if loan.rules.day_count is DayCount.ACTUAL_365 else 360
    for item in state.installments:
        row = item.installment
        days = max(0, (as_of - row.due_date).days)
        daily = half_up(row.principal * rate / year)
        assert item.charged[Component.PENALTY] == days * daily, row


# ---------------------------------------------------------------------------------------------
# 4. Allocation never overpays and never loses a fen
# ---------------------------------------------------------------------------------------------


@CHEAP
@given(dues=dues(), order=allocation_orders, data=st.data())
def test_allocation_pays_no_due_more_than_it_owes_and_never_loses_a_fen(
    dues: list[Due], order: AllocationOrder, data: st.DataObject
) -> None:
    owed = sum(max(0, d.amount) for d in dues)
    amount = data.draw(st.integers(0, owed + 1_000) | st.integers(0, 100), label="amount")
    allocations, left = allocate(amount, dues, order)

    assert sum(a.amount for a in allocations) + left == amount
    assert left >= 0
    by_key = {(d.installment, d.component): d.amount for d in dues}
    seen: Counter[tuple[int, Component]] = Counter()
    for a in allocations:
        key = (a.installment, a.component)
        seen[key] += 1
        assert key in by_key, "only a listed due is paid"
        assert 0 < a.amount <= by_key[key]
    assert all(count == 1 for count in seen.values())
    assert left == max(0, amount - owed), "money is left only once every due is paid"

    # The order: a due gets money only once every due before it (in the order asked for) is paid.
    rank = {c: i for i, c in enumerate(order.components)}

    def position(key: tuple[int, Component]) -> tuple[int, int]:
        n, c = key
        return (n, rank[c]) if order.by_installment else (rank[c], n)

    paid = {(a.installment, a.component): a.amount for a in allocations}
    positive = sorted((k for k, v in by_key.items() if v > 0), key=position)
    for index, key in enumerate(positive):
        if paid.get(key, 0) < by_key[key]:
            assert all(k not in paid for k in positive[index + 1 :]), "paid out of order"


# ---------------------------------------------------------------------------------------------
# 5. The ledger conserves money
# ---------------------------------------------------------------------------------------------


@COSTLY
@given(loan=loans(), data=st.data())
def test_every_fen_received_is_allocated_or_held_as_credit(loan: Loan, data: st.DataObject) -> None:
    as_of = data.draw(as_of_dates(loan.schedule), label="as_of")
    state = ledger_as_of(loan, as_of)

    paid = sum(item.paid[c] for item in state.installments for c in Component)
    assert received_by(loan, as_of) == paid + state.credit  # applied, or held for the customer
    assert len(state.payments) == sum(1 for p in loan.payments if p.on <= as_of)
    for record in state.payments:
        assert all(a.amount > 0 for a in record.allocations)
        assert record.unapplied >= 0

    for item in state.installments:
        n = item.installment.number
        for c in Component:
            assert 0 <= item.paid[c] <= item.charged[c], (n, c)
        assert item.charged[Component.PRINCIPAL] == item.installment.principal
        settled_before = (
            state.settled_on is not None and item.installment.due_date > state.settled_on
        )
        if settled_before:  # early settlement: interest only to the settlement day
            assert item.charged[Component.INTEREST] <= item.installment.interest
        else:
            assert item.charged[Component.INTEREST] == item.installment.interest

    fees = sum(c.amount for c in loan.charges if c.on <= as_of)
    assert sum(s.charged[Component.FEE] for s in state.installments) == fees


# ---------------------------------------------------------------------------------------------
# 8. Days past due
# ---------------------------------------------------------------------------------------------


@COSTLY
@given(loan=loans(with_events=False), data=st.data())
def test_days_past_due_is_zero_for_a_customer_who_pays_every_installment_on_its_due_date(
    loan: Loan, data: st.DataObject
) -> None:
    payments = tuple(
        Payment(i.due_date, i.payment) for i in loan.schedule.installments if i.payment > 0
    )
    loan = replace(loan, payments=payments)
    window = day_in(loan.schedule.start_date, horizon(loan.schedule))
    for as_of in data.draw(st.lists(window, min_size=1, max_size=4), label="dates"):
        state = ledger_as_of(loan, as_of)
        assert state.days_past_due == 0
        assert all(s.owed(Component.PRINCIPAL) == 0 for s in state.due())
        assert all(s.owed(Component.INTEREST) == 0 for s in state.due())


@CHEAP
@given(loan=loans(with_events=False), data=st.data())
def test_days_past_due_without_payments_counts_from_the_first_due_date(
    loan: Loan, data: st.DataObject
) -> None:
    first = next(i for i in loan.schedule.installments if i.payment > 0)
    as_of = data.draw(day_in(loan.schedule.start_date, horizon(loan.schedule)), label="as_of")
    assert ledger_as_of(loan, as_of).days_past_due == max(0, (as_of - first.due_date).days)


@COSTLY
@given(loan=loans(max_months=12), data=st.data())
def test_days_past_due_rises_by_exactly_one_a_day_while_an_installment_stays_unpaid(
    loan: Loan, data: st.DataObject
) -> None:
    start = loan.schedule.start_date
    last_event = max([p.on for p in loan.payments], default=start)
    first = data.draw(day_in(last_event, horizon(loan.schedule)), label="first day")
    previous = ledger_as_of(loan, first).days_past_due
    for offset in range(1, 8):
        state = ledger_as_of(loan, first + timedelta(days=offset))
        overdue = [
            s
            for s in state.installments
            if s.installment.due_date < state.as_of
            and (s.owed(Component.PRINCIPAL) or s.owed(Component.INTEREST))
        ]
        if not overdue:
            assert state.days_past_due == 0
        else:
            assert state.days_past_due == (state.as_of - overdue[0].installment.due_date).days
        if previous > 0:
            assert state.days_past_due == previous + 1
        else:
            assert state.days_past_due in (0, 1)
        previous = state.days_past_due
