"""Property tests of schedules: they amortise exactly, and due dates roll month ends from one
anchor.

Every property is checked against an independent computation (the stdlib calendar, a sum over the
inputs, a threshold table) rather than against the code under test wherever one exists. Properties
that the code does not hold today are kept as strict ``xfail`` tests whose reason starts with
``BUG:``, so that a fix turns them into failures that ask for the marker to be removed. The
strategies are in tests/strategies.py.
"""

from __future__ import annotations

import calendar
import itertools
from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from tests.domain.schedule_facts import assert_amortises, refusal
from tests.strategies import (
    CHEAP,
    MIN_PRINCIPAL,
    loan_terms,
    start_dates,
)
from xieshang.domain.schedule import (
    LoanTerms,
    RepaymentMethod,
    build_schedule,
)

# ---------------------------------------------------------------------------------------------
# Helpers: facts computed from the inputs, not from the code under test
# ---------------------------------------------------------------------------------------------


def month_end_clamped(year: int, month: int, day: int) -> date:
    """Independent of ``add_months``: the stdlib calendar's last day caps ``day``."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def nth_month(anchor: date, k: int) -> tuple[int, int]:
    year, month = divmod(anchor.year * 12 + (anchor.month - 1) + k, 12)
    return year, month + 1


# ---------------------------------------------------------------------------------------------
# 1. Schedules amortise exactly
# ---------------------------------------------------------------------------------------------


@CHEAP
@given(terms=loan_terms())
def test_principal_parts_sum_to_the_principal_and_balances_step_down_to_zero(
    terms: LoanTerms,
) -> None:
    refused = refusal(build_schedule, terms)
    if refused is not None:  # a rounding multiple too coarse for the loan is refused
        assert refused.field in ("months", "installment_multiple")
        assert terms.principal < 10 * terms.months * terms.installment_multiple
        return
    schedule = build_schedule(terms)
    assert schedule.principal == terms.principal
    assert_amortises(schedule)
    expected_rows = 1 if terms.method is RepaymentMethod.BULLET else terms.months
    assert len(schedule.installments) == expected_rows
    if terms.annual_rate == 0:
        assert schedule.total_interest == 0
    for row in schedule.installments[: terms.principal_grace_periods]:
        if row.number < len(schedule.installments):
            assert row.principal == 0, "a grace period repays no principal"


@CHEAP
@given(terms=loan_terms(min_principal=MIN_PRINCIPAL, max_months=360))
def test_a_tiny_principal_with_a_whole_yuan_installment_still_amortises_exactly(
    terms: LoanTerms,
) -> None:
    """The combination most likely to break rounding: 100 yuan, level installment rounded to 1 yuan.

    Either the schedule amortises exactly with a real installment every month, or it is refused
    for the rounding multiple — never a run of ¥0.00 installments or a loan repaid early.
    """
    terms = replace(
        terms,
        principal=MIN_PRINCIPAL + terms.principal % 1_000,
        installment_multiple=100,
        method=RepaymentMethod.EQUAL_INSTALLMENT,
    )
    refused = refusal(build_schedule, terms)
    if refused is not None:
        assert refused.field == "installment_multiple"
        return
    schedule = build_schedule(terms)
    assert_amortises(schedule)
    assert all(
        row.payment > 0
        for row in schedule.installments
        if row.number > terms.principal_grace_periods
    )
    assert all(row.balance > 0 for row in schedule.installments[:-1])


# ---------------------------------------------------------------------------------------------
# 2. Due dates roll month ends from one anchor
# ---------------------------------------------------------------------------------------------


@CHEAP
@given(
    start=st.builds(
        date, st.integers(2000, 2060), st.sampled_from([1, 3, 5, 7, 8, 10, 12]), st.just(31)
    ),
    months=st.integers(1, 60),
    method=st.sampled_from(
        [m for m in RepaymentMethod if m is not RepaymentMethod.BULLET],
    ),
)
def test_due_dates_from_the_31st_land_on_month_ends_and_return_to_the_31st(
    start: date, months: int, method: RepaymentMethod
) -> None:
    terms = LoanTerms(1_000_000, Decimal("0.12"), months, start, method=method)
    due = [i.due_date for i in build_schedule(terms).installments]
    expected = [month_end_clamped(*nth_month(start, k), 31) for k in range(1, months + 1)]
    assert due == expected
    for day in due:
        assert day.day == calendar.monthrange(day.year, day.month)[1], (
            "every due date is a month end"
        )


@CHEAP
@given(
    start=start_dates,
    anchor_day=st.integers(28, 31),
    months=st.integers(1, 60),
)
def test_due_dates_keep_the_day_of_a_broken_first_due_date(
    start: date, anchor_day: int, months: int
) -> None:
    first_due = month_end_clamped(*nth_month(start, 1), anchor_day)
    assume(first_due > start)
    terms = LoanTerms(1_000_000, Decimal("0.12"), months, start, first_due_date=first_due)
    due = [i.due_date for i in build_schedule(terms).installments]
    expected = [month_end_clamped(*nth_month(first_due, k), first_due.day) for k in range(months)]
    assert due == expected
    assert all(later > earlier for earlier, later in itertools.pairwise(due))
