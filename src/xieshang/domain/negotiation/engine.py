"""Evaluate a negotiation case: assessment, offers with their NPV test, regulatory checks, approval
level and reasons, and the answer to the customer's own proposal."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from xieshang.domain import agreement
from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.calendar import add_months
from xieshang.domain.ledger_state import LedgerState
from xieshang.domain.money import Fen, apply_rate
from xieshang.domain.negotiation import waterfall
from xieshang.domain.negotiation.assess import Assessment, assess
from xieshang.domain.negotiation.case import Case, Scenario
from xieshang.domain.negotiation.policy import Authority, Policy
from xieshang.domain.negotiation.reasons import Reason, money
from xieshang.domain.negotiation.valuation import Valuer
from xieshang.domain.rates import apr, format_rate
from xieshang.domain.restructure import Restructuring
from xieshang.domain.schedule import RepaymentMethod, Schedule
from xieshang.errors import InvalidInput

LEVELS = ("automatic", "agent", "supervisor")


@dataclass(frozen=True)
class Concessions:
    waived: Fen = 0
    extension_months: int = 0
    rate_reduction: Decimal = Decimal(0)
    forbearance_share: Decimal = Decimal(0)
    interest_suspended: bool = False
    settlement_share: Decimal | None = None
    forgiven: Fen = 0
    forborne: Fen = 0
    """Principal set aside interest-free to the last installment."""
    interest_forgone: Fen = 0
    """What the rate cut is worth to the customer: the plan's interest at the contract rate less
    its interest at the plan rate."""

    def exceeds(self, limit: Authority) -> list[tuple[str, str]]:
        """What goes beyond ``limit``, each said in Chinese and in English."""
        over = []
        if self.waived > limit.max_waiver:
            amounts = f"{money(self.waived)} > {money(limit.max_waiver)}"
            over.append((f"减免 {amounts}", f"waiver {amounts}"))
        if self.extension_months > limit.max_extension_months:
            months = f"{self.extension_months} > {limit.max_extension_months}"
            over.append((f"延期 {months} 个月", f"extension {months} months"))
        if self.rate_reduction > limit.max_rate_reduction:
            cut = f"{format_rate(self.rate_reduction)} > {format_rate(limit.max_rate_reduction)}"
            over.append((f"降息 {cut}", f"rate cut {cut}"))
        if self.forbearance_share > limit.max_forbearance_share:
            share = (
                f"{format_rate(self.forbearance_share)} > "
                f"{format_rate(limit.max_forbearance_share)}"
            )
            over.append((f"本金缓收 {share}", f"forbearance {share}"))
        if self.interest_suspended and not limit.interest_suspension:
            over.append(("停息", "interest suspension (停息)"))
        if self.settlement_share is not None and self.settlement_share < limit.settlement_min_share:
            share = (
                f"{format_rate(self.settlement_share)} < {format_rate(limit.settlement_min_share)}"
            )
            over.append((f"结清比例 {share}", f"settlement at {share}"))
        return over


def _beyond(code: str, over: list[tuple[str, str]]) -> Reason:
    """A reason naming what goes beyond an authority, in both languages."""
    return Reason(
        code,
        {"what": "; ".join(en for _, en in over), "what_zh": "；".join(zh for zh, _ in over)},
    )


@dataclass(frozen=True)
class Check:
    code: str
    passed: bool
    params: dict[str, str]


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
class CounterOffer:
    accepted: bool
    monthly_payment: Fen
    months: int
    schedule: Schedule | None
    reasons: tuple[Reason, ...]


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
    state = ledger_as_of(case.loan, case.as_of)
    assessment = assess(case, state, policy)
    valuer = Valuer(policy.valuation)
    baseline = _baseline(state, assessment, valuer)
    reasons: list[Reason] = [*assessment.reasons, *assessment.flags]
    offers: list[Offer] = []
    contract_rate = case.loan.terms.annual_rate

    if assessment.installment <= assessment.target_payment and assessment.days_past_due == 0:
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
        waive_ok = assessment.may_waive_automatically
        plan = waterfall.run(assessment, policy, contract_rate, case.as_of, waive_allowed=waive_ok)
        candidates = [("plan", "hardship_plan", plan)]
        if case.request.hardship.temporary and policy.waterfall.grace_months_max:
            grace = waterfall.grace_plan(
                assessment, policy, contract_rate, case.as_of, waive=plan.shape.waive
            )
            candidates.append(("grace", "grace_period", grace))
        for offer_id, kind, candidate in candidates:
            offer = _plan_offer(
                offer_id,
                kind,
                candidate,
                assessment,
                policy,
                valuer,
                baseline,
                contract_rate,
                case.loan.rules.markup,
            )
            if isinstance(offer, Offer):
                offers.append(offer)
    settlement = _settlement_offer(case, assessment, policy, valuer, baseline)
    if isinstance(settlement, Offer):
        offers.append(settlement)
    elif settlement is not None:
        reasons.append(settlement)
    if case.request.preferred_due_day is not None:
        offers.append(_due_date_offer(case, assessment, baseline))
    counter = _counter(case, assessment, policy, contract_rate)
    return Evaluation(
        policy_version=policy.version,
        policy_digest=policy.digest,
        as_of=case.as_of,
        assessment=assessment,
        baseline_npv=round(baseline),
        offers=tuple(offers),
        counter_offer=counter,
        reasons=tuple(reasons),
    )


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


def _plan_offer(
    offer_id: str,
    kind: str,
    plan: waterfall.Plan,
    assessment: Assessment,
    policy: Policy,
    valuer: Valuer,
    baseline: float,
    contract_rate: Decimal,
    markup: Decimal,
) -> Offer | Reason:
    """The offer a plan makes, or the reason it cannot be made (a failed check, beyond authority)."""
    result = plan.restructuring
    schedule = result.schedule
    payment = plan.payment
    reduction = 1 - payment / assessment.installment if assessment.installment else 0.0
    reinstated = sum(result.waived.values())
    npv = valuer.plan(
        [i.payment for i in schedule.installments],
        [i.balance for i in schedule.installments],
        reduction,
        at_signing=result.due_at_signing,
        reinstated=reinstated,
    )
    concessions = Concessions(
        waived=reinstated,
        extension_months=max(0, plan.shape.months - assessment.remaining_months),
        rate_reduction=max(Decimal(0), contract_rate - plan.shape.rate),
        forbearance_share=Decimal(result.forborne) / schedule.principal
        if schedule.principal
        else Decimal(0),
        interest_suspended=plan.shape.rate == 0,
        forborne=result.forborne,
        interest_forgone=_interest_forgone(plan, assessment, contract_rate),
    )
    checks = _checks(schedule, result, policy, plan.shape.months, markup)
    reasons = [r for step in plan.steps for r in step.reasons] + list(plan.reasons)
    failed = [c.code for c in checks if not c.passed]
    if failed:  # an offer that fails a regulatory check is never produced
        return Reason("CHECK_FAILED", {"checks": ", ".join(failed)})
    npv_ok = npv >= baseline
    reasons.append(
        Reason(
            "NPV_ABOVE_BASELINE" if npv_ok else "NPV_BELOW_BASELINE",
            {"npv": money(round(npv)), "baseline": money(round(baseline))},
        )
    )
    hardship_payment = (
        plan.restructuring.schedule.installments[0].payment if plan.shape.grace else payment
    )
    reached = hardship_payment <= assessment.target_payment
    approval, why = _approval(concessions, policy, assessment, npv_ok=npv_ok, reached=reached)
    if approval is None:
        return why
    reasons.append(why)
    total_paid = sum(i.payment for i in schedule.installments) + result.due_at_signing
    return Offer(
        id=offer_id,
        type=kind,
        monthly_payment=payment,
        term_months=len(schedule.installments),
        apr=apr(schedule.cash_flows(), schedule.start_date),
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


def adjusted_offer(case: Case, policy: Policy, shape: waterfall.PlanShape) -> Offer | Reason:
    """A plan a person shaped, put through the same regulatory checks, NPV test and authority
    routing as the engine's own; the reason when it cannot be offered."""
    state = ledger_as_of(case.loan, case.as_of)
    assessment = assess(case, state, policy)
    valuer = Valuer(policy.valuation)
    baseline = _baseline(state, assessment, valuer)
    result = waterfall.build(assessment.debt, shape, case.as_of)
    why = Reason(
        "ADJUSTED_PLAN",
        {"months": str(shape.months), "rate": format_rate(shape.rate)},
    )
    plan = waterfall.Plan(shape, result, (), (why,))
    return _plan_offer(
        "adjusted",
        "adjusted_plan",
        plan,
        assessment,
        policy,
        valuer,
        baseline,
        case.loan.terms.annual_rate,
        case.loan.rules.markup,
    )


def _interest_forgone(plan: waterfall.Plan, assessment: Assessment, contract_rate: Decimal) -> Fen:
    if plan.shape.rate >= contract_rate:
        return 0
    at_contract = waterfall.build(
        assessment.debt,
        replace(plan.shape, rate=contract_rate),
        plan.restructuring.schedule.start_date,
    )
    return at_contract.schedule.total_interest - plan.restructuring.schedule.total_interest


def _checks(
    schedule: Schedule, result: Restructuring, policy: Policy, months: int, markup: Decimal
) -> tuple[Check, ...]:
    caps = policy.regulatory
    plan_apr = apr(schedule.cash_flows(), schedule.start_date)
    fees_capitalised = result.capitalised > result.debt.interest
    return (
        Check(
            "CHECK_APR",
            plan_apr <= caps.apr_cap,
            {"apr": format_rate(plan_apr), "cap": format_rate(caps.apr_cap)},
        ),
        Check(
            "CHECK_TERM",
            months <= caps.max_plan_months,
            {"months": str(months), "cap": str(caps.max_plan_months)},
        ),
        Check(
            "CHECK_NO_INTEREST_ON_FEES", caps.interest_on_fees_allowed or not fees_capitalised, {}
        ),
        # If the plan breaks, reinstated penalty runs at the contract markup, never above the maximum.
        Check(
            "CHECK_PENALTY_MARKUP",
            min(markup, caps.penalty_markup_max) <= caps.penalty_markup_max,
            {
                "markup": format_rate(min(markup, caps.penalty_markup_max), 0),
                "min": format_rate(caps.penalty_markup_min, 0),
                "max": format_rate(caps.penalty_markup_max, 0),
            },
        ),
    )


def _approval(
    concessions: Concessions, policy: Policy, assessment: Assessment, *, npv_ok: bool, reached: bool
) -> tuple[str | None, Reason]:
    levels = policy.authority
    for level, limit in zip(
        LEVELS, (levels.automatic, levels.agent, levels.supervisor), strict=True
    ):
        over = concessions.exceeds(limit)
        if over:
            continue
        if level == "automatic":
            if npv_ok and reached and assessment.may_be_automatic:
                return level, Reason("APPROVAL_AUTOMATIC")
            why = []
            if not npv_ok:
                why.append(("净现值", "NPV"))
            if not reached:
                why.append(("可负担性", "affordability"))
            why += [(flag.code, flag.code) for flag in assessment.flags]
            return "agent", _beyond("APPROVAL_AGENT", why)
        if level == "agent":
            return level, _beyond("APPROVAL_AGENT", concessions.exceeds(levels.automatic))
        return level, _beyond("APPROVAL_SUPERVISOR", concessions.exceeds(levels.agent))
    return None, _beyond("BEYOND_AUTHORITY", concessions.exceeds(levels.supervisor))


def _settlement_offer(
    case: Case, assessment: Assessment, policy: Policy, valuer: Valuer, baseline: float
) -> Offer | Reason | None:
    available = case.finances.lump_sum_available
    if available <= 0:
        return None
    debt = assessment.debt.total
    least = max(apply_rate(debt, policy.settlement.min_share_of_debt), round(baseline))
    most = apply_rate(debt, policy.settlement.max_share_of_debt)
    if available < least:
        return Reason(
            "SETTLEMENT_NOT_AFFORDABLE", {"available": money(available), "least": money(least)}
        )
    amount = min(available, most)
    share = Decimal(amount) / debt
    npv = valuer.settlement(amount, baseline)
    concessions = Concessions(settlement_share=share, forgiven=debt - amount)
    approval, why = _approval(concessions, policy, assessment, npv_ok=npv >= baseline, reached=True)
    if approval is None:
        return why
    reasons = (
        Reason(
            "SETTLEMENT_OFFER",
            {"amount": money(amount), "share": format_rate(share, 0), "debt": money(debt)},
        ),
        Reason(
            "NPV_ABOVE_BASELINE" if npv >= baseline else "NPV_BELOW_BASELINE",
            {"npv": money(round(npv)), "baseline": money(round(baseline))},
        ),
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


def _due_date_offer(case: Case, assessment: Assessment, baseline: float) -> Offer:
    day = case.request.preferred_due_day
    assert day is not None
    first = _next_day_of_month(case.as_of, day)
    months = max(1, assessment.remaining_months)
    terms = replace(
        case.loan.terms,
        months=months,
        start_date=case.as_of,
        first_due_date=first,
        principal_grace_periods=0,
        level_amount=None,
    )
    if terms.method is RepaymentMethod.BULLET:
        terms = replace(terms, first_due_date=add_months(first, months - 1))
    installation = agreement.rescheduled(assessment.debt, terms)
    return Offer(
        id="due_date",
        type="due_date_change",
        monthly_payment=assessment.installment,
        term_months=months,
        apr=case.loan.terms.annual_rate,
        total_cost=0,
        npv=round(baseline),
        concessions=Concessions(),
        approval="automatic",
        checks=(),
        schedule=installation.schedule,
        due_at_signing=installation.carried,
        reasons=(Reason("DUE_DATE_CHANGE", {"day": str(day)}), Reason("APPROVAL_AUTOMATIC")),
        installation=installation,
    )


def _next_day_of_month(after: date, day: int) -> date:
    """The first date after ``after`` (by at least a week) that falls on ``day`` of its month."""
    candidate = after.replace(day=day)
    while candidate < after + timedelta(days=7):
        candidate = add_months(candidate, 1)
    return candidate


def _counter(
    case: Case, assessment: Assessment, policy: Policy, contract_rate: Decimal
) -> CounterOffer | None:
    proposal = case.request.proposal
    if proposal is None:
        return None
    cap = policy.regulatory.max_plan_months
    shape = waterfall.PlanShape(
        months=assessment.remaining_months,
        rate=contract_rate,
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
        months = waterfall.smallest_satisfying(1, cap, lambda m: pay(m) <= wanted)
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
