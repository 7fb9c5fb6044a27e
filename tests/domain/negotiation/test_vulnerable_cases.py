"""Vulnerable customers and loss of income (issue 14): dependants count in the budget, a temporary
hardship that cannot be met now gets a payment holiday decided by a person, and vulnerability
always brings a person in. Each case says what a bank could defend before the engine is asked."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.negotiation.test_expert_cases import (
    POLICY,
    ask,
    case_of,
    codes,
    days_after_due,
    loan,
    said,
)
from tests.strategies import hardship_cases
from xieshang.domain.errors import InvalidInput
from xieshang.domain.negotiation.case import (
    Case,
    Hardship,
    Vulnerability,
)
from xieshang.domain.negotiation.engine import Evaluation, evaluate
from xieshang.domain.negotiation.offers import Offer

HOLIDAY = POLICY.waterfall.holiday_months


def offer(result: Evaluation, kind: str) -> Offer | None:
    found = [o for o in result.offers if o.type == kind]
    return found[0] if found else None


def test_a_job_loss_is_a_temporary_hardship_unless_the_customer_says_it_will_last() -> None:
    """Lost their job, a small income from benefits: they get an interest-only grace period like any
    temporary hardship. The same customer saying it will last gets no grace, only the long plan."""
    the_loan = loan(paid=10)
    when = days_after_due(the_loan, 11, 10)
    temporary = ask(the_loan, when, income=400_000, essentials=250_000, hardship=Hardship.JOB_LOSS)
    assert offer(temporary, "grace_period") is not None
    case = case_of(the_loan, when, income=400_000, essentials=250_000, hardship=Hardship.JOB_LOSS)
    lasting = evaluate(replace(case, request=replace(case.request, lasting=True)), POLICY)
    assert offer(lasting, "grace_period") is None
    assert offer(lasting, "payment_holiday") is None


def test_a_hardship_that_cannot_be_met_now_gets_a_payment_holiday_a_person_agrees() -> None:
    """After an accident, income has fallen below the installment for a while: a payment holiday of
    the policy's length (interest only), never automatic, saying a person confirms and reviews it,
    and saying what is paid after it — no more than the contract installment."""
    the_loan = loan(paid=10)
    result = ask(
        the_loan,
        days_after_due(the_loan, 11, 3),
        income=450_000,
        essentials=300_000,
        hardship=Hardship.DISASTER,
    )
    holiday = offer(result, "payment_holiday")
    assert holiday is not None
    assert holiday.approval != "automatic"
    assert {"HOLIDAY_PERSON", "STEP_AFTER_GRACE"} <= {r.code for r in holiday.reasons}
    assert holiday.schedule is not None
    rows = holiday.schedule.installments
    interest_only = rows[:HOLIDAY]
    assert all(r.principal == 0 for r in interest_only[1:])
    assert max(r.payment for r in rows[HOLIDAY:-1]) <= result.assessment.installment


def test_a_customer_who_can_still_pay_gets_no_payment_holiday() -> None:
    """Ill, but income after essentials still covers the installment comfortably: nothing to pause."""
    the_loan = loan(paid=10)
    result = ask(
        the_loan,
        days_after_due(the_loan, 10, 5),
        income=1_200_000,
        essentials=300_000,
        hardship=Hardship.ILLNESS,
    )
    assert offer(result, "payment_holiday") is None


def test_no_income_and_two_children_is_never_left_without_a_person() -> None:
    """Job lost, no income, two children: the budget counts three people's essentials, every offer
    is above what they can pay and so none is automatic, and a person calls."""
    the_loan = loan(paid=12)
    case = case_of(the_loan, days_after_due(the_loan, 13, 15), income=0, essentials=0, dependants=2)
    result = evaluate(
        replace(case, request=replace(case.request, hardship=Hardship.JOB_LOSS)), POLICY
    )
    assert all(o.approval != "automatic" for o in result.offers)
    assert "NEXT_STEP_PERSON" in codes(result)
    assert offer(result, "payment_holiday") is not None


def test_dependants_raise_an_understated_budget_to_the_minimum_and_say_so() -> None:
    """Essentials given as ¥500 for a household of four: the budget counts the policy's minimum for
    four people, the answer says so in both languages, and what is left to pay with is smaller."""
    the_loan = loan(paid=10)
    when = days_after_due(the_loan, 10, 5)
    alone = evaluate(case_of(the_loan, when, income=900_000, essentials=50_000), POLICY)
    family = evaluate(
        case_of(the_loan, when, income=900_000, essentials=50_000, dependants=3), POLICY
    )
    per_person = POLICY.affordability.essentials_per_person
    assert family.assessment.disposable == 900_000 - 4 * per_person
    assert family.assessment.target_payment < alone.assessment.target_payment
    assert "ASSESS_ESSENTIALS_FLOOR" in codes(family)
    assert any("household of 4" in text for text in said(family))
    assert any("4 人家庭" in text for text in said(family, "zh"))


def test_a_vulnerable_customer_always_hears_a_person_will_follow_up() -> None:
    """Recently bereaved and asking for help, though the engine can offer a plan: the offers stand,
    and the answer says a specially trained person will contact them and they may bring someone."""
    the_loan = loan(paid=10)
    case = case_of(the_loan, days_after_due(the_loan, 11, 5), income=700_000, essentials=500_000)
    request = replace(case.request, vulnerability=(Vulnerability.BEREAVEMENT,))
    result = evaluate(replace(case, request=request), POLICY)
    assert result.offers
    assert "VULNERABLE_CARE" in codes(result)
    assert any("someone you trust" in text for text in said(result))
    assert any("信任的人" in text for text in said(result, "zh"))


@settings(max_examples=40, deadline=None)
@given(c=hardship_cases(), more=st.integers(1, 6))
def test_more_dependants_never_raise_the_affordable_target(c: Case, more: int) -> None:
    try:
        before = evaluate(c, POLICY)
        finances = replace(c.finances, dependants=c.finances.dependants + more)
        after = evaluate(replace(c, finances=finances), POLICY)
    except InvalidInput:
        return
    assert after.assessment.target_payment <= before.assessment.target_payment
