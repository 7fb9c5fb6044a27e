"""Penalty and compound interest, grace days, allocation and credit, computed by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from xieshang.domain.accrual import LedgerState, ledger_as_of
from xieshang.domain.allocation import AllocationOrder, Component
from xieshang.domain.loan import Charge, ChargeKind, Loan, Payment, PenaltyRules
from xieshang.domain.schedule import LoanTerms

# 10 000 yuan at 10 % for 12 months from 15 Jan 2024: installment 879.16 = 795.83 principal + 83.33
# interest, due 15 Feb; installment 2 = 802.46 + 76.70, due 15 Mar.
TERMS = LoanTerms(
    principal=1_000_000, annual_rate=Decimal("0.10"), months=12, start_date=date(2024, 1, 15)
)
PAID_FIRST = Payment(date(2024, 2, 15), 87_916)


def state(
    as_of: date,
    *payments: Payment,
    rules: PenaltyRules | None = None,
    charges: tuple[Charge, ...] = (),
) -> LedgerState:
    return ledger_as_of(Loan.from_terms(TERMS, rules, tuple(payments), charges), as_of)


def test_an_unpaid_installment_accrues_penalty_on_principal_and_compound_on_interest_daily() -> (
    None
):
    # Penalty rate = 10 % × (1 + 50 %) = 15 % a year, ÷ 360 a day (银发〔2003〕251号; actual/360).
    # Daily penalty: 795.83 × 15 % ÷ 360 = 0.3316 → ¥0.33; daily compound: 83.33 × 15 % ÷ 360 = 0.0347 → ¥0.03.
    result = state(date(2024, 3, 1))
    first = result.installments[0]
    assert first.charged[Component.PENALTY] == 15 * 33
    assert first.charged[Component.COMPOUND] == 15 * 3
    assert result.days_past_due == 15
    assert result.owed_now(Component.PRINCIPAL) == 79_583


def test_nothing_is_overdue_on_the_due_date_itself() -> None:
    result = state(date(2024, 2, 15))
    assert result.days_past_due == 0
    assert result.installments[0].charged[Component.PENALTY] == 0
    assert result.owed_now(Component.PRINCIPAL) + result.owed_now(Component.INTEREST) == 87_916


def test_interest_earned_in_the_current_period_is_by_days_on_the_opening_balance() -> None:
    # 9 204.17 × 10 % × 15 days ÷ 360 = 38.3507 → ¥38.35
    assert state(date(2024, 3, 1), PAID_FIRST).accrued_interest == 3_835


def test_paying_within_the_grace_days_costs_no_penalty() -> None:
    rules = PenaltyRules(grace_days=3)
    paid_on_day_3 = state(date(2024, 2, 20), Payment(date(2024, 2, 18), 87_916), rules=rules)
    assert paid_on_day_3.installments[0].charged[Component.PENALTY] == 0
    assert paid_on_day_3.days_past_due == 0


def test_exceeding_the_grace_days_charges_penalty_from_the_due_date() -> None:
    rules = PenaltyRules(grace_days=3)
    # Paid on day 4: 4 days of penalty and compound. Exactly 87 916 + 4 × (33 + 3) settles everything.
    paid_on_day_4 = state(date(2024, 2, 20), Payment(date(2024, 2, 19), 87_916 + 144), rules=rules)
    first = paid_on_day_4.installments[0]
    assert first.charged[Component.PENALTY] == 4 * 33
    assert first.charged[Component.COMPOUND] == 4 * 3
    assert first.total_owed == 0


def test_a_product_may_charge_only_the_days_after_grace() -> None:
    rules = PenaltyRules(grace_days=3, charge_grace_when_exceeded=False)
    first = state(date(2024, 2, 19), rules=rules).installments[0]
    assert first.charged[Component.PENALTY] == 33
    assert first.charged[Component.COMPOUND] == 3


def test_penalty_during_grace_is_shown_as_pending_not_charged() -> None:
    first = state(date(2024, 2, 17), rules=PenaltyRules(grace_days=3)).installments[0]
    assert first.charged[Component.PENALTY] == 0
    assert first.penalty_in_grace == 2 * 33 + 2 * 3


def test_a_lower_markup_and_switched_off_compound_interest_follow_the_product() -> None:
    rules = PenaltyRules(markup=Decimal("0.3"), compound_enabled=False)
    first = state(date(2024, 3, 1), rules=rules).installments[0]
    # 795.83 × 13 % ÷ 360 = 0.2874 → ¥0.29 a day
    assert first.charged[Component.PENALTY] == 15 * 29
    assert first.charged[Component.COMPOUND] == 0


def test_a_partial_payment_goes_to_penalty_then_interest_then_principal_and_lowers_the_base() -> (
    None
):
    result = state(date(2024, 3, 11), Payment(date(2024, 3, 1), 30_000))
    first = result.installments[0]
    # By 1 Mar: penalty 495, compound 45, then interest 8 333, then principal 21 127.
    assert first.paid == {
        Component.PENALTY: 495, Component.COMPOUND: 45, Component.FEE: 0,
        Component.INTEREST: 8_333, Component.PRINCIPAL: 21_127,
    }  # fmt: skip
    # From 2 Mar the base is 795.83 − 211.27 = 584.56: 584.56 × 15 % ÷ 360 = 0.2436 → ¥0.24 a day;
    # the interest is paid, so compound interest stops.
    assert first.charged[Component.PENALTY] == 495 + 10 * 24
    assert first.charged[Component.COMPOUND] == 45


def test_vertical_allocation_pays_each_component_across_installments_first() -> None:
    rules = PenaltyRules(allocation=AllocationOrder(by_installment=False))
    result = state(date(2024, 3, 20), Payment(date(2024, 3, 20), 20_000), rules=rules)
    first, second = result.installments[:2]
    assert first.owed(Component.INTEREST) == 0
    assert second.owed(Component.INTEREST) == 0
    assert first.paid[Component.PRINCIPAL] > 0
    assert second.paid[Component.PRINCIPAL] == 0


def test_fees_are_collected_but_never_bear_interest() -> None:
    fee = Charge(date(2024, 2, 20), 2_000, ChargeKind.LATE_FEE, installment=1)
    result = state(date(2024, 3, 1), charges=(fee,))
    first = result.installments[0]
    assert first.charged[Component.FEE] == 2_000
    assert first.charged[Component.PENALTY] == 15 * 33  # on principal only, not on the fee
    assert all(line.base != 2_000 for line in first.accruals)


def test_paying_off_early_charges_interest_only_to_date_and_holds_the_rest_as_credit() -> None:
    # On 1 Feb the payoff is 10 000 + 10 000 × 10 % × 17 days ÷ 360 = 10 000 + 47.22 (提前结清).
    payoff = state(date(2024, 2, 1)).payoff_amount
    assert payoff == 1_000_000 + 4_722
    result = state(date(2024, 3, 1), Payment(date(2024, 2, 1), payoff + 100))
    assert result.settled_on == date(2024, 2, 1)
    assert result.outstanding_principal == 0
    assert result.installments[0].charged[Component.INTEREST] == 4_722
    assert all(s.charged[Component.INTEREST] == 0 for s in result.installments[1:])
    assert result.credit == 100
    assert result.payoff_amount == -100  # nothing owed; 1.00 held for the customer
    assert result.days_past_due == 0


def test_a_fee_charged_later_is_paid_from_credit() -> None:
    payoff = state(date(2024, 2, 1)).payoff_amount
    fee = Charge(date(2024, 2, 10), 60, ChargeKind.FEE, installment=1)
    result = state(date(2024, 3, 1), Payment(date(2024, 2, 1), payoff + 100), charges=(fee,))
    assert result.installments[0].paid[Component.FEE] == 60
    assert result.credit == 40


def test_a_payment_before_the_due_date_pays_the_next_installment_in_advance() -> None:
    result = state(date(2024, 2, 20), Payment(date(2024, 2, 10), 87_916))
    assert result.installments[0].cleared_on == date(2024, 2, 10)
    assert result.days_past_due == 0


def test_payoff_is_everything_due_plus_principal_not_yet_due_plus_interest_to_date() -> None:
    result = state(date(2024, 3, 1), PAID_FIRST)
    assert result.payoff_amount == 920_417 + 3_835


def test_the_ledger_never_runs_before_the_loan_starts() -> None:
    import pytest

    from xieshang.domain.errors import InvalidInput

    with pytest.raises(InvalidInput, match="as_of"):
        state(date(2024, 1, 1))
    with pytest.raises(InvalidInput, match=r"payments\[0\].date"):
        Loan.from_terms(TERMS, payments=(Payment(date(2023, 12, 31), 100),))


def test_a_restructured_schedule_can_replace_the_contractual_one() -> None:
    loan = Loan.from_terms(TERMS)
    shorter = replace(TERMS, months=6)
    restructured = Loan.from_terms(shorter)
    assert len(restructured.schedule.installments) == 6
    assert loan.schedule.installments[0].payment > 0
