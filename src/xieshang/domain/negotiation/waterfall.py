"""The hardship waterfall: HAMP's standard modification and the GSE Flex Modification, adapted.

Steps run in order, each only while the plan's payment is still above the affordable target:
conditional waiver of penalty, compound interest and fees; capitalising overdue interest; extending the
term (to the cap); cutting the rate in steps (to the floor; to 0 — 停息 — only where policy allows);
forbearing principal into an interest-free balloon (to the cap). Each step lowers or keeps the
payment, and the step that stops short says which constraint bound it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import TypeAlias

from xieshang.domain.allocation import Component
from xieshang.domain.money import Fen
from xieshang.domain.negotiation.assess import Assessment
from xieshang.domain.negotiation.policy import Policy
from xieshang.domain.negotiation.reasons import Reason, money
from xieshang.domain.rates import format_rate
from xieshang.domain.restructure import (
    Debt,
    Restructuring,
    restructure,
    restructured_interest,
    restructured_payments,
)
from xieshang.domain.schedule import (
    MAX_MONTHS,
    LoanTerms,
    RepaymentMethod,
    equal_installment,
    level_amount,
)
from xieshang.domain.search import smallest_satisfying as smallest_satisfying  # importable here too

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

    def turned(
        self, *, months: int | None = None, rate: Decimal | None = None, forbear: Fen | None = None
    ) -> PlanShape:
        """The shape with a knob turned, as the searches probe it (``dataclasses.replace`` would
        look its fields up on every probe)."""
        return PlanShape(
            self.months if months is None else months,
            self.rate if rate is None else rate,
            self.waive,
            self.capitalise,
            self.forbear if forbear is None else forbear,
            self.grace,
        )


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


Taken: TypeAlias = tuple[PlanShape, Step]
"""The shape after a step, and the step as the plan records it."""


def regular_payment(result: Restructuring, grace: int) -> Fen:
    rows = result.schedule.installments
    return rows[_regular_index(len(rows), grace)].payment


def _regular_index(count: int, grace: int) -> int:
    """Which of ``count`` installments pays a plan's regular payment: the first after the grace,
    never the last (it carries any balloon) unless it is the only one."""
    index = min(grace, count - 1)
    return index if count == 1 or index < count - 1 else index - 1


def payment_of(debt: Debt, shape: PlanShape, start: date) -> Fen:
    """The regular payment of :func:`build`'s plan, exactly, from its payments alone (no
    installments built); the same errors."""
    capitalise, waive = _treatment(shape)
    terms = _terms(shape, start, 1)
    payments = restructured_payments(
        debt, terms, capitalise=capitalise, waive=waive, forbear=shape.forbear
    )
    return payments[_regular_index(len(payments), shape.grace)]


def level_payment_of(debt: Debt, shape: PlanShape, start: date) -> Fen:
    """The regular payment a shape gives, without building its schedule: the level installment on
    the amortised principal (the searches below call this many times; the final plan is built)."""
    amortised = debt.principal + (debt.interest if shape.capitalise else 0) - shape.forbear
    if shape.months - shape.grace <= 1 or amortised <= 0:
        return regular_payment(build(debt, shape, start), shape.grace)
    if 0 <= shape.rate <= 1 and shape.months <= MAX_MONTHS and shape.grace >= 0:
        # Terms that LoanTerms would accept: their level amount without building them.
        return equal_installment(amortised, shape.rate, shape.months - shape.grace)
    return level_amount(_terms(shape, start, amortised))  # LoanTerms says what is wrong


def build(debt: Debt, shape: PlanShape, start: date) -> Restructuring:
    """The restructuring a plan shape describes: level installments from ``start``, monthly."""
    capitalise, waive = _treatment(shape)
    terms = _terms(shape, start, 1)  # restructure ignores this principal and computes its own
    return restructure(debt, terms, capitalise=capitalise, waive=waive, forbear=shape.forbear)


def interest_of(debt: Debt, shape: PlanShape, start: date) -> Fen:
    """The total interest of :func:`build`'s schedule, without building it."""
    capitalise, waive = _treatment(shape)
    terms = _terms(shape, start, 1)
    return restructured_interest(
        debt, terms, capitalise=capitalise, waive=waive, forbear=shape.forbear
    )


def _treatment(shape: PlanShape) -> tuple[frozenset[Component], frozenset[Component]]:
    """The parts of the debt a shape capitalises and those it waives."""
    waive = WAIVABLE if shape.waive else frozenset()
    capitalise = frozenset({Component.INTEREST}) if shape.capitalise else frozenset()
    # Fees are never capitalised (no interest on fees): unless waived, they are due at signing.
    return capitalise, waive - capitalise


def _terms(shape: PlanShape, start: date, principal: Fen) -> LoanTerms:
    """A plan's terms: level installments monthly from ``start``, after any interest-only grace."""
    return LoanTerms(
        principal=principal,
        annual_rate=shape.rate,
        months=shape.months,
        start_date=start,
        method=RepaymentMethod.EQUAL_INSTALLMENT,
        principal_grace_periods=shape.grace,
    )


def run(
    assessment: Assessment,
    policy: Policy,
    contract_rate: Decimal,
    start: date,
    *,
    waive_allowed: bool,
) -> Plan:
    """The hardship plan: each of :data:`STEPS` in turn from the contract's rate over the remaining
    term (within the cap), then whether the final payment reaches the affordable target."""
    months = min(assessment.remaining_months, policy.regulatory.max_plan_months)
    shape = PlanShape(
        months=months,
        rate=contract_rate,
        waive=False,
        capitalise=policy.waterfall.capitalise_arrears,
    )
    search = _Search(assessment, policy, start, waive_allowed)
    steps: list[Step] = []
    for step in STEPS:
        taken = step(search, shape)
        if taken is not None:
            shape, done = taken
            steps.append(done)
    final, target = search.payment(shape), assessment.target_payment
    code = "TARGET_REACHED" if final <= target else "TARGET_NOT_REACHED"
    reason = Reason(code, {"payment": money(final), "target": money(target)})
    return Plan(shape, build(assessment.debt, shape, start), tuple(steps), (reason,))


@dataclass(frozen=True)
class _Search:
    """What every step of one waterfall works with: the case's assessment and debt, the policy, the
    plan's start, and whether a waiver may be offered automatically."""

    assessment: Assessment
    policy: Policy
    start: date
    waive_allowed: bool
    priced: dict[PlanShape, Fen] = field(default_factory=dict, compare=False, repr=False)
    """The payment of each shape already priced (the steps ask for some more than once)."""

    def payment(self, shape: PlanShape) -> Fen:
        payment = self.priced.get(shape)
        if payment is None:
            payment = self.priced[shape] = level_payment_of(self.assessment.debt, shape, self.start)
        return payment

    def above(self, shape: PlanShape) -> bool:
        """The shape's payment is still above the affordable target."""
        return self.payment(shape) > self.assessment.target_payment

    def taken(self, name: str, shape: PlanShape, done: Reason, bound: Reason) -> Taken:
        """The step that turned the plan into ``shape``; ``bound`` names the constraint that stopped
        it short when the payment is still above the target."""
        payment = self.payment(shape)
        why = (done, bound) if payment > self.assessment.target_payment else (done,)
        return shape, Step(name, payment, why)


def _waive(search: _Search, shape: PlanShape) -> Taken | None:
    """Waive penalty, compound interest and fees, on condition the plan is kept."""
    debt = search.assessment.debt
    waivable = sum(debt.part(c) for c in WAIVABLE)
    allowed = search.policy.waterfall.waive_penalty_and_fees and search.waive_allowed
    if not (allowed and waivable and search.above(shape)):
        return None
    shape = replace(shape, waive=True)
    why = (Reason("STEP_WAIVE", {"amount": money(waivable)}),)
    return shape, Step("waive", search.payment(shape), why)


def _capitalise(search: _Search, shape: PlanShape) -> Taken | None:
    """Capitalise overdue interest (the plan's shape does from the start, where policy says so)."""
    interest = search.assessment.debt.interest
    if not (shape.capitalise and interest):
        return None
    why = (Reason("STEP_CAPITALISE", {"amount": money(interest)}),)
    return shape, Step("capitalise", search.payment(shape), why)


def _extend(search: _Search, shape: PlanShape) -> Taken | None:
    """Extend the term by the fewest months that reach the target, to the cap."""
    w, caps = search.policy.waterfall, search.policy.regulatory
    longest = min(caps.max_plan_months, search.assessment.remaining_months + w.extension_months_max)
    if not (search.above(shape) and longest > shape.months):
        return None
    fewest = smallest_satisfying(
        shape.months + 1, longest, lambda m: not search.above(shape.turned(months=m))
    )
    done = Reason("STEP_EXTEND", {"months": str(fewest)})
    bound = Reason("BIND_TERM_CAP", {"cap": str(longest)})
    return search.taken("extend", replace(shape, months=fewest), done, bound)


def _cut_rate(search: _Search, shape: PlanShape) -> Taken | None:
    """Cut the rate in the policy's steps, to the floor (to 0 — 停息 — only where policy allows)."""
    w = search.policy.waterfall
    floor = Decimal(0) if w.allow_interest_suspension else w.rate_floor
    if not (search.above(shape) and shape.rate > floor):
        return None
    rates = _rate_ladder(shape.rate, w.rate_step, floor)
    chosen = rates[
        smallest_satisfying(
            0, len(rates) - 1, lambda i: not search.above(shape.turned(rate=rates[i]))
        )
    ]
    done = Reason("STEP_RATE", {"old_rate": format_rate(shape.rate), "rate": format_rate(chosen)})
    bound = Reason("BIND_RATE_FLOOR", {"floor": format_rate(floor)})
    return search.taken("rate", replace(shape, rate=chosen), done, bound)


def _forbear(search: _Search, shape: PlanShape) -> Taken | None:
    """Forbear the least principal that reaches the target into an interest-free balloon, to the
    cap."""
    w, debt = search.policy.waterfall, search.assessment.debt
    base = debt.principal + (debt.interest if shape.capitalise else 0)
    numerator, denominator = w.forbearance_max_share.as_integer_ratio()
    most = base * numerator // denominator  # rounded down: never a fen over the cap
    if not (search.above(shape) and most > 0):
        return None
    amount = smallest_satisfying(1, most, lambda f: not search.above(shape.turned(forbear=f)))
    share = format_rate(Decimal(amount) / base, 1)
    done = Reason("STEP_FORBEAR", {"amount": money(amount), "share": share})
    bound = Reason("BIND_FORBEARANCE_CAP", {"share": format_rate(w.forbearance_max_share, 0)})
    return search.taken("forbear", replace(shape, forbear=amount), done, bound)


STEPS: tuple[Callable[[_Search, PlanShape], Taken | None], ...] = (
    _waive,
    _capitalise,
    _extend,
    _cut_rate,
    _forbear,
)
"""The waterfall's steps in order; each returns the shape it leaves and its step, or None when it
does not run (the payment already reaches the target, or the step has nothing to give)."""


def grace_plan(
    assessment: Assessment,
    policy: Policy,
    contract_rate: Decimal,
    start: date,
    *,
    waive: bool,
    months_of_grace: int | None = None,
) -> Plan:
    """For a temporary hardship: interest only for a few months (the policy's grace, or
    ``months_of_grace``), then the rest over the remaining term extended by the grace months — and
    further, within the cap, until the payment after the grace is no more than the contract's
    installment."""
    w, caps = policy.waterfall, policy.regulatory
    wanted = w.grace_months_max if months_of_grace is None else months_of_grace
    grace = min(wanted, caps.max_plan_months - 1)
    months = min(caps.max_plan_months, assessment.remaining_months + grace)
    grace = min(grace, months - 1)
    shape = PlanShape(
        months=months, rate=contract_rate, waive=waive, capitalise=w.capitalise_arrears, grace=grace
    )

    def within(m: int) -> bool:
        return level_payment_of(assessment.debt, shape.turned(months=m), start) <= (
            assessment.installment
        )

    if months < caps.max_plan_months and not within(months):
        shape = replace(shape, months=smallest_satisfying(months + 1, caps.max_plan_months, within))
        months = shape.months
    result = build(assessment.debt, shape, start)
    first = result.schedule.installments[0].payment
    why = (
        Reason("STEP_GRACE", {"months": str(grace), "payment": money(first)}),
        Reason("STEP_EXTEND", {"months": str(months)}),
    )
    step = Step("grace", first, why)
    after = regular_payment(result, grace)
    then = Reason("STEP_AFTER_GRACE", {"payment": money(after), "months": str(months - grace)})
    return Plan(shape, result, (step,), (then,))


def _rate_ladder(rate: Decimal, step: Decimal, floor: Decimal) -> list[Decimal]:
    ladder, current = [], rate
    while current - step > floor:
        current -= step
        ladder.append(current)
    ladder.append(floor)
    return ladder
