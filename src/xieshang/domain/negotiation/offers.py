"""The offers a hardship case can get — a plan the waterfall shapes (and a grace period for a
temporary hardship), a settlement for a lump sum, a new due date — each valued against doing nothing
and routed to the level that may approve it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from xieshang.domain import agreement
from xieshang.domain.ledger_state import LedgerState
from xieshang.domain.money import Fen
from xieshang.domain.negotiation import waterfall
from xieshang.domain.negotiation.approval import LEVELS, Concessions, route_approval
from xieshang.domain.negotiation.assess import Assessment, assess
from xieshang.domain.negotiation.case import Case
from xieshang.domain.negotiation.checks import CHECK_WORDS, Check, plan_apr_of, regulatory_checks
from xieshang.domain.negotiation.lawful import LawfulLoan, lawful_loan
from xieshang.domain.negotiation.policy import Policy
from xieshang.domain.negotiation.reasons import Reason, money
from xieshang.domain.negotiation.valuation import Valuer
from xieshang.domain.schedule import Schedule

DECIDED_BY_A_PERSON = frozenset({"payment_holiday"})
"""Offer kinds never made automatically: a person agrees them with the customer."""


@dataclass(frozen=True)
class Offer:
    id: str
    type: str
    monthly_payment: Fen
    term_months: int
    apr: Decimal
    total_cost: Fen
    npv: Fen
    concessions: Concessions
    approval: str
    checks: tuple[Check, ...]
    schedule: Schedule | None
    due_at_signing: Fen
    reasons: tuple[Reason, ...]
    installation: agreement.Installation | None = None
    """What accepting the offer puts on the loan."""


@dataclass(frozen=True)
class Appraisal:
    """What every offer for one case is measured against: the assessment, the policy, the NPV model
    and the value of doing nothing."""

    case: Case
    policy: Policy
    lawful: LawfulLoan
    """The contract within the law, which every plan starts from."""
    assessment: Assessment
    valuer: Valuer
    baseline: float
    """The expected present value of the loan as it stands, which an offer must beat."""

    @property
    def contract_rate(self) -> Decimal:
        return self.lawful.loan.terms.annual_rate


def appraise(case: Case, policy: Policy) -> Appraisal:
    """The case's loan within the law as of its date, assessed, and the value of doing nothing."""
    lawful = lawful_loan(case.loan, policy.regulatory, case.as_of)
    assessment = assess(case, lawful.state, policy)
    valuer = Valuer(policy.valuation)
    baseline = _baseline(lawful.state, assessment, valuer)
    return Appraisal(case, policy, lawful, assessment, valuer, baseline)


def _baseline(state: LedgerState, assessment: Assessment, valuer: Valuer) -> float:
    """Doing nothing: the loan as it stands, from how far behind it is. A customer whose installment
    is above the affordable target cannot keep it up; a payment beyond what they can bear (a
    balloon) defaults on its date."""
    overdue = [s for s in state.installments if s.installment.due_date <= state.as_of]
    future = [s for s in state.installments if s.installment.due_date > state.as_of]
    payments = [s.total_owed for s in future]
    affordable = assessment.installment <= assessment.target_payment
    balloon = next((i for i, p in enumerate(payments) if p > assessment.bearable), None)
    return valuer.baseline(
        sum(s.total_owed for s in overdue),
        payments,
        [s.installment.balance for s in future],
        sum(1 for s in overdue if s.total_owed > 0),
        affordable=affordable,
        balloon_at=balloon if affordable else None,
    )


def npv_reason(npv: float, baseline: float) -> Reason:
    """Whether an offer is worth at least doing nothing to the bank, with both values."""
    return Reason(
        "NPV_ABOVE_BASELINE" if npv >= baseline else "NPV_BELOW_BASELINE",
        {"npv": money(round(npv)), "baseline": money(round(baseline))},
    )


# -- plans -----------------------------------------------------------------------------------

ASKED_FOR = frozenset({"adjusted_plan", "counter_plan"})
"""Plans shaped by a person or priced from the customer's proposal: their payment is the one asked
for, not a hardship plan the waterfall made (a counter-offer above the target is refused before)."""


def hardship_offers(appraisal: Appraisal) -> tuple[list[Offer], list[Reason]]:
    """The waterfall's plan, and for a temporary hardship a grace period, where each can be made;
    and why each that cannot be made is not."""
    case, policy, assessment = appraisal.case, appraisal.policy, appraisal.assessment
    contract_rate = appraisal.contract_rate
    waive_ok = assessment.may_waive
    plan = waterfall.run(assessment, policy, contract_rate, case.as_of, waive_allowed=waive_ok)
    candidates = [("plan", "hardship_plan", plan)]
    temporary = case.request.temporary
    if temporary and policy.waterfall.grace_months_max:
        grace = waterfall.grace_plan(
            assessment, policy, contract_rate, case.as_of, waive=plan.shape.waive
        )
        candidates.append(("grace", "grace_period", grace))
    holiday = policy.waterfall.holiday_months
    cannot_pay_now = assessment.target_payment < assessment.installment
    wanted = temporary or bool(case.request.vulnerability)
    if wanted and cannot_pay_now and holiday > policy.waterfall.grace_months_max:
        pause = waterfall.grace_plan(
            assessment,
            policy,
            contract_rate,
            case.as_of,
            waive=plan.shape.waive,
            months_of_grace=holiday,
        )
        candidates.append(("holiday", "payment_holiday", pause))
    offers, refusals = [], []
    for offer_id, kind, candidate in candidates:
        offer = plan_offer(offer_id, kind, candidate, appraisal)
        if isinstance(offer, Offer):
            offers.append(offer)
        else:
            refusals.append(offer)
    return offers, refusals


def plan_offer(
    offer_id: str, kind: str, plan: waterfall.Plan, appraisal: Appraisal
) -> Offer | Reason:
    """The offer a plan makes, or the reason it cannot be made (a failed check, beyond authority)."""
    assessment = appraisal.assessment
    result = plan.restructuring
    schedule = result.schedule
    npv = _plan_npv(plan, appraisal)
    concessions = _plan_concessions(plan, appraisal)
    cost, checks = _checks(plan, appraisal)
    reasons = [r for step in plan.steps for r in step.reasons] + list(plan.reasons)
    failed = [CHECK_WORDS[c.code] for c in checks if not c.passed]
    if failed:  # an offer that fails a regulatory check is never produced
        return Reason(
            "CHECK_FAILED",
            {
                "checks": "; ".join(en for _, en in failed),
                "checks_zh": "；".join(zh for zh, _ in failed),
            },
        )
    hardship_payment = schedule.installments[0].payment if plan.shape.grace else plan.payment
    if kind not in ASKED_FOR and plan.payment > assessment.installment:
        honest = _catch_up(kind, plan.payment, assessment)
        if isinstance(honest, Reason):
            return honest
        kind = honest
        reasons.append(
            Reason(
                "CATCH_UP_PLAN",
                {"payment": money(plan.payment), "installment": money(assessment.installment)},
            )
        )
    reasons += _final_payment(schedule, plan.payment)
    reasons.append(npv_reason(npv, appraisal.baseline))
    approval = _route(kind, hardship_payment, concessions, npv, appraisal, reasons)
    if isinstance(approval, Reason):
        return approval
    total_paid = sum(i.payment for i in schedule.installments) + result.due_at_signing
    return Offer(
        id=offer_id,
        type=kind,
        monthly_payment=plan.payment,
        term_months=len(schedule.installments),
        apr=cost,
        total_cost=total_paid - assessment.debt.principal,
        npv=round(npv),
        concessions=concessions,
        approval=approval,
        checks=checks,
        schedule=schedule,
        due_at_signing=result.due_at_signing,
        reasons=tuple(reasons),
        installation=agreement.from_restructuring(result),
    )


def _route(
    kind: str,
    first: Fen,
    concessions: Concessions,
    npv: float,
    appraisal: Appraisal,
    reasons: list[Reason],
) -> str | Reason:
    """Who may approve the offer (with why, added to ``reasons``), or why no one may. A first
    payment above the affordable target is marked; some kinds always need a person."""
    assessment = appraisal.assessment
    reached = first <= assessment.target_payment
    if not reached and not any(r.code == "TARGET_NOT_REACHED" for r in reasons):
        target = money(assessment.target_payment)
        reasons.append(Reason("ABOVE_TARGET", {"payment": money(first), "target": target}))
    approval, why = route_approval(
        concessions,
        appraisal.policy,
        assessment,
        npv_ok=npv >= appraisal.baseline,
        reached=reached,
    )
    if approval is None:
        return why
    reasons.append(why)
    if kind in DECIDED_BY_A_PERSON and approval == LEVELS[0]:
        reasons.append(Reason("HOLIDAY_PERSON", {}))
        return LEVELS[1]
    return approval


def _checks(plan: waterfall.Plan, appraisal: Appraisal) -> tuple[Decimal, tuple[Check, ...]]:
    """The plan's APR, solved once (the APR check and the offer both show it), and its checks."""
    schedule = plan.restructuring.schedule
    cost = plan_apr_of(schedule)
    markup = appraisal.lawful.loan.rules.markup
    policy, months = appraisal.policy, plan.shape.months
    return cost, regulatory_checks(schedule, plan.restructuring, policy, months, markup, cost=cost)


def _catch_up(kind: str, payment: Fen, assessment: Assessment) -> str | Reason:
    """A plan whose payment is above the contract's installment is no hardship plan: it spreads
    arrears over the remaining term. Offered as that, when the customer can afford it; never as a
    grace period, whose point is a lower payment."""
    if kind == "hardship_plan" and payment <= assessment.target_payment:
        return "catch_up_plan"
    return Reason(
        "PLAN_RAISES_PAYMENT",
        {"payment": money(payment), "installment": money(assessment.installment)},
    )


def _final_payment(schedule: Schedule, regular: Fen) -> list[Reason]:
    """The last payment, said when it is a balloon (more than half again the regular payment)."""
    last = schedule.installments[-1]
    if len(schedule.installments) < 2 or 2 * last.payment <= 3 * regular:
        return []
    return [
        Reason(
            "FINAL_PAYMENT",
            {"payment": money(last.payment), "date": last.due_date.isoformat()},
        )
    ]


def _plan_npv(plan: waterfall.Plan, appraisal: Appraisal) -> float:
    result = plan.restructuring
    rows = result.schedule.installments
    installment = appraisal.assessment.installment
    reduction = 1 - plan.payment / installment if installment else 0.0
    return appraisal.valuer.plan(
        [i.payment for i in rows],
        [i.balance for i in rows],
        reduction,
        at_signing=result.due_at_signing,
        reinstated=sum(result.waived.values()),
    )


def _plan_concessions(plan: waterfall.Plan, appraisal: Appraisal) -> Concessions:
    result = plan.restructuring
    schedule = result.schedule
    contract_rate = appraisal.contract_rate
    return Concessions(
        waived=sum(result.waived.values()),
        extension_months=max(0, plan.shape.months - appraisal.assessment.remaining_months),
        rate_reduction=max(Decimal(0), contract_rate - plan.shape.rate),
        forbearance_share=Decimal(result.forborne) / schedule.principal
        if schedule.principal
        else Decimal(0),
        interest_suspended=plan.shape.rate == 0,
        forborne=result.forborne,
        interest_forgone=_interest_forgone(plan, appraisal.assessment, contract_rate),
    )


def _interest_forgone(plan: waterfall.Plan, assessment: Assessment, contract_rate: Decimal) -> Fen:
    if plan.shape.rate >= contract_rate:
        return 0
    at_contract = waterfall.interest_of(
        assessment.debt,
        replace(plan.shape, rate=contract_rate),
        plan.restructuring.schedule.start_date,
    )
    return at_contract - plan.restructuring.schedule.total_interest
