"""Evaluate a negotiation case: assessment, offers with their NPV test, regulatory checks, approval
level and reasons, and the answer to the customer's own proposal.

The offers are made in :mod:`.offers`, checked in :mod:`.checks` and routed in :mod:`.approval`; the
answer to a proposal is :mod:`.counter`'s. Their names stay importable from here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from xieshang.domain import agreement
from xieshang.domain.errors import InvalidInput
from xieshang.domain.money import Fen
from xieshang.domain.negotiation import waterfall
from xieshang.domain.negotiation.approval import LEVELS, Concessions
from xieshang.domain.negotiation.assess import Assessment
from xieshang.domain.negotiation.case import Case, Scenario
from xieshang.domain.negotiation.checks import Check
from xieshang.domain.negotiation.counter import CounterOffer, counter_offer
from xieshang.domain.negotiation.due_date import due_date_offer
from xieshang.domain.negotiation.offers import (
    Appraisal,
    Offer,
    appraise,
    hardship_offers,
    plan_offer,
)
from xieshang.domain.negotiation.policy import Policy
from xieshang.domain.negotiation.reasons import Reason, money
from xieshang.domain.negotiation.settlement import settlement_offer
from xieshang.domain.rates import format_rate

__all__ = [
    "LEVELS",
    "Check",
    "Concessions",
    "CounterOffer",
    "Evaluation",
    "Offer",
    "adjusted_offer",
    "evaluate",
]


@dataclass(frozen=True)
class Evaluation:
    policy_version: str
    policy_digest: str
    as_of: date
    assessment: Assessment
    baseline_npv: Fen
    offers: tuple[Offer, ...]
    counter_offer: CounterOffer | None
    reasons: tuple[Reason, ...]


def evaluate(case: Case, policy: Policy) -> Evaluation:
    """The engine's answer to a hardship case. Pure and deterministic: same input, same output."""
    if case.request.scenario is not Scenario.HARDSHIP:
        raise InvalidInput(
            "request.scenario", f"{case.request.scenario.value} is evaluated by its own path"
        )
    limit = policy.regulatory.principal_max.get(case.product_kind)
    if limit is not None and case.loan.terms.principal > limit:
        raise InvalidInput(
            "loan.principal",
            f"{money(case.loan.terms.principal)} is above the {money(limit)} limit"
            f" of a {case.product_kind.replace('_', ' ')} loan",
        )
    appraisal = _appraised(case, policy)
    assessment = appraisal.assessment
    reasons: list[Reason] = [*appraisal.lawful.reasons, *assessment.reasons, *assessment.flags]
    if case.request.vulnerability:  # whatever the engine offers, a person follows it up
        reasons.append(Reason("VULNERABLE_CARE", {"days": str(policy.callback_working_days)}))
    offers: list[Offer] = []
    no_plan_needed = (
        assessment.installment <= assessment.target_payment and assessment.days_past_due == 0
    )
    if no_plan_needed:
        reasons.append(
            Reason(
                "NO_PLAN_NEEDED",
                {
                    "installment": money(assessment.installment),
                    "target": money(assessment.target_payment),
                },
            )
        )
    else:
        made, refused = hardship_offers(appraisal)
        offers += made
        reasons += refused
    answers = [settlement_offer(appraisal)]
    if case.request.preferred_due_day is not None:
        answers.append(due_date_offer(appraisal))
    for answer in answers:
        if isinstance(answer, Offer):
            offers.append(answer)
        elif answer is not None:
            reasons.append(answer)
    offers = [_credited(_tagged(offer, policy), appraisal) for offer in offers]
    if not no_plan_needed and not any(_affordable(o, assessment) for o in offers):
        # Never silent, never only an offer the customer cannot pay: a person takes it from here.
        reasons.append(Reason("NEXT_STEP_PERSON", {"days": str(policy.callback_working_days)}))
    return Evaluation(
        policy_version=policy.version,
        policy_digest=policy.digest,
        as_of=case.as_of,
        assessment=assessment,
        baseline_npv=round(appraisal.baseline),
        offers=tuple(offers),
        counter_offer=counter_offer(appraisal, offers),
        reasons=tuple(reasons),
    )


def _appraised(case: Case, policy: Policy) -> Appraisal:
    """The case appraised; a loan with nothing owed has nothing to negotiate."""
    appraisal = appraise(case, policy)
    if appraisal.assessment.debt.total == 0:
        raise InvalidInput("loan", f"nothing is owed on it as of {case.as_of}: it is paid off")
    return appraisal


def _credited(offer: Offer, appraisal: Appraisal) -> Offer:
    """The offer's installation states what the law took off the debt it starts from."""
    credited = appraisal.lawful.credited
    if offer.installation is None or not credited:
        return offer
    return replace(offer, installation=replace(offer.installation, credited=credited))


def _tagged(offer: Offer, policy: Policy) -> Offer:
    """A concession to a borrower in difficulty makes the loan a restructured asset (重组资产,
    风险分类办法 第十七、十八条), watched until the end of its observation period (第二十条)."""
    if offer.schedule is None or offer.type in agreement.NOT_RESTRUCTURING:
        return offer
    until = agreement.observation_end(offer.schedule, policy.regulatory.observation_period_months)
    tag = Reason("RESTRUCTURED", {"until": until.isoformat()})
    return replace(offer, reasons=(*offer.reasons, tag))


def _affordable(offer: Offer, assessment: Assessment) -> bool:
    """The offer asks no more a month than the customer's affordable target (a settlement is paid
    from the lump sum they said they have)."""
    if offer.type == "settlement":
        return True
    first = offer.schedule.installments[0].payment if offer.schedule else offer.monthly_payment
    return min(first, offer.monthly_payment) <= assessment.target_payment


def adjusted_offer(case: Case, policy: Policy, shape: waterfall.PlanShape) -> Offer | Reason:
    """A plan a person shaped, put through the same regulatory checks, NPV test and authority
    routing as the engine's own; the reason when it cannot be offered."""
    appraisal = _appraised(case, policy)
    result = waterfall.build(appraisal.assessment.debt, shape, case.as_of)
    why = Reason(
        "ADJUSTED_PLAN",
        {"months": str(shape.months), "rate": format_rate(shape.rate)},
    )
    plan = waterfall.Plan(shape, result, (), (why,))
    made = plan_offer("adjusted", "adjusted_plan", plan, appraisal)
    return _credited(made, appraisal) if isinstance(made, Offer) else made
