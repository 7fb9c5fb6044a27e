"""The customer's own proposal, judged the way a loss-mitigation specialist would (issue 14, class 4).

Each case states what a bank could sign *before* the engine is asked, in its docstring; the
assertions hold the engine to that sentence. The principle: one judgement for every answer. A
counter-offer is priced from the lawful debt and passes the same checks as the engine's own plans —
affordability, moral hazard, authority, NPV, the caps — and says who may approve it; the least it
quotes is never below what the engine would agree nor above a plan it offers in the same answer.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import NotRequired, TypedDict

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.negotiation.test_expert_cases import days_after_due, loan
from tests.strategies import examples, hardship_cases
from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.loan import Loan
from xieshang.domain.negotiation.approval import LEVELS
from xieshang.domain.negotiation.case import (
    Case,
    Finances,
    Hardship,
    History,
    Proposal,
    Request,
    Scenario,
)
from xieshang.domain.negotiation.counter import PLAN_TYPES, CounterOffer
from xieshang.domain.negotiation.engine import Evaluation, evaluate
from xieshang.domain.restructure import Debt
from xieshang.policy.document import load_policy

POLICY = load_policy()
CAP = POLICY.regulatory.max_plan_months


def propose(
    the_loan: Loan,
    as_of: date,
    proposal: Proposal,
    *,
    income: int,
    essentials: int,
    other_debt: int = 0,
    history: History | None = None,
) -> Evaluation:
    """The engine's answer to a customer who proposes ``proposal`` (a clean record unless said)."""
    count = len(the_loan.payments)
    case = Case(
        loan=the_loan,
        finances=Finances(income, income, essentials, other_debt),
        history=history
        or History(tenure_months=24, installments_due=count, installments_on_time=count),
        request=Request(Scenario.HARDSHIP, Hardship.INCOME_DROP_TEMPORARY, proposal),
        as_of=as_of,
    )
    return evaluate(case, POLICY)


def counter(result: Evaluation) -> CounterOffer:
    assert result.counter_offer is not None
    return result.counter_offer


def said(answer: CounterOffer, language: str = "en") -> list[str]:
    index = 0 if language == "zh" else 1
    return [r.render(POLICY.reasons)[index] for r in answer.reasons]


def codes(answer: CounterOffer) -> list[str]:
    return [r.code for r in answer.reasons]


def yuan(fen: int) -> str:
    return f"¥{fen / 100:,.2f}"


# A ¥60,000 loan at 12 % over 36 months, ten installments paid, the eleventh 10 days late. Income
# ¥7,000, other debts ¥1,000 a month: with ¥3,500 of essentials ¥2,500 is left and the affordable
# target is ¥1,500 (60 % of it), below the ¥1,992.86 installment.
LOAN = loan(paid=10)
LATE = days_after_due(LOAN, 11, 10)


class Money(TypedDict):
    income: int
    essentials: int
    other_debt: NotRequired[int]


FINANCES = Money(income=700_000, essentials=350_000, other_debt=100_000)


def test_a_modest_proposal_within_the_target_on_a_clean_record_is_agreed_automatically() -> None:
    """¥1,400 a month, below the ¥1,500 target, from a customer who has always paid on time: the
    term it needs is an extension within automatic authority, the plan is worth more than doing
    nothing, it passes every check — agreed automatically, at no more than was proposed."""
    result = propose(LOAN, LATE, Proposal(monthly_payment=140_000), **FINANCES)
    answer = counter(result)
    assert answer.accepted
    assert answer.approval == "automatic"
    assert answer.offer is not None
    assert answer.monthly_payment <= 140_000
    assert answer.monthly_payment <= result.assessment.target_payment
    assert all(check.passed for check in answer.offer.checks)
    assert answer.offer.npv >= result.baseline_npv
    assert answer.offer.concessions.extension_months <= 24
    assert codes(answer)[0] == "COUNTER_REPAYS"
    assert "you can accept it now" not in " ".join(said(answer)), "a proposal is not yet an offer"


def test_the_same_proposal_after_a_recently_broken_plan_is_not_automatic() -> None:
    """The same ¥1,400 from a customer who broke a plan four months ago: the moral-hazard flag binds
    the counter-offer as it binds every offer — a person decides — and the customer reads why in
    words, never the flag's code."""
    history = History(24, 10, 10, plans_broken=1, months_since_broken_plan=4)
    answer = counter(
        propose(LOAN, LATE, Proposal(monthly_payment=140_000), **FINANCES, history=history)
    )
    assert answer.approval == "agent"
    assert any("a recent plan was broken" in text for text in said(answer))
    assert any("近期有未履行的方案" in text for text in said(answer, "zh"))
    assert not any("MH_" in text for language in ("en", "zh") for text in said(answer, language))


def test_a_proposal_far_above_the_target_is_not_agreed_as_it_stands() -> None:
    """Keen to clear it fast, the customer offers ¥4,000 a month — more than twice the ¥1,500 their
    own figures say they can keep paying. A plan they cannot keep re-defaults: not agreed as
    proposed, the target said, and the answer names a plan within the target and who approves it."""
    result = propose(LOAN, LATE, Proposal(monthly_payment=400_000), **FINANCES)
    answer = counter(result)
    target = result.assessment.target_payment
    assert not answer.accepted
    assert "COUNTER_ABOVE_TARGET" in codes(answer)
    assert any(f"({yuan(target)})" in text for text in said(answer))
    assert answer.offer is not None
    assert answer.approval in LEVELS
    assert answer.monthly_payment <= target
    assert "COUNTER_INSTEAD" in codes(answer)


def test_the_contract_installment_above_the_target_is_not_agreed_while_up_to_date() -> None:
    """Up to date but with ¥1,500 affordable against a ¥1,992.86 installment, the customer says
    they will keep paying ¥2,000: the bank cannot call that a plan they can keep. Not agreed as
    proposed, and the answer points to a plan within what they can afford."""
    as_of = days_after_due(LOAN, 10, 3)
    result = propose(LOAN, as_of, Proposal(monthly_payment=200_000), **FINANCES)
    answer = counter(result)
    assert result.assessment.days_past_due == 0
    assert not answer.accepted
    assert codes(answer)[0] == "COUNTER_ABOVE_TARGET"
    assert answer.monthly_payment <= result.assessment.target_payment


def test_a_customer_who_can_afford_the_contract_keeps_it_when_offering_the_installment() -> None:
    """Up to date, ¥6,000 left after essentials, offering at least the installment: nothing to
    change and nothing to approve — the contract stands."""
    as_of = days_after_due(LOAN, 10, 3)
    result = propose(
        LOAN, as_of, Proposal(monthly_payment=200_000), income=900_000, essentials=300_000
    )
    answer = counter(result)
    assert answer.accepted
    assert answer.approval == "automatic"
    assert answer.offer is None
    assert answer.monthly_payment == result.assessment.installment
    assert codes(answer)[0] == "COUNTER_AT_CONTRACT"


def test_a_proposal_needing_an_extension_beyond_an_agent_goes_to_a_supervisor() -> None:
    """Fourteen months left and the customer asks for sixty: a 46-month extension, beyond an
    agent's 36. Within the cap, so it can be made — by a supervisor, and the answer says what goes
    beyond the agent's authority."""
    late_loan = loan(paid=21)
    as_of = days_after_due(late_loan, 22, 10)
    answer = counter(propose(late_loan, as_of, Proposal(months=60), **FINANCES))
    assert answer.accepted
    assert answer.months == 60
    assert answer.approval == "supervisor"
    assert answer.offer is not None
    assert answer.offer.concessions.extension_months > POLICY.authority.agent.max_extension_months
    assert any(text.startswith("Beyond an agent's authority (extension") for text in said(answer))


def test_the_quoted_least_is_what_the_engine_agrees_and_no_more_than_its_own_plan() -> None:
    """¥900 a month does not repay the debt within five years. The answer quotes the least the
    engine would agree, with who approves it: proposing exactly that is agreed at that level, a fen
    less is not, and the least is no more than the plan the engine offers in the same answer."""
    result = propose(LOAN, LATE, Proposal(monthly_payment=90_000), **FINANCES)
    answer = counter(result)
    assert not answer.accepted
    assert codes(answer)[:2] == ["COUNTER_TERM_CAP", "COUNTER_LEAST"]
    least, level = answer.monthly_payment, answer.approval
    assert level in LEVELS
    plans = [o.monthly_payment for o in result.offers if o.type in PLAN_TYPES]
    assert plans
    assert least <= min(plans)
    assert f"The least we can agree is {yuan(least)}" in said(answer)[1]
    again = counter(propose(LOAN, LATE, Proposal(monthly_payment=least), **FINANCES))
    assert again.accepted
    assert (again.monthly_payment, again.approval) == (least, level)
    below = counter(propose(LOAN, LATE, Proposal(monthly_payment=least - 1), **FINANCES))
    assert not below.accepted


def test_in_deep_hardship_the_engines_own_plan_meets_a_proposal_the_contract_rate_cannot() -> None:
    """¥1,000 left after essentials: the engine's plan needs a rate cut and deferred principal to
    reach the ¥600 target. The customer offers ¥700 — not enough at the contract rate within five
    years, but more than the plan the engine offers: the answer is that plan, with its level, never
    a "least" above it."""
    deep = Money(income=500_000, essentials=400_000)
    as_of = days_after_due(LOAN, 11, 20)
    result = propose(LOAN, as_of, Proposal(monthly_payment=70_000), **deep)
    answer = counter(result)
    plan = next(o for o in result.offers if o.type == "hardship_plan")
    assert plan.monthly_payment <= 70_000
    assert answer.accepted
    assert answer.offer == plan
    assert answer.approval == plan.approval
    assert codes(answer)[:2] == ["COUNTER_TERM_CAP", "COUNTER_MET_BY_PLAN"]


def test_when_no_plan_reaches_the_target_a_proposal_is_held_to_the_engines_own_plan() -> None:
    """A 4 % loan one installment from the end, ¥100 a month left after essentials: nothing the
    engine can shape reaches the ¥60 target, so it offers its best plan for a supervisor. A proposal
    asking no more than that plan is no less affordable: judged as that plan is — a person decides,
    told the payment is above the target. A proposal asking more is not agreed as it stands."""
    cheap = loan(rate="0.04", paid=34)
    as_of = days_after_due(cheap, 35, 20)
    poor = Money(income=100_000, essentials=90_000)
    first = propose(cheap, as_of, Proposal(monthly_payment=10_000), **poor)
    plan = next(o for o in first.offers if o.type == "hardship_plan")
    assert plan.monthly_payment > first.assessment.target_payment
    answer = counter(propose(cheap, as_of, Proposal(monthly_payment=plan.monthly_payment), **poor))
    assert answer.accepted
    assert answer.approval != "automatic"
    assert answer.monthly_payment <= plan.monthly_payment
    assert "COUNTER_BEYOND_TARGET" in codes(answer)
    assert any(text.endswith("a person decides") for text in said(answer))
    more = counter(propose(cheap, as_of, Proposal(monthly_payment=10_000), **poor))
    assert not more.accepted
    assert "COUNTER_ABOVE_TARGET" in codes(more)
    assert more.offer == plan


def test_a_proposal_on_a_contract_above_the_rate_cap_is_priced_from_the_lawful_debt() -> None:
    """A 30 % contract: the proposal is priced at the 24 % cap on the debt recomputed at it — the
    excess credited — so its plan passes the APR check instead of carrying the unlawful rate."""
    usurious = loan(rate="0.30", paid=6)
    as_of = days_after_due(usurious, 7, 45)
    result = propose(
        usurious, as_of, Proposal(monthly_payment=200_000), income=700_000, essentials=300_000
    )
    answer = counter(result)
    assert answer.offer is not None
    installation = answer.offer.installation
    assert installation is not None
    assert installation.terms.annual_rate == Decimal("0.24")
    assert installation.debt == result.assessment.debt
    assert installation.debt.total < Debt.of(ledger_as_of(usurious, as_of)).total
    assert answer.offer.apr <= POLICY.regulatory.apr_cap
    assert all(check.passed for check in answer.offer.checks)


def test_a_customer_able_to_pay_but_not_paying_gets_no_automatic_counter_offer() -> None:
    """¥12,000 left a month, forty days late: whatever they propose, a person decides, told in words
    that they are able to pay but are not paying."""
    as_of = days_after_due(LOAN, 11, 40)
    answer = counter(
        propose(
            LOAN, as_of, Proposal(monthly_payment=150_000), income=1_500_000, essentials=300_000
        )
    )
    assert answer.approval == "agent"
    assert any("able to pay but not paying" in text for text in said(answer))


def test_an_amount_that_does_not_cover_the_proposed_term_is_answered_by_the_amount() -> None:
    """ "¥1,300 a month for 36 months" cannot both hold: the answer says what 36 months costs, then
    what ¥1,300 a month repays the debt in and who approves that — not agreed as proposed."""
    result = propose(LOAN, LATE, Proposal(monthly_payment=130_000, months=36), **FINANCES)
    answer = counter(result)
    assert not answer.accepted
    assert codes(answer)[:2] == ["COUNTER_MONTHS", "COUNTER_REPAYS"]
    assert answer.reasons[0].params["months"] == "36"
    assert answer.monthly_payment <= 130_000
    assert answer.approval in LEVELS


# -- Properties over randomised proposals ---------------------------------------------------------

PROPERTY = settings(max_examples=examples(60), deadline=None)
INTERNAL_CODE = re.compile(r"\b[A-Z]{2,}(?:_[A-Z0-9]+)+\b")
PROPOSALS = st.one_of(
    st.builds(Proposal, monthly_payment=st.integers(10_000, 1_000_000)),
    st.builds(Proposal, months=st.integers(1, 80)),
    st.builds(Proposal, st.integers(10_000, 1_000_000), st.integers(1, 80)),
)


def proposing(c: Case, proposal: Proposal) -> Evaluation:
    return evaluate(replace(c, request=replace(c.request, proposal=proposal)), POLICY)


@PROPERTY
@given(c=hardship_cases(), proposal=PROPOSALS)
def test_an_agreed_counter_offer_passes_every_check_and_states_its_level(
    c: Case, proposal: Proposal
) -> None:
    result = proposing(c, proposal)
    answer = counter(result)
    a = result.assessment
    if answer.accepted:
        assert answer.approval in LEVELS
        if answer.offer is None:  # the contract as it stands: nothing overdue, and affordable
            assert a.days_past_due == 0
            assert a.installment <= a.target_payment
    if answer.offer is not None:
        assert answer.approval == answer.offer.approval
        assert all(check.passed for check in answer.offer.checks)
        assert answer.offer.apr <= POLICY.regulatory.apr_cap
        assert answer.offer.term_months <= CAP
        if answer.accepted and answer.approval == "automatic":
            assert answer.monthly_payment <= a.target_payment
            assert answer.offer.npv >= result.baseline_npv
            assert not a.flags


@PROPERTY
@given(c=hardship_cases(), proposal=PROPOSALS)
def test_the_quoted_least_is_agreed_when_proposed_and_never_above_an_offered_plan(
    c: Case, proposal: Proposal
) -> None:
    result = proposing(c, proposal)
    answer = counter(result)
    if "COUNTER_LEAST" not in codes(answer):
        return
    plans = [o.monthly_payment for o in result.offers if o.type in PLAN_TYPES]
    assert all(answer.monthly_payment <= payment for payment in plans)
    again = counter(proposing(c, Proposal(monthly_payment=answer.monthly_payment)))
    assert again.accepted
    assert again.approval is not None
    assert answer.approval is not None
    assert LEVELS.index(again.approval) <= LEVELS.index(answer.approval)
    assert again.monthly_payment <= answer.monthly_payment


@PROPERTY
@given(c=hardship_cases(), proposal=PROPOSALS)
def test_the_customer_reads_the_answer_to_a_proposal_in_words(c: Case, proposal: Proposal) -> None:
    answer = counter(proposing(c, proposal))
    assert answer.reasons
    for language in ("zh", "en"):
        for text in said(answer, language):
            assert not INTERNAL_CODE.search(text), text
