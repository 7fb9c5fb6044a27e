from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.allocation import Component
from xieshang.domain.errors import InvalidInput
from xieshang.domain.loan import Loan, Payment
from xieshang.domain.restructure import Debt, PrepaymentMode, early_repayment, restructure
from xieshang.domain.schedule import LoanTerms

TERMS = LoanTerms(
    principal=1_000_000, annual_rate=Decimal("0.10"), months=12, start_date=date(2024, 1, 15)
)
NEW_TERMS = LoanTerms(
    principal=1, annual_rate=Decimal("0.06"), months=24, start_date=date(2024, 6, 1)
)


def test_capitalising_arrears_and_waiving_penalty_conserves_the_debt() -> None:
    debt = Debt(principal=700_000, interest=20_000, penalty=3_000, compound=400, fee=2_000)
    result = restructure(
        debt,
        NEW_TERMS,
        capitalise=frozenset({Component.INTEREST}),
        waive=frozenset({Component.PENALTY, Component.COMPOUND}),
    )
    assert result.schedule.principal == 720_000
    assert result.waived == {Component.PENALTY: 3_000, Component.COMPOUND: 400}
    assert result.due_at_signing == 2_000
    assert result.conserved
    assert sum(i.principal for i in result.schedule.installments) == 720_000


def test_principal_forbearance_is_an_interest_free_balloon_at_the_end() -> None:
    debt = Debt(principal=700_000)
    plain = restructure(debt, NEW_TERMS)
    forborne = restructure(debt, NEW_TERMS, forbear=200_000)
    assert forborne.schedule.installments[0].payment < plain.schedule.installments[0].payment
    assert forborne.schedule.installments[-1].principal >= 200_000
    assert forborne.schedule.principal == 700_000
    # interest runs only on the 500 000 being amortised
    assert forborne.schedule.installments[0].interest == 2_500
    assert forborne.conserved


def test_restructuring_refuses_contradictions() -> None:
    debt = Debt(principal=700_000, interest=100)
    with pytest.raises(InvalidInput, match="both capitalised and waived"):
        restructure(
            debt,
            NEW_TERMS,
            capitalise=frozenset({Component.INTEREST}),
            waive=frozenset({Component.INTEREST}),
        )
    with pytest.raises(InvalidInput, match="forbear"):
        restructure(debt, NEW_TERMS, forbear=800_000)


def test_full_early_repayment_pays_the_payoff_amount_and_ends_the_schedule() -> None:
    state = ledger_as_of(
        Loan.from_terms(TERMS, payments=(Payment(date(2024, 2, 15), 87_916),)), date(2024, 3, 1)
    )
    result = early_repayment(state)
    assert result.amount == state.payoff_amount == 920_417 + 3_835
    assert result.schedule is None


def test_partial_early_repayment_lowers_the_installment_or_shortens_the_term() -> None:
    state = ledger_as_of(
        Loan.from_terms(TERMS, payments=(Payment(date(2024, 2, 15), 87_916),)), date(2024, 2, 15)
    )
    lower = early_repayment(state, 500_000, PrepaymentMode.LOWER_INSTALLMENT)
    shorter = early_repayment(state, 500_000, PrepaymentMode.SHORTER_TERM)
    assert lower.principal_repaid == shorter.principal_repaid == 500_000
    assert lower.schedule is not None
    assert shorter.schedule is not None
    assert len(lower.schedule.installments) == 11
    assert lower.schedule.installments[0].payment < 87_916
    assert len(shorter.schedule.installments) < 11
    assert shorter.schedule.installments[0].payment <= 87_916
    assert shorter.schedule.installments[0].due_date == date(2024, 3, 15)  # the payment day is kept
    for result in (lower, shorter):
        assert result.schedule is not None
        assert result.schedule.principal == 920_417 - 500_000


def test_an_early_repayment_must_cover_what_is_due_first() -> None:
    state = ledger_as_of(Loan.from_terms(TERMS), date(2024, 3, 1))
    with pytest.raises(InvalidInput, match="amount"):
        early_repayment(state, 1_000, PrepaymentMode.LOWER_INSTALLMENT)


def test_debt_of_a_ledger_state_includes_interest_earned_to_date() -> None:
    state = ledger_as_of(Loan.from_terms(replace(TERMS)), date(2024, 3, 1))
    debt = Debt.of(state)
    assert debt.principal == 1_000_000
    assert (
        debt.interest == 8_333 + 3_835 + 0
    )  # installment 1 interest + period 2 earned (on 9 204.17)
    assert debt.penalty == 15 * 33
