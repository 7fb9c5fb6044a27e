"""The hardship waterfall: HAMP's standard modification and the GSE Flex Modification, adapted.

Steps run in order, each only while the plan's payment is still above the affordable target:
conditional waiver of penalty, compound interest and fees; capitalising overdue interest; extending the
term (to the cap); cutting the rate in steps (to the floor; to 0 — 停息 — only where policy allows);
forbearing principal into an interest-free balloon (to the cap). Each step lowers or keeps the
payment, and the step that stops short says which constraint bound it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from xieshang.domain.allocation import Component
from xieshang.domain.money import Fen, apply_rate
from xieshang.domain.negotiation.assess import Assessment
from xieshang.domain.negotiation.policy import Policy
from xieshang.domain.negotiation.reasons import Reason, money
from xieshang.domain.rates import format_rate
from xieshang.domain.restructure import Debt, Restructuring, restructure
from xieshang.domain.schedule import LoanTerms, RepaymentMethod, level_amount

WAIVABLE = frozenset({Component.PENALTY, Component.COMPOUND, Component.FEE})


@dataclass(frozen=True)
class PlanShape:
    """The knobs the waterfall turns."""

    months: int
    rate: Decimal
    waive: bool
    capitalise: bool
    forbear: Fen = 0
    grace: int = 0


@dataclass(frozen=True)
class Step:
    name: str
    payment: Fen
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Plan:
    shape: PlanShape
    restructuring: Restructuring
    steps: tuple[Step, ...]
    reasons: tuple[Reason, ...]

    @property
    def payment(self) -> Fen:
        return regular_payment(self.restructuring, self.shape.grace)


def regular_payment(result: Restructuring, grace: int) -> Fen:
    rows = result.schedule.installments
    index = min(grace, len(rows) - 1)
    return (
        rows[index].payment if len(rows) == 1 or index < len(rows) - 1 else rows[index - 1].payment
    )


def level_payment_of(debt: Debt, shape: PlanShape, start: date) -> Fen:
    """The regular payment a shape gives, without building its schedule: the level installment on
    the amortised principal (the searches below call this many times; the final plan is built)."""
    amortised = debt.principal + (debt.interest if shape.capitalise else 0) - shape.forbear
    if shape.months - shape.grace <= 1 or amortised <= 0:
        return regular_payment(build(debt, shape, start), shape.grace)
    terms = LoanTerms(
        principal=amortised,
        annual_rate=shape.rate,
        months=shape.months,
        start_date=start,
        method=RepaymentMethod.EQUAL_INSTALLMENT,
        principal_grace_periods=shape.grace,
    )
    return level_amount(terms)


def build(debt: Debt, shape: PlanShape, start: date) -> Restructuring:
    """The restructuring a plan shape describes: level installments from ``start``, monthly."""
    waive = WAIVABLE if shape.waive else frozenset()
    capitalise = frozenset({Component.INTEREST}) if shape.capitalise else frozenset()
    terms = LoanTerms(
        principal=1,
        annual_rate=shape.rate,
        months=shape.months,
        start_date=start,
        method=RepaymentMethod.EQUAL_INSTALLMENT,
        principal_grace_periods=shape.grace,
    )
    # Fees are never capitalised (no interest on fees): unless waived, they are due at signing.
    return restructure(
        debt, terms, capitalise=capitalise, waive=waive - capitalise, forbear=shape.forbear
    )


def run(
    assessment: Assessment,
    policy: Policy,
    contract_rate: Decimal,
    start: date,
    *,
    waive_allowed: bool,
) -> Plan:
    w, caps = policy.waterfall, policy.regulatory
    target = assessment.target_payment
    debt = assessment.debt
    months = min(assessment.remaining_months, caps.max_plan_months)
    shape = PlanShape(
        months=months, rate=contract_rate, waive=False, capitalise=w.capitalise_arrears
    )
    steps: list[Step] = []
    reasons: list[Reason] = []

    def payment(s: PlanShape) -> Fen:
        return level_payment_of(debt, s, start)

    def above(s: PlanShape) -> bool:
        return payment(s) > target

    waivable = sum(debt.part(c) for c in WAIVABLE)
    if w.waive_penalty_and_fees and waive_allowed and waivable and above(shape):
        shape = replace(shape, waive=True)
        steps.append(
            Step("waive", payment(shape), (Reason("STEP_WAIVE", {"amount": money(waivable)}),))
        )
    if shape.capitalise and debt.interest:
        steps.append(
            Step(
                "capitalise",
                payment(shape),
                (Reason("STEP_CAPITALISE", {"amount": money(debt.interest)}),),
            )
        )

    longest = min(caps.max_plan_months, assessment.remaining_months + w.extension_months_max)
    if above(shape) and longest > shape.months:
        fewest = smallest_satisfying(
            shape.months + 1, longest, lambda m: not above(replace(shape, months=m))
        )
        shape = replace(shape, months=fewest)
        why = [Reason("STEP_EXTEND", {"months": str(fewest)})]
        if above(shape):
            why.append(Reason("BIND_TERM_CAP", {"cap": str(longest)}))
        steps.append(Step("extend", payment(shape), tuple(why)))

    floor = Decimal(0) if w.allow_interest_suspension else w.rate_floor
    if above(shape) and shape.rate > floor:
        rates = _rate_ladder(shape.rate, w.rate_step, floor)
        chosen = rates[
            smallest_satisfying(
                0, len(rates) - 1, lambda i: not above(replace(shape, rate=rates[i]))
            )
        ]
        old = shape.rate
        shape = replace(shape, rate=chosen)
        why = [Reason("STEP_RATE", {"old_rate": format_rate(old), "rate": format_rate(chosen)})]
        if above(shape):
            why.append(Reason("BIND_RATE_FLOOR", {"floor": format_rate(floor)}))
        steps.append(Step("rate", payment(shape), tuple(why)))

    base = debt.principal + (debt.interest if shape.capitalise else 0)
    most = apply_rate(base, w.forbearance_max_share)
    if above(shape) and most > 0:
        amount = smallest_satisfying(1, most, lambda f: not above(replace(shape, forbear=f)))
        shape = replace(shape, forbear=amount)
        share = format_rate(Decimal(amount) / base, 1)
        why = [Reason("STEP_FORBEAR", {"amount": money(amount), "share": share})]
        if above(shape):
            why.append(
                Reason("BIND_FORBEARANCE_CAP", {"share": format_rate(w.forbearance_max_share, 0)})
            )
        steps.append(Step("forbear", payment(shape), tuple(why)))

    final = payment(shape)
    if final <= target:
        reasons.append(Reason("TARGET_REACHED", {"payment": money(final), "target": money(target)}))
    else:
        reasons.append(
            Reason("TARGET_NOT_REACHED", {"payment": money(final), "target": money(target)})
        )
    return Plan(shape, build(debt, shape, start), tuple(steps), tuple(reasons))


def grace_plan(
    assessment: Assessment, policy: Policy, contract_rate: Decimal, start: date, *, waive: bool
) -> Plan:
    """For a temporary hardship: interest only for a few months, then the rest over the remaining term
    extended by the grace months (within the cap)."""
    w, caps = policy.waterfall, policy.regulatory
    grace = min(w.grace_months_max, caps.max_plan_months - 1)
    months = min(caps.max_plan_months, assessment.remaining_months + grace)
    grace = min(grace, months - 1)
    shape = PlanShape(
        months=months, rate=contract_rate, waive=waive, capitalise=w.capitalise_arrears, grace=grace
    )
    result = build(assessment.debt, shape, start)
    first = result.schedule.installments[0].payment
    why = (
        Reason("STEP_GRACE", {"months": str(grace), "payment": money(first)}),
        Reason("STEP_EXTEND", {"months": str(months)}),
    )
    step = Step("grace", first, why)
    return Plan(shape, result, (step,), ())


def _rate_ladder(rate: Decimal, step: Decimal, floor: Decimal) -> list[Decimal]:
    ladder, current = [], rate
    while current - step > floor:
        current -= step
        ladder.append(current)
    ladder.append(floor)
    return ladder


def smallest_satisfying(low: int, high: int, good: Callable[[int], bool]) -> int:
    """The smallest value in [low, high] for which ``good`` holds, or ``high`` if none does
    (``good`` is monotone: once true, true for every larger value)."""
    while low < high:
        middle = (low + high) // 2
        if good(middle):
            high = middle
        else:
            low = middle + 1
    return low
