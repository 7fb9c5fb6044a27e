"""A disputed charge is reconciled against the cost disclosure table in force on its date
(金规〔2026〕2号 — UNVERIFIED): a charge the table does not list, or at a rate above the one it states,
is corrected and refunded, and the reason names the table's line and version.

The loan: 10 000 yuan at 10 % for 12 months from 15 Jan 2024; installment 1 (¥795.83 principal +
¥83.33 interest) due 15 Feb and unpaid. The product now charges penalty interest at the contract rate
+ 50 % (15 % a year), but the table the customer was given said + 30 % (13 % a year).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.domain.test_disputes import LIMITS, MARCH_1, PENALTY, TERMS, say
from xieshang.domain.disclosure import DisclosureVersion, disclose
from xieshang.domain.disputes import ChargedComponent, ChargedItem, Verdict, review_charges
from xieshang.domain.loan import Charge, ChargeKind, Loan, PenaltyRules
from xieshang.domain.schedule import LoanTerms, build_schedule

CHARGING = PenaltyRules(markup=Decimal("0.50"))
LOAN = Loan.from_terms(TERMS, CHARGING)


def version(
    number: int, effective: date, markup: str = "0.30", rate: str = "0.10"
) -> DisclosureVersion:
    terms = (
        TERMS if rate == "0.10" else LoanTerms(TERMS.principal, Decimal(rate), 12, TERMS.start_date)
    )
    table = disclose(terms, build_schedule(terms), PenaltyRules(markup=Decimal(markup)))
    return DisclosureVersion(number, effective, table)


V1 = version(1, TERMS.start_date)


def test_a_penalty_above_the_disclosed_rate_is_refunded_naming_the_line_and_version() -> None:
    # Charged at 15 %: 795.83 × 15 % ÷ 360 = 0.3316 → ¥0.33 a day × 15 days = ¥4.95.
    # Disclosed 13 %: 795.83 × 13 % ÷ 360 = 0.2874 → ¥0.29 a day × 15 days = ¥4.35. Refund ¥0.60.
    finding = review_charges(LOAN, [ChargedItem(1, PENALTY, 495)], LIMITS, MARCH_1, [V1])
    (line,) = finding.lines
    assert (line.charged, line.lawful, line.refund) == (495, 435, 60)
    assert line.verdict is Verdict.OVERCHARGED
    cause = next(c for c in line.causes if c.code == "DISPUTE_CAUSE_ABOVE_DISCLOSED")
    assert cause.params["version"] == "1"
    assert cause.params["effective_date"] == "2024-01-15"
    assert (cause.params["disclosed_rate"], cause.params["rate"]) == ("13.00%", "15.00%")
    assert "第1版综合融资成本明示表" in say(cause)
    assert "罚息年利率 13.00%" in say(cause)
    assert "Version 1 of the cost disclosure table" in say(cause, "en")
    assert "penalty interest at 13.00% a year" in say(cause, "en")


def test_a_penalty_at_the_disclosed_rate_is_correct() -> None:
    finding = review_charges(LOAN, [ChargedItem(1, PENALTY, 435)], LIMITS, MARCH_1, [V1])
    (line,) = finding.lines
    assert line.verdict is Verdict.CORRECT
    assert line.refund == 0


def test_without_a_table_the_contract_alone_decides_as_before() -> None:
    finding = review_charges(LOAN, [ChargedItem(1, PENALTY, 495)], LIMITS, MARCH_1)
    assert finding.lines[0].verdict is Verdict.CORRECT


def test_each_charge_is_held_to_the_table_in_force_on_its_date() -> None:
    """Version 2 (from 1 Mar) discloses the 50 % markup: days before it are held to version 1."""
    v2 = version(2, date(2024, 3, 1), markup="0.50")
    as_of = date(2024, 3, 10)
    before = ChargedItem(1, PENALTY, 14 * 33, date(2024, 2, 16), date(2024, 2, 29))
    after = ChargedItem(1, PENALTY, 9 * 33, date(2024, 3, 2), date(2024, 3, 10))
    finding = review_charges(LOAN, [before, after], LIMITS, as_of, [V1, v2])
    old, new = finding.lines
    assert (old.verdict, old.lawful, old.refund) == (Verdict.OVERCHARGED, 14 * 29, 14 * 4)
    assert any(c.params.get("version") == "1" for c in old.causes)
    assert new.verdict is Verdict.CORRECT


def test_a_fee_the_table_does_not_list_is_refunded_in_full() -> None:
    late = Charge(date(2024, 2, 20), 5_000, ChargeKind.LATE_FEE, 1)
    loan = Loan.from_terms(TERMS, CHARGING, charges=(late,))
    item = ChargedItem(1, ChargedComponent.LATE_FEE, 5_000)
    assert review_charges(loan, [item], LIMITS, MARCH_1).lines[0].verdict is Verdict.CORRECT
    (line,) = review_charges(loan, [item], LIMITS, MARCH_1, [V1]).lines
    assert (line.lawful, line.refund) == (0, 5_000)
    (cause,) = line.causes
    assert cause.code == "DISPUTE_CAUSE_NOT_DISCLOSED"
    assert "未列明违约金" in say(cause)
    assert "lists no late fee" in say(cause, "en")


def test_arrears_an_agreement_carried_are_not_a_fee_the_table_forgot() -> None:
    carried = Charge(TERMS.start_date, 20_000, ChargeKind.FEE, 1, "协议前欠款转入首期")
    loan = Loan.from_terms(TERMS, CHARGING, charges=(carried,))
    schedule = build_schedule(TERMS)
    table = disclose(TERMS, schedule, CHARGING, carried=20_000)
    item = ChargedItem(1, ChargedComponent.FEE, 20_000)
    finding = review_charges(
        loan, [item], LIMITS, MARCH_1, [DisclosureVersion(2, TERMS.start_date, table)]
    )
    assert finding.lines[0].verdict is Verdict.CORRECT


def test_interest_above_the_disclosed_rate_is_recomputed_at_it() -> None:
    """Disclosed at 8 %: installment 1's interest is 10 000 × 8 % ÷ 12 = ¥66.67, not ¥83.33."""
    v1 = version(1, TERMS.start_date, markup="0.50", rate="0.08")
    item = ChargedItem(1, ChargedComponent.INTEREST, 8_333)
    (line,) = review_charges(LOAN, [item], LIMITS, MARCH_1, [v1]).lines
    assert (line.lawful, line.refund) == (6_667, 1_666)
    cause = next(c for c in line.causes if c.code == "DISPUTE_CAUSE_ABOVE_DISCLOSED")
    assert (cause.params["line_zh"], cause.params["disclosed_rate"]) == ("利息", "8.00%")
