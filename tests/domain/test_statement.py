from __future__ import annotations

from datetime import date
from decimal import Decimal

from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.allocation import Component
from xieshang.domain.loan import Charge, ChargeKind, Loan, Payment
from xieshang.domain.schedule import InterestBasis, LoanTerms
from xieshang.domain.statement import itemised_statement

TERMS = LoanTerms(
    principal=1_000_000, annual_rate=Decimal("0.10"), months=12, start_date=date(2024, 1, 15)
)


def test_every_line_carries_its_formula_in_both_languages() -> None:
    loan = Loan.from_terms(
        TERMS,
        payments=(Payment(date(2024, 2, 15), 87_916),),
        charges=(Charge(date(2024, 3, 20), 2_000, ChargeKind.LATE_FEE, 2, "逾期违约金"),),
    )
    statement = itemised_statement(ledger_as_of(loan, date(2024, 3, 25)))
    texts = {line.formula_zh for line in statement.lines}
    assert "第1期利息 = 期初本金余额 ¥10,000.00 × 年利率 10.00% ÷ 12 = ¥83.33" in texts
    assert "第2期本金 = 期供 ¥879.16 − 利息 ¥76.70 = ¥802.46；还后余额 ¥8,401.71" in texts
    # 802.46 × 15 % ÷ 360 = 0.3344 → ¥0.33 a day, 10 days from 16 to 25 March
    assert (
        "第2期罚息（2024-03-16 至 2024-03-25）= 逾期本金 ¥802.46 × 罚息年利率 15.00% ÷ 360 = 每日 ¥0.33，"
        "× 10 天 = ¥3.30"
    ) in texts
    assert "违约金（逾期违约金） ¥20.00，按合同约定收取，不计利息" in texts
    assert "还款 ¥879.16，按顺序冲抵：第1期利息 ¥83.33、第1期本金 ¥795.83" in texts
    english = {line.formula_en for line in statement.lines}
    assert (
        "Installment 1 interest = opening balance ¥10,000.00 × 10.00% a year ÷ 12 = ¥83.33"
        in english
    )
    assert all(line.formula_zh and line.formula_en for line in statement.lines)


def test_the_summary_splits_what_is_owed_today() -> None:
    loan = Loan.from_terms(TERMS, payments=(Payment(date(2024, 2, 15), 87_916),))
    statement = itemised_statement(ledger_as_of(loan, date(2024, 3, 25)))
    assert statement.owed_now[Component.PRINCIPAL] == 80_246
    assert statement.owed_now[Component.INTEREST] == 7_670
    assert statement.owed_now[Component.PENALTY] == 330
    assert statement.owed_now[Component.COMPOUND] == 10 * 3  # 76.70 × 15 % ÷ 360 = 0.032 → ¥0.03
    assert statement.total_owed_now == 80_246 + 7_670 + 330 + 30
    assert statement.days_past_due == 10
    assert statement.bucket == "M1"
    assert statement.classification == "special_mention"
    assert statement.paid == 87_916


def test_a_broken_first_period_explains_interest_by_days() -> None:
    terms = LoanTerms(
        principal=1_000_000, annual_rate=Decimal("0.10"), months=12, start_date=date(2024, 1, 10),
        first_due_date=date(2024, 2, 20), interest_basis=InterestBasis.PERIODIC,
    )  # fmt: skip
    statement = itemised_statement(ledger_as_of(Loan.from_terms(terms), date(2024, 2, 1)))
    first = next(line for line in statement.lines if line.kind == "interest")
    # 10 000 × 10 % × 41 days ÷ 360 = 113.89
    assert (
        first.formula_zh
        == "第1期利息 = 期初本金余额 ¥10,000.00 × 年利率 10.00% × 41 天 ÷ 360 = ¥113.89"
    )
    assert first.amount == 11_389


def test_an_early_settlement_explains_the_interest_not_charged() -> None:
    # Paid 879.16 on 15 Feb, then settled on 1 Mar: 9 204.17 × 10 % × 15 days ÷ 360 = 38.35 to date.
    payoff = 920_417 + 3_835
    loan = Loan.from_terms(
        TERMS, payments=(Payment(date(2024, 2, 15), 87_916), Payment(date(2024, 3, 1), payoff))
    )
    statement = itemised_statement(ledger_as_of(loan, date(2024, 3, 5)))
    settlement = next(line for line in statement.lines if line.kind == "settlement")
    not_charged = sum(i.interest for i in loan.schedule.installments[1:]) - 3_835
    assert settlement.amount == -not_charged
    assert settlement.formula_zh.startswith(
        "提前结清（2024-03-01）：第2期利息按实际 15 天计至结清日 ¥38.35；未到期利息"
    )
    assert statement.total_owed_now == 0
    assert statement.outstanding_principal == 0


def test_a_charge_dated_after_the_statement_is_not_on_it() -> None:
    later = Charge(date(2024, 4, 20), 2_000, ChargeKind.LATE_FEE, 3, "逾期违约金")
    loan = Loan.from_terms(TERMS, charges=(later,))
    before = itemised_statement(ledger_as_of(loan, date(2024, 4, 1)))
    after = itemised_statement(ledger_as_of(loan, date(2024, 4, 21)))
    assert not [line for line in before.lines if line.kind == "fee"]
    assert [line.amount for line in after.lines if line.kind == "fee"] == [2_000]
