"""The offers a hardship case can get — a plan the waterfall shapes (and a grace period for a
temporary hardship), a settlement for a lump sum, a new due date — each valued against doing nothing
and routed to the level that may approve it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from xieshang.domain import agreement
from xieshang.domain.calendar import add_months
from xieshang.domain.ledger_state import LedgerState
from xieshang.domain.money import Fen, apply_rate
from xieshang.domain.negotiation import waterfall
from xieshang.domain.negotiation.approval import Concessions, route_approval
from xieshang.domain.negotiation.assess import Assessment, assess
from xieshang.domain.negotiation.case import Case
from xieshang.domain.negotiation.checks import CHECK_WORDS, Check, plan_apr_of, regulatory_checks
from xieshang.domain.negotiation.lawful import LawfulLoan, lawful_loan
from xieshang.domain.negotiation.policy import Policy
from xieshang.domain.negotiation.reasons import Reason, money
from xieshang.domain.negotiation.valuation import Valuer
from xieshang.domain.rates import format_rate
from xieshang.domain.schedule import RepaymentMethod, Schedule


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
    future = [s for s in state.installments if s.installment.due_date > state.as_of]
    owed_now = sum(
        s.total_owed for s in state.installments if s.installment.due_date <= state.as_of
    )
    payments = [s.total_owed for s in future]
    balances = [s.installment.balance for s in future]
    affordable = assessment.installment <= assessment.target_payment
    return valuer.baseline(
        owed_now,
        payments,
        balances,
        assessment.debt.total,
        assessment.days_past_due,
        affordable=affordable,
    )


def npv_reason(npv: float, baseline: float) -> Reason:
    """Whether an offer is worth at least doing nothing to the bank, with both values."""
    return Reason(
        "NPV_ABOVE_BASELINE" if npv >= baseline else "NPV_BELOW_BASELINE",
        {"npv": money(round(npv)), "baseline": money(round(baseline))},
    )


# -- plans -----------------------------------------------------------------------------------


def hardship_offers(appraisal: Appraisal) -> tuple[list[Offer], list[Reason]]:
    """The waterfall's plan, and for a temporary hardship a grace period, where each can be made;
    and why each that cannot be made is not."""
    case, policy, assessment = appraisal.case, appraisal.policy, appraisal.assessment
    contract_rate = appraisal.contract_rate
    waive_ok = assessment.may_waive
    plan = waterfall.run(assessment, policy, contract_rate, case.as_of, waive_allowed=waive_ok)
    candidates = [("plan", "hardship_plan", plan)]
    if case.request.hardship.temporary and policy.waterfall.grace_months_max:
        grace = waterfall.grace_plan(
            assessment, policy, contract_rate, case.as_of, waive=plan.shape.waive
        )
        candidates.append(("grace", "grace_period", grace))
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
    if kind != "adjusted_plan" and plan.payment > assessment.installment:
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
    npv_ok = npv >= appraisal.baseline
    reasons.append(npv_reason(npv, appraisal.baseline))
    reached = hardship_payment <= assessment.target_payment
    approval, why = route_approval(
        concessions, appraisal.policy, assessment, npv_ok=npv_ok, reached=reached
    )
    if approval is None:
        return why
    reasons.append(why)
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


# -- a settlement and a new due date ---------------------------------------------------------


def settlement_offer(appraisal: Appraisal) -> Offer | Reason | None:
    """A settlement for the lump sum the customer has (None without one), or why it cannot be."""
    case, policy, assessment = appraisal.case, appraisal.policy, appraisal.assessment
    baseline = appraisal.baseline
    available = case.finances.lump_sum_available
    if available <= 0:
        return None
    debt = assessment.debt.total
    if available >= debt:  # the customer can repay in full: nothing to forgive
        return Reason("SETTLEMENT_CAN_PAY_IN_FULL", {"available": money(available)})
    if not assessment.shows_hardship:
        return Reason(
            "SETTLEMENT_NEEDS_HARDSHIP",
            {
                "disposable": money(assessment.disposable),
                "installment": money(assessment.installment),
            },
        )
    least = max(apply_rate(debt, policy.settlement.min_share_of_debt), round(baseline))
    most = apply_rate(debt, policy.settlement.max_share_of_debt)
    if available < least:
        return Reason(
            "SETTLEMENT_NOT_AFFORDABLE", {"available": money(available), "least": money(least)}
        )
    amount = min(available, most)
    share = Decimal(amount) / debt
    npv = appraisal.valuer.settlement(amount, baseline)
    concessions = Concessions(settlement_share=share, forgiven=debt - amount)
    approval, why = route_approval(
        concessions, policy, assessment, npv_ok=npv >= baseline, reached=True
    )
    if approval is None:
        return why
    reasons = (
        Reason(
            "SETTLEMENT_OFFER",
            {"amount": money(amount), "share": format_rate(share, 0), "debt": money(debt)},
        ),
        npv_reason(npv, baseline),
        why,
    )
    installation = agreement.settlement(
        assessment.debt, amount, case.as_of, policy.agreements.settlement_pay_within_days
    )
    return Offer(
        id="settlement",
        type="settlement",
        monthly_payment=0,
        term_months=0,
        apr=Decimal(0),
        total_cost=0,
        npv=round(npv),
        concessions=concessions,
        approval=approval,
        checks=(),
        schedule=installation.schedule,
        due_at_signing=amount,
        reasons=reasons,
        installation=installation,
    )


def due_date_offer(appraisal: Appraisal) -> Offer | Reason:
    """The remaining installments moved to the day of the month the customer asked for — for a loan
    that is up to date (moving the dates of an overdue loan would re-spread its arrears: that is a
    restructuring, which only a plan may do)."""
    case, assessment = appraisal.case, appraisal.assessment
    day = case.request.preferred_due_day
    assert day is not None
    if assessment.days_past_due > 0:
        return Reason("DUE_DATE_NEEDS_CURRENT", {"days": str(assessment.days_past_due)})
    first_due = _next_day_of_month(case.as_of, day)
    months = max(1, assessment.remaining_months)
    terms = replace(
        appraisal.lawful.loan.terms,
        months=months,
        start_date=case.as_of,
        first_due_date=first_due,
        principal_grace_periods=0,
        level_amount=None,
    )
    if terms.method is RepaymentMethod.BULLET:
        terms = replace(terms, first_due_date=add_months(first_due, months - 1))
    installation = agreement.rescheduled(assessment.debt, terms)
    rows = installation.schedule.installments
    first = rows[0].payment + installation.carried
    payment = rows[1].payment if len(rows) > 2 else rows[-1].payment  # the first has its own days
    said = {
        "day": str(day),
        "first": money(first),
        "payment": money(payment),
        "installment": money(assessment.installment),
    }
    return Offer(
        id="due_date",
        type="due_date_change",
        monthly_payment=payment,
        term_months=months,
        apr=appraisal.contract_rate,
        total_cost=0,
        npv=round(appraisal.baseline),
        concessions=Concessions(),
        approval="automatic",
        checks=(),
        schedule=installation.schedule,
        due_at_signing=installation.carried,
        reasons=(Reason("DUE_DATE_CHANGE", said), Reason("APPROVAL_AUTOMATIC")),
        installation=installation,
    )


def _next_day_of_month(after: date, day: int) -> date:
    """The first date after ``after`` (by at least a week) that falls on ``day`` of its month."""
    candidate = after.replace(day=day)
    while candidate < after + timedelta(days=7):
        candidate = add_months(candidate, 1)
    return candidate
