from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xieshang.domain.calendar import add_months, months_between
from xieshang.domain.errors import InvalidInput
from xieshang.domain.money import display_yuan, round_fen, round_to_multiple, to_yuan, yuan
from xieshang.domain.rates import DayCount, RateBasis, apr, format_rate, parse_rate


def test_rounding_is_half_up_to_the_fen() -> None:
    assert round_fen(Decimal("0.5")) == 1
    assert round_fen(Decimal("1.4999")) == 1
    assert round_fen(Decimal("2.5")) == 3  # not banker's rounding
    assert round_fen(Decimal("-2.5")) == -3


def test_an_installment_can_be_rounded_to_whole_yuan() -> None:
    assert round_to_multiple(Decimal("30490.2"), 100) == 30_500
    assert round_to_multiple(Decimal("30449.9"), 100) == 30_400
    assert round_to_multiple(Decimal("30450"), 100) == 30_500


@pytest.mark.parametrize(
    ("text", "fen"), [("1234.56", 123_456), ("¥1,234.5", 123_450), ("1200", 120_000), ("0.01", 1)]
)
def test_yuan_strings_become_exact_fen(text: str, fen: int) -> None:
    assert yuan(text) == fen


@pytest.mark.parametrize("text", ["12.345", "abc", "NaN", "Infinity", ""])
def test_bad_amounts_are_refused_with_the_field_named(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"^principal: "):
        yuan(text, "principal")


def test_fen_print_as_yuan_strings() -> None:
    assert to_yuan(123_456) == "1234.56"
    assert to_yuan(-5) == "-0.05"
    assert display_yuan(123_456_789) == "¥1,234,567.89"


@pytest.mark.parametrize(
    ("text", "basis", "annual"),
    [
        ("12%", RateBasis.ANNUAL, Decimal("0.12")),
        ("0.12", RateBasis.ANNUAL, Decimal("0.12")),
        ("1", RateBasis.ANNUAL, Decimal("1")),
        ("0.05%", RateBasis.DAILY, Decimal("0.18")),  # 万分之五 a day = 18 % a year on 360 days
        ("5‱", RateBasis.DAILY, Decimal("0.18")),
        ("1%", RateBasis.MONTHLY, Decimal("0.12")),
    ],
)
def test_rates_quoted_in_any_basis_become_annual_fractions(
    text: str, basis: RateBasis, annual: Decimal
) -> None:
    assert parse_rate(text, basis) == annual


def test_a_bare_rate_above_one_is_ambiguous_and_refused() -> None:
    with pytest.raises(
        InvalidInput, match=r"annual_rate: bare rate 12 is ambiguous; write it as '12%'"
    ):
        parse_rate("12", field="annual_rate")


@pytest.mark.parametrize("text", ["101%", "-1%", "abc", "1%%", "0.5%"])
def test_impossible_rates_are_refused(text: str) -> None:
    basis = RateBasis.DAILY if text == "0.5%" else RateBasis.ANNUAL  # 0.5 % a day = 180 % a year
    with pytest.raises(InvalidInput):
        parse_rate(text, basis)


def test_day_counts() -> None:
    start, end = date(2024, 1, 31), date(2024, 3, 1)
    assert DayCount.ACTUAL_360.days(start, end) == 30
    assert DayCount.ACTUAL_365.days(start, end) == 30
    assert DayCount.THIRTY_360.days(start, end) == 31  # 30 Jan (31st capped) → 1 Mar
    assert DayCount.THIRTY_360.days(date(2024, 1, 15), date(2024, 2, 15)) == 30


def test_month_ends_roll_from_the_anchor() -> None:
    anchor = date(2024, 1, 31)
    assert [add_months(anchor, k) for k in range(4)] == [
        date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30),
    ]  # fmt: skip
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert months_between(date(2024, 1, 31), date(2024, 2, 29)) == 1
    assert months_between(date(2024, 1, 15), date(2024, 3, 30)) == 2.5


def test_apr_of_a_monthly_plan_is_its_nominal_rate() -> None:
    flows = [(date(2024, 1, 1), -1_000_000)] + [
        (add_months(date(2024, 1, 1), k), 87_915) for k in range(1, 13)
    ]
    assert apr(flows, date(2024, 1, 1)).quantize(Decimal("0.001")) == Decimal("0.100")


def test_apr_counts_fees_deducted_upfront() -> None:
    # A "0 % interest" 12-month loan of 12 000 repaid 1 000 a month with a 600 fee taken at the start
    # costs 9.58 % a year by IRR (numpy-financial: npf.rate(12, 1000, -11400, 0) × 12 = 0.095770),
    # the disclosure PBoC 公告〔2021〕第3号 requires.
    flows = [(date(2024, 1, 1), -1_140_000)] + [
        (add_months(date(2024, 1, 1), k), 100_000) for k in range(1, 13)
    ]
    assert apr(flows, date(2024, 1, 1)) == Decimal("0.095770")
    assert format_rate(Decimal("0.095770")) == "9.58%"


def test_apr_needs_money_both_ways() -> None:
    with pytest.raises(InvalidInput, match="flows"):
        apr([(date(2024, 1, 1), 100)], date(2024, 1, 1))
