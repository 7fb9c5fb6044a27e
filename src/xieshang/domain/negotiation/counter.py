"""The answer to the customer's own proposal (a monthly amount, a number of months, or both): the
plan at the contract rate that comes closest, within the longest plan the rules allow."""

from __future__ import annotations

from dataclasses import dataclass, replace

from xieshang.domain.money import Fen
from xieshang.domain.negotiation import waterfall
from xieshang.domain.negotiation.assess import Assessment
from xieshang.domain.negotiation.case import Case
from xieshang.domain.negotiation.policy import Policy
from xieshang.domain.negotiation.reasons import Reason, money
from xieshang.domain.restructure import Restructuring
from xieshang.domain.schedule import Schedule
from xieshang.domain.search import smallest_satisfying


@dataclass(frozen=True)
class CounterOffer:
    accepted: bool
    monthly_payment: Fen
    months: int
    schedule: Schedule | None
    reasons: tuple[Reason, ...]


def counter_offer(case: Case, assessment: Assessment, policy: Policy) -> CounterOffer | None:
    """The answer to ``case``'s proposal; None when the customer proposed nothing."""
    proposal = case.request.proposal
    if proposal is None:
        return None
    cap = policy.regulatory.max_plan_months
    shape = waterfall.PlanShape(
        months=assessment.remaining_months,
        rate=case.loan.terms.annual_rate,
        waive=False,
        capitalise=policy.waterfall.capitalise_arrears,
    )
    debt = assessment.debt

    def plan(months: int) -> Restructuring:
        return waterfall.build(debt, replace(shape, months=months), case.as_of)

    def pay(months: int) -> Fen:
        return waterfall.level_payment_of(debt, replace(shape, months=months), case.as_of)

    wanted = proposal.monthly_payment
    if wanted is not None and proposal.months is None:
        if wanted >= assessment.installment and assessment.days_past_due == 0:
            reason = Reason(
                "COUNTER_AT_CONTRACT",
                {"payment": money(wanted), "installment": money(assessment.installment)},
            )
            return CounterOffer(
                True, assessment.installment, assessment.remaining_months, None, (reason,)
            )
        least = pay(cap)
        if wanted < least:
            reason = Reason(
                "COUNTER_TERM_CAP",
                {"payment": money(wanted), "cap": str(cap), "least": money(least)},
            )
            return CounterOffer(False, least, cap, plan(cap).schedule, (reason,))
        months = smallest_satisfying(1, cap, lambda m: pay(m) <= wanted)
        result = plan(months)
        payment = waterfall.regular_payment(result, 0)
        reason = Reason("COUNTER_ACCEPTED", {"payment": money(payment), "months": str(months)})
        return CounterOffer(True, payment, months, result.schedule, (reason,))
    months = proposal.months or assessment.remaining_months
    if months > cap:
        reason = Reason(
            "COUNTER_MONTHS_CAP",
            {"months": str(months), "cap": str(cap), "payment": money(pay(cap))},
        )
        return CounterOffer(False, pay(cap), cap, plan(cap).schedule, (reason,))
    result = plan(months)
    payment = waterfall.regular_payment(result, 0)
    accepted = wanted is None or payment <= wanted
    reason = Reason("COUNTER_MONTHS", {"months": str(months), "payment": money(payment)})
    return CounterOffer(accepted, payment, months, result.schedule, (reason,))
