"""A customer with several loans at the bank: one affordability budget, shared (issue 14).

Each case states its expectation first, in its docstring, as in :mod:`test_expert_cases`. Three
loans must never get three budgets: the customer's income after essentials pays for all of them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.negotiation.test_expert_cases import (
    INTERNAL_CODE,
    POLICY,
    case_of,
    days_after_due,
    loan,
    said,
)
from tests.strategies import examples
from xieshang.domain.loan import Loan
from xieshang.domain.negotiation.assess import monthly_cost
from xieshang.domain.negotiation.engine import Evaluation, evaluate
from xieshang.domain.schedule import LoanTerms, RepaymentMethod

BIG, MIDDLE, SMALL = loan(principal=6_000_000), loan(principal=3_000_000), loan(principal=1_500_000)
"""Three loans from June 2025, ten installments paid: ¥1,992.86, ¥996.43 and ¥498.21 a month."""


def payment(the_loan: Loan) -> int:
    """The loan's monthly cost, by which the budget is shared (its installment, these loans being
    equal-installment ones)."""
    return monthly_cost(the_loan)


def each(loans: tuple[Loan, ...], installment: int, days: int, **given: Any) -> list[Evaluation]:
    """The engine's answer on every loan of the household, each case holding the others."""
    as_of = days_after_due(loans[0], installment, days)
    answers = []
    for i, the_loan in enumerate(loans):
        others = loans[:i] + loans[i + 1 :]
        case = replace(case_of(the_loan, as_of, **given), other_loans=others)
        answers.append(evaluate(case, POLICY))
    return answers


def alone(the_loan: Loan, installment: int, days: int, **given: Any) -> Evaluation:
    return each((the_loan,), installment, days, **given)[0]


def test_three_loans_share_one_budget_in_proportion_to_their_payments() -> None:
    """Income ¥9,000, essentials ¥6,000: the affordable budget is what the customer can pay on all
    three loans together; each loan's share is its payment's share of the three payments, and the
    shares add up to no more than the whole."""
    loans = (BIG, MIDDLE, SMALL)
    whole = alone(BIG, 11, 10, income=900_000, essentials=600_000).assessment.target_payment
    shares = [
        e.assessment.target_payment for e in each(loans, 11, 10, income=900_000, essentials=600_000)
    ]
    assert whole > 0
    assert sum(shares) <= whole
    assert whole - sum(shares) < len(loans)  # rounded down to the fen, no more
    total = sum(payment(x) for x in loans)
    for the_loan, share in zip(loans, shares, strict=True):
        assert share == whole * payment(the_loan) // total


def test_the_plans_of_a_household_together_fit_its_budget() -> None:
    """Two loans overdue after a job loss, income ¥5,000 and essentials ¥3,500: every plan offered
    as affordable on one loan fits that loan's share, so the customer can keep both plans at once."""
    loans = (BIG, MIDDLE)
    answers = each(loans, 11, 20, income=500_000, essentials=350_000)
    whole = alone(BIG, 11, 20, income=500_000, essentials=350_000).assessment.target_payment
    cheapest = []
    for answer in answers:
        plans = [o for o in answer.offers if o.type in ("hardship_plan", "grace_period")]
        assert plans, answer.reasons
        first = min(o.schedule.installments[0].payment for o in plans if o.schedule)
        cheapest.append(first)
        assert first <= answer.assessment.target_payment
    assert sum(cheapest) <= whole


def test_a_customer_who_can_pay_one_loan_but_not_all_is_in_hardship_on_each() -> None:
    """Income after essentials and other debts of ¥2,500 covers the big loan's ¥1,992.86 alone, but
    not the ¥3,487.50 of all three: alone the big loan shows no hardship; in the household it does,
    and so does each of the others."""
    given: dict[str, Any] = {"income": 600_000, "essentials": 350_000}
    assert not alone(BIG, 11, 0, **given).assessment.shows_hardship
    assert all(e.assessment.shows_hardship for e in each((BIG, MIDDLE, SMALL), 11, 0, **given))


def test_a_customer_who_can_pay_every_loan_needs_no_plan_on_any() -> None:
    """Current on three loans with ¥20,000 of income and ¥6,000 of essentials: the budget covers
    every payment, so no loan needs a plan and nothing is conceded."""
    for answer in each((BIG, MIDDLE, SMALL), 11, 0, income=2_000_000, essentials=600_000):
        assert "NO_PLAN_NEEDED" in {r.code for r in answer.reasons}
        assert not [o for o in answer.offers if o.concessions.forgives]


def test_a_loan_past_its_last_due_date_takes_no_share_of_the_monthly_budget() -> None:
    """A six-month loan that ended before the case date, two installments still unpaid, has no
    monthly payment left to share (its arrears are a case of their own): the loan being negotiated
    keeps the whole budget, and nothing says it is shared."""
    short = loan(principal=600_000, months=6, paid=4)
    given: dict[str, Any] = {"income": 500_000, "essentials": 350_000}
    whole = alone(BIG, 11, 20, **given)
    with_short = each((BIG, short), 11, 20, **given)[0]
    assert with_short.assessment.target_payment == whole.assessment.target_payment
    assert "ASSESS_HOUSEHOLD" not in {r.code for r in with_short.reasons}


def test_a_loan_whose_principal_falls_due_at_the_end_counts_at_its_monthly_cost() -> None:
    """Beside the big loan, a ¥30,000 six-month line repaid interest first, its principal due with
    the last payment next month: the line counts at what it costs a month spread over its six
    months (about ¥5,200), not at its ¥30,000 final payment, so the big loan keeps a fair share."""
    terms = LoanTerms(
        3_000_000, Decimal("0.12"), 6, date(2026, 1, 10), RepaymentMethod.INTEREST_FIRST
    )
    line = Loan.from_terms(terms)
    given: dict[str, Any] = {"income": 900_000, "essentials": 600_000}
    whole = alone(BIG, 11, 5, **given).assessment.target_payment
    shared = each((BIG, line), 11, 5, **given)[0].assessment.target_payment
    assert line.schedule.installments[-1].payment > 3_000_000
    assert 510_000 < monthly_cost(line) < 530_000
    assert shared == whole * payment(BIG) // (payment(BIG) + monthly_cost(line))
    assert shared > whole // 5


def test_savings_are_shared_like_income() -> None:
    """A customer with ¥30,000 saved and two loans in deep arrears: alone the big loan could take
    all of it; shared, the big loan's settlement can use only its part, never the other loan's."""
    given: dict[str, Any] = {"income": 300_000, "essentials": 250_000, "lump_sum": 3_000_000}
    single = alone(BIG, 11, 120, **given).assessment
    shared = each((BIG, MIDDLE), 11, 120, **given)[0].assessment
    assert single.lump_sum == 3_000_000
    assert shared.lump_sum == 3_000_000 * payment(BIG) // (payment(BIG) + payment(MIDDLE))
    for answer in each((BIG, MIDDLE), 11, 120, **given):
        for offer in answer.offers:
            if offer.type == "settlement":
                assert offer.due_at_signing <= answer.assessment.lump_sum


def test_the_customer_is_told_the_budget_is_shared_with_its_figures() -> None:
    """The answer says, in Chinese and in English, that the loans share one budget, the whole budget,
    this loan's payment and its share — in words, with no internal code."""
    answer = each((BIG, MIDDLE), 11, 20, income=500_000, essentials=350_000)[0]
    share = f"¥{answer.assessment.target_payment / 100:,.2f}"
    zh, en = (" ".join(said(answer, language)) for language in ("zh", "en"))
    assert "2 笔贷款共用一份可承受额度" in zh
    assert share in zh
    assert "2 loans with us share one affordable budget" in en
    assert share in en
    assert not INTERNAL_CODE.search(zh + en)


@settings(max_examples=examples(40), deadline=None)
@given(
    principals=st.lists(st.integers(500_000, 15_000_000), min_size=2, max_size=4),
    income=st.integers(200_000, 3_000_000),
    essentials_share=st.integers(10, 90),
    days=st.integers(0, 150),
)
def test_one_budget_is_never_exceeded_and_hardship_is_the_households(
    principals: list[int], income: int, essentials_share: int, days: int
) -> None:
    """However many loans and whatever the figures: the loans' shares of the budget add up to no
    more than the whole, and each loan's share of the income after essentials falls short of its
    payment exactly when the household's falls short of all the payments together."""
    loans = tuple(loan(principal=p) for p in principals)
    given: dict[str, Any] = {"income": income, "essentials": income * essentials_share // 100}
    whole = alone(loans[0], 11, days, **given).assessment
    answers = [e.assessment for e in each(loans, 11, days, **given)]
    assert sum(a.target_payment for a in answers) <= whole.target_payment
    short = whole.disposable < sum(payment(x) for x in loans)
    for the_loan, a in zip(loans, answers, strict=True):
        assert (a.disposable < payment(the_loan)) == short
