"""Schedules from other systems and textbooks, reproduced to the fen under the same conventions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from xieshang.domain.rates import DayCount, apr
from xieshang.domain.schedule import (
    InterestBasis,
    LoanTerms,
    RepaymentMethod,
    Schedule,
    build_schedule,
)


def rows(schedule: Schedule) -> list[tuple[str, str, str, str]]:
    """(due date, principal, interest, balance) in yuan, as published tables print them."""
    return [
        (
            i.due_date.isoformat(),
            f"{i.principal / 100:.2f}",
            f"{i.interest / 100:.2f}",
            f"{i.balance / 100:.2f}",
        )
        for i in schedule.installments
    ]


# Apache Fineract, fineract-e2e-tests-runner/src/test/resources/features/LoanRepayment.feature
# (commit 040c92a654dfb234f6bb640cbc2966e7df9b79ff), scenarios RS01–RS04: principal 5000, 12 % a year,
# 18 monthly repayments, submitted and disbursed 1 November 2022, installment amount in multiples of 1
# (LoanProductsRequestFactory: digitsAfterDecimal 2, installmentAmountInMultiplesOf 1).
FINERACT = LoanTerms(
    principal=500_000,
    annual_rate=Decimal("0.12"),
    months=18,
    start_date=date(2022, 11, 1),
    installment_multiple=100,
)
FINERACT_DATES = [
    "2022-12-01", "2023-01-01", "2023-02-01", "2023-03-01", "2023-04-01", "2023-05-01",
    "2023-06-01", "2023-07-01", "2023-08-01", "2023-09-01", "2023-10-01", "2023-11-01",
    "2023-12-01", "2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01",
]  # fmt: skip


def _table(
    principal: list[str], interest: list[str], balance: list[str]
) -> list[tuple[str, str, str, str]]:
    return list(zip(FINERACT_DATES, principal, interest, balance, strict=True))


def test_fineract_rs02_declining_balance_equal_installments_rounded_to_whole_units() -> None:
    schedule = build_schedule(FINERACT)
    assert rows(schedule) == _table(
        ["255.00", "257.55", "260.13", "262.73", "265.35", "268.01", "270.69", "273.39", "276.13",
         "278.89", "281.68", "284.50", "287.34", "290.21", "293.12", "296.05", "299.01", "300.22"],
        ["50.00", "47.45", "44.87", "42.27", "39.65", "36.99", "34.31", "31.61", "28.87",
         "26.11", "23.32", "20.50", "17.66", "14.79", "11.88", "8.95", "5.99", "3.00"],
        ["4745.00", "4487.45", "4227.32", "3964.59", "3699.24", "3431.23", "3160.54", "2887.15",
         "2611.02", "2332.13", "2050.45", "1765.95", "1478.61", "1188.40", "895.28", "599.23",
         "300.22", "0.00"],
    )  # fmt: skip
    assert {i.payment for i in schedule.installments[:-1]} == {30_500}
    assert schedule.installments[-1].payment == 30_322
    assert schedule.total_interest == 48_822


def test_fineract_rs03_daily_interest_actual_days_equal_installments() -> None:
    # LP1_INTEREST_DECLINING_BALANCE_PERIOD_DAILY: daysInYearType ACTUAL, which these figures show
    # as a 365-day year (e.g. 894.75 × 12 % × 29 ÷ 365 = 8.53 for February 2024).
    terms = replace(FINERACT, interest_basis=InterestBasis.DAYS, day_count=DayCount.ACTUAL_365)
    schedule = build_schedule(terms)
    assert rows(schedule) == _table(
        ["255.68", "256.65", "259.26", "266.08", "264.62", "268.53", "270.05", "273.84", "275.59",
         "278.40", "282.01", "284.11", "287.59", "289.94", "292.90", "296.47", "298.90", "299.38"],
        ["49.32", "48.35", "45.74", "38.92", "40.38", "36.47", "34.95", "31.16", "29.41",
         "26.60", "22.99", "20.89", "17.41", "15.06", "12.10", "8.53", "6.10", "2.95"],
        ["4744.32", "4487.67", "4228.41", "3962.33", "3697.71", "3429.18", "3159.13", "2885.29",
         "2609.70", "2331.30", "2049.29", "1765.18", "1477.59", "1187.65", "894.75", "598.28",
         "299.38", "0.00"],
    )  # fmt: skip
    assert schedule.total_interest == 48_733


def test_fineract_rs04_declining_balance_equal_principal() -> None:
    terms = replace(FINERACT, method=RepaymentMethod.EQUAL_PRINCIPAL)
    schedule = build_schedule(terms)
    assert rows(schedule) == _table(
        ["277.78"] * 17 + ["277.74"],
        ["50.00", "47.22", "44.44", "41.67", "38.89", "36.11", "33.33", "30.56", "27.78",
         "25.00", "22.22", "19.44", "16.67", "13.89", "11.11", "8.33", "5.56", "2.78"],
        ["4722.22", "4444.44", "4166.66", "3888.88", "3611.10", "3333.32", "3055.54", "2777.76",
         "2499.98", "2222.20", "1944.42", "1666.64", "1388.86", "1111.08", "833.30", "555.52",
         "277.74", "0.00"],
    )  # fmt: skip
    assert schedule.total_interest == 47_500


def test_fineract_rs01_flat_interest_equal_installments() -> None:
    terms = replace(FINERACT, method=RepaymentMethod.FLAT)
    schedule = build_schedule(terms)
    assert [i.payment for i in schedule.installments] == [32_800] * 17 + [32_400]
    assert [i.interest for i in schedule.installments] == [5_000] * 18
    assert [i.balance for i in schedule.installments][:3] == [472_200, 444_400, 416_600]
    assert schedule.total_interest == 90_000


def test_numpy_financial_pmt_example_200000_at_7_5_percent_for_15_years() -> None:
    # numpy-financial 1.0.0, npf.pmt docstring: npf.pmt(0.075/12, 12*15, 200000) = -1854.0247200054619,
    # "a monthly payment of $1,854.02 would be required".
    terms = LoanTerms(
        principal=20_000_000, annual_rate=Decimal("0.075"), months=180, start_date=date(2024, 1, 1)
    )
    schedule = build_schedule(terms)
    assert schedule.installments[0].payment == 185_402
    assert sum(i.principal for i in schedule.installments) == 20_000_000


def test_numpy_financial_ipmt_table_2500_at_8_24_percent_within_two_fen_of_the_float_table() -> (
    None
):
    # numpy-financial 1.0.0, npf.ipmt docstring: a 1-year loan of 2500 at 8.24 %, table printed to
    # the cent. That table is a float amortisation that never rounds; a bank posts whole fen each
    # month, so each month's interest agrees to the fen and balances drift by at most two fen.
    published = [
        ("200.58", "17.17", "2299.42"), ("201.96", "15.79", "2097.46"), ("203.35", "14.40", "1894.11"),
        ("204.74", "13.01", "1689.37"), ("206.15", "11.60", "1483.22"), ("207.56", "10.18", "1275.66"),
        ("208.99", "8.76", "1066.67"), ("210.42", "7.32", "856.25"), ("211.87", "5.88", "644.38"),
        ("213.32", "4.42", "431.05"), ("214.79", "2.96", "216.26"), ("216.26", "1.49", "0.00"),
    ]  # fmt: skip
    terms = LoanTerms(
        principal=250_000, annual_rate=Decimal("0.0824"), months=12, start_date=date(2024, 1, 1)
    )
    schedule = build_schedule(terms)
    for installment, (principal, interest, balance) in zip(
        schedule.installments, published, strict=True
    ):
        assert installment.interest == pytest.approx(int(Decimal(interest) * 100), abs=1)
        assert installment.principal == pytest.approx(int(Decimal(principal) * 100), abs=2)
        assert installment.balance == pytest.approx(int(Decimal(balance) * 100), abs=2)
    assert [i.number for i in schedule.installments[:5]] == [1, 2, 3, 4, 5]
    assert [(i.principal, i.interest) for i in schedule.installments[:5]] == [
        (20_058, 1_717), (20_196, 1_579), (20_335, 1_440), (20_474, 1_301), (20_615, 1_160),
    ]  # fmt: skip


# The Chinese textbook example, 10 000 yuan at 10 % for 12 months. No trustworthy published table was
# found, so the expected figures come from the closed forms every Chinese bank calculator states:
# 等额本息 每月还款额 = 本金 × 月利率 × (1+月利率)^n ÷ [(1+月利率)^n − 1] = 879.16;
# 等额本金 每月还款额 = 本金 ÷ n + 剩余本金 × 月利率, which calculators print as 916.67, 909.72, 902.78
# by rounding the sum of unrounded parts; a ledger posts principal and interest each in whole fen,
# so it asks 833.33 + 83.33 = 916.66, then 833.33 + 76.39 = 909.72, then 833.33 + 69.44 = 902.77.
def test_chinese_equal_installment_example_10000_at_10_percent_for_12_months() -> None:
    terms = LoanTerms(
        principal=1_000_000, annual_rate=Decimal("0.10"), months=12, start_date=date(2024, 1, 15)
    )
    schedule = build_schedule(terms)
    assert [i.payment for i in schedule.installments[:11]] == [87_916] * 11
    assert schedule.installments[0].interest == 8_333  # 10 000 × 10 % ÷ 12
    assert schedule.installments[-1].payment == 87_913  # the last absorbs the rounding residue
    assert schedule.total_interest == 54_989
    # The residue makes the last installment 3 fen smaller, so the APR is 9.9997 %: 10.00 % as disclosed.
    assert apr(schedule.cash_flows(), schedule.start_date).quantize(Decimal("0.0001")) == Decimal(
        "0.1000"
    )


def test_chinese_equal_principal_example_10000_at_10_percent_for_12_months() -> None:
    terms = LoanTerms(
        principal=1_000_000,
        annual_rate=Decimal("0.10"),
        months=12,
        start_date=date(2024, 1, 15),
        method=RepaymentMethod.EQUAL_PRINCIPAL,
    )
    schedule = build_schedule(terms)
    assert [i.payment for i in schedule.installments[:3]] == [91_666, 90_972, 90_277]
    assert [i.principal for i in schedule.installments] == [83_333] * 11 + [83_337]
    assert schedule.total_interest == 54_166  # closed form 541.67; whole-fen posting gives 541.66
