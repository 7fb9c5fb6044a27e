"""The engine's answer moves the right way (issue 14): further behind, or with a moral-hazard signal,
a customer is never answered more generously, and the bank never values doing nothing higher.

"Further behind" is the same customer on the same day having paid one installment fewer: all else
equal, so the comparison is about the arrears alone (a later date also shortens the loan).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import examples, hardship_cases
from xieshang.domain.negotiation.approval import LEVELS
from xieshang.domain.negotiation.case import Case, History
from xieshang.domain.negotiation.engine import Evaluation, evaluate
from xieshang.policy.document import load_policy

POLICY = load_policy()
PROPERTY = settings(max_examples=examples(60), deadline=None)

SIGNALS: dict[str, Callable[[History], History]] = {
    "broken_plan": lambda h: replace(
        h, plans_broken=h.plans_broken + 1, months_since_broken_plan=1
    ),
    "recent_plan": lambda h: replace(h, months_since_last_plan=1),
    "new_debts": lambda h: replace(h, new_debts_recent=h.new_debts_recent + 5),
    "no_contact": lambda h: replace(h, contact_response_rate=0.0, installments_on_time=0),
}
"""Each a moral-hazard signal added to a customer's record (道德风险)."""


def levels(result: Evaluation) -> dict[str, int]:
    """Each offer's approval level: 0 automatic, 1 an agent, 2 a supervisor."""
    return {o.id: LEVELS.index(o.approval) for o in result.offers}


def behind_one_more(case: Case) -> Case:
    return replace(case, loan=replace(case.loan, payments=case.loan.payments[:-1]))


def per_yuan(result: Evaluation) -> float:
    return result.baseline_npv / result.assessment.debt.total


@PROPERTY
@given(c=hardship_cases())
def test_one_installment_more_behind_is_never_worth_more_to_the_bank_per_yuan_owed(c: Case) -> None:
    if not c.loan.payments:
        return
    before, behind = evaluate(c, POLICY), evaluate(behind_one_more(c), POLICY)
    # The values are rounded to the fen: allow that fen, no more.
    assert per_yuan(behind) <= (before.baseline_npv + 1) / before.assessment.debt.total


@PROPERTY
@given(c=hardship_cases())
def test_one_installment_more_behind_never_makes_an_answer_more_automatic(c: Case) -> None:
    """Every offer the further-behind customer gets needs at least the approval it needed for the
    same customer one installment less behind; one only they get is never automatic."""
    if not c.loan.payments:
        return
    before, behind = levels(evaluate(c, POLICY)), levels(evaluate(behind_one_more(c), POLICY))
    for offer, level in behind.items():
        assert level >= before.get(offer, 1)


@PROPERTY
@given(c=hardship_cases(), signal=st.sampled_from(sorted(SIGNALS)))
def test_a_moral_hazard_signal_never_makes_an_answer_more_generous(c: Case, signal: str) -> None:
    """The flags only grow; no offer appears that was not made without the signal; none is approved
    at a lower level; a counter-offer agreed is agreed at no lower level."""
    flagged = replace(c, history=SIGNALS[signal](c.history))
    clean, answer = evaluate(c, POLICY), evaluate(flagged, POLICY)
    assert {f.code for f in clean.assessment.flags} <= {f.code for f in answer.assessment.flags}
    before, after = levels(clean), levels(answer)
    assert set(after) <= set(before)
    for offer, level in after.items():
        assert level >= before[offer]
    mine, theirs = answer.counter_offer, clean.counter_offer
    if mine is not None and theirs is not None and mine.approval and theirs.approval:
        assert LEVELS.index(mine.approval) >= LEVELS.index(theirs.approval)
