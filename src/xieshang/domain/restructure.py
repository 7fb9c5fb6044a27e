"""Restructuring (重组) and early repayment (提前还款): outstanding debt + new terms → a new schedule.

Debt is conserved to the fen: every part of the old debt ends up in the new schedule's principal
(capitalised), set aside as an interest-free balloon (principal forbearance), waived, or due at signing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date

from xieshang.domain.allocation import Component
from xieshang.domain.calendar import months_between
from xieshang.domain.errors import InvalidInput, ScheduleError
from xieshang.domain.ledger_state import LedgerState
from xieshang.domain.money import Fen
from xieshang.domain.schedule import (
    Installment,
    LoanTerms,
    RepaymentMethod,
    Schedule,
    build_schedule,
    level_amount,
    schedule_interest,
    schedule_payments,
)
from xieshang.domain.search import smallest_satisfying

ARREARS = (Component.INTEREST, Component.PENALTY, Component.COMPOUND, Component.FEE)
_COMPONENTS = tuple(Component)
_FIELD = {c: c.value for c in Component}
"""Each component's field of :class:`Debt` (its value, looked up once: ``Enum.value`` is slow)."""
_PENALTY, _COMPOUND, _FEE, _INTEREST, _PRINCIPAL = (
    Component.PENALTY,
    Component.COMPOUND,
    Component.FEE,
    Component.INTEREST,
    Component.PRINCIPAL,
)


@dataclass(frozen=True, slots=True)
class Debt:
    """A snapshot of what a customer owes, by component."""

    principal: Fen
    interest: Fen = 0
    penalty: Fen = 0
    compound: Fen = 0
    fee: Fen = 0

    def __post_init__(self) -> None:
        for component in _COMPONENTS:
            if self.part(component) < 0:
                raise InvalidInput(f"debt.{component.value}", "cannot be negative")

    def part(self, component: Component) -> Fen:
        return int(getattr(self, _FIELD[component]))

    @property
    def total(self) -> Fen:
        return self.principal + self.interest + self.penalty + self.compound + self.fee

    @classmethod
    def of(cls, state: LedgerState) -> Debt:
        """Everything owed as of the state's date: all principal, interest due and earned to date."""
        principal = fee = interest = penalty = compound = 0
        for s in state.installments:  # one pass, the components read once (Enum access is slow)
            charged, paid = s.charged, s.paid
            principal += charged[_PRINCIPAL] - paid[_PRINCIPAL]
            fee += charged[_FEE] - paid[_FEE]
            if s.installment.due_date <= state.as_of:
                interest += charged[_INTEREST] - paid[_INTEREST]
                penalty += charged[_PENALTY] - paid[_PENALTY]
                compound += charged[_COMPOUND] - paid[_COMPOUND]
        return cls(principal, interest + state.accrued_interest, penalty, compound, fee)


@dataclass(frozen=True, slots=True)
class Restructuring:
    debt: Debt
    terms: LoanTerms
    schedule: Schedule
    capitalised: Fen
    waived: dict[Component, Fen]
    forborne: Fen
    due_at_signing: Fen

    @property
    def conserved(self) -> bool:
        accounted = self.schedule.principal + sum(self.waived.values()) + self.due_at_signing
        return accounted == self.debt.total


def restructure(
    debt: Debt,
    terms: LoanTerms,
    *,
    capitalise: frozenset[Component] = frozenset(ARREARS),
    waive: frozenset[Component] = frozenset(),
    forbear: Fen = 0,
) -> Restructuring:
    """A new schedule for ``debt`` on ``terms`` (whose ``principal`` is ignored and recomputed).

    Arrears in ``capitalise`` join the principal; those in ``waive`` are forgiven; any other arrears
    are due at signing. ``forbear`` fen of principal is set aside, interest-free, to be repaid with
    the last installment (the HAMP / GSE Flex principal forbearance step).
    """
    capitalised, waived, due_at_signing, amortised = _split(debt, capitalise, waive, forbear)
    terms = replace(terms, principal=amortised)
    schedule = with_balloon(build_schedule(terms), forbear)
    return Restructuring(debt, terms, schedule, capitalised, waived, forbear, due_at_signing)


def restructured_interest(
    debt: Debt,
    terms: LoanTerms,
    *,
    capitalise: frozenset[Component] = frozenset(ARREARS),
    waive: frozenset[Component] = frozenset(),
    forbear: Fen = 0,
) -> Fen:
    """The total interest of :func:`restructure`'s schedule for the same arguments (a balloon
    carries none), without building it; the same errors."""
    amortised = _split(debt, capitalise, waive, forbear)[3]
    return schedule_interest(replace(terms, principal=amortised))


def restructured_payments(
    debt: Debt,
    terms: LoanTerms,
    *,
    capitalise: frozenset[Component] = frozenset(ARREARS),
    waive: frozenset[Component] = frozenset(),
    forbear: Fen = 0,
) -> list[Fen]:
    """Each installment's payment in :func:`restructure`'s schedule for the same arguments (the
    balloon with the last), without building it; the same errors."""
    amortised = _split(debt, capitalise, waive, forbear)[3]
    payments = schedule_payments(replace(terms, principal=amortised))
    payments[-1] += forbear
    return payments


def _split(
    debt: Debt, capitalise: frozenset[Component], waive: frozenset[Component], forbear: Fen
) -> tuple[Fen, dict[Component, Fen], Fen, Fen]:
    """The debt split into what is capitalised, waived, due at signing and amortised."""
    overlap = capitalise & waive
    if overlap:
        raise InvalidInput(
            "waive", f"{', '.join(sorted(overlap))} cannot be both capitalised and waived"
        )
    if Component.PRINCIPAL in capitalise or Component.PRINCIPAL in waive:
        raise InvalidInput("capitalise", "principal is always carried into the new schedule")
    capitalised = sum(debt.part(c) for c in ARREARS if c in capitalise)
    waived = {c: debt.part(c) for c in ARREARS if c in waive}
    due_at_signing = sum(debt.part(c) for c in ARREARS if c not in capitalise and c not in waive)
    amortised = debt.principal + capitalised - forbear
    if forbear < 0 or amortised <= 0:
        raise InvalidInput("forbear", "must be between zero and the new principal")
    return capitalised, waived, due_at_signing, amortised


def with_balloon(schedule: Schedule, balloon: Fen) -> Schedule:
    """``schedule`` plus an interest-free ``balloon`` of principal payable with the last installment."""
    if balloon == 0:
        return schedule
    rows = [replace(i, balance=i.balance + balloon) for i in schedule.installments]
    last: Installment = rows[-1]
    rows[-1] = replace(last, principal=last.principal + balloon, balance=0)
    return Schedule(schedule.principal + balloon, schedule.start_date, tuple(rows))


class PrepaymentMode(enum.StrEnum):
    """After a partial early repayment, keep the installment (fewer months) or keep the term."""

    SHORTER_TERM = "shorter_term"
    LOWER_INSTALLMENT = "lower_installment"


@dataclass(frozen=True, slots=True)
class EarlyRepayment:
    as_of: date
    amount: Fen
    settles_arrears: Fen
    principal_repaid: Fen
    schedule: Schedule | None
    """The schedule for the principal that remains; ``None`` when the loan is paid off."""


def early_repayment(
    state: LedgerState,
    amount: Fen | None = None,
    mode: PrepaymentMode = PrepaymentMode.LOWER_INSTALLMENT,
) -> EarlyRepayment:
    """Repay early on ``state.as_of``: everything (``amount=None``) or ``amount`` fen.

    The amount first settles everything owed today — overdue principal included — with the interest
    earned in the current period and any fees; the rest repays principal not yet due. The remaining
    principal gets a new schedule from today that keeps the payment day and what is left of any
    interest-only grace. ``lower_installment`` keeps the number of installments; ``shorter_term``
    keeps the installment and drops months. Neither ever raises the customer's installment.
    """
    not_yet_due = [s for s in state.installments if s.installment.due_date > state.as_of]
    future_principal = sum(s.owed(Component.PRINCIPAL) for s in not_yet_due)
    arrears = state.payoff_amount - future_principal
    if amount is None:
        amount = state.payoff_amount
    if amount < arrears:
        raise InvalidInput(
            "amount", f"must at least cover the {arrears} fen due today with interest to date"
        )
    principal_repaid = min(amount - arrears, future_principal)
    remaining = future_principal - principal_repaid
    if remaining == 0:
        return EarlyRepayment(
            state.as_of, arrears + principal_repaid, arrears, principal_repaid, None
        )
    schedule = _reschedule(state, [s.installment for s in not_yet_due], remaining, mode)
    return EarlyRepayment(
        state.as_of, arrears + principal_repaid, arrears, principal_repaid, schedule
    )


def _reschedule(
    state: LedgerState, future: list[Installment], remaining: Fen, mode: PrepaymentMode
) -> Schedule:
    old = state.loan.terms
    grace_left = sum(1 for i in future if i.number <= old.principal_grace_periods)
    if old.method is RepaymentMethod.BULLET:
        maturity = future[-1].end_date
        months = max(1, round(months_between(state.as_of, maturity)))
        first_due: date | None = maturity
    else:
        months, first_due = len(future), future[0].end_date
    terms = replace(
        old,
        principal=remaining,
        months=months,
        start_date=state.as_of,
        first_due_date=first_due,
        principal_grace_periods=min(grace_left, months - 1),
        level_amount=None,
    )
    if old.method in (RepaymentMethod.BULLET, RepaymentMethod.INTEREST_FIRST):
        return build_schedule(terms)  # nothing is amortised before maturity: no level to keep
    kept = _level_in_force(state.loan.schedule, old)
    if mode is PrepaymentMode.SHORTER_TERM:
        terms = replace(terms, months=_fewest_months(terms, kept))
    if level_amount(terms) > kept:  # rounding must never raise what the customer pays
        terms = replace(terms, level_amount=kept)
    while True:
        try:
            return build_schedule(terms)
        except ScheduleError:  # a few fen left cannot fill every month: use fewer months
            if terms.months == 1:
                raise
            months = min(terms.months - 1, terms.principal)
            terms = replace(
                terms, months=months, principal_grace_periods=min(grace_left, months - 1)
            )


def _level_in_force(schedule: Schedule, terms: LoanTerms) -> Fen:
    """The level amount the customer actually pays: read off a regular installment of the schedule
    in force (the computed level may have been rounded down to fit, or fixed by a restructure)."""
    regular = [i for i in schedule.installments[1:-1] if i.number > terms.principal_grace_periods]
    if not regular:
        return level_amount(terms)
    row = regular[0]
    return row.principal if terms.method is RepaymentMethod.EQUAL_PRINCIPAL else row.payment


def _fewest_months(terms: LoanTerms, kept: Fen) -> int:
    """The fewest months (after any grace) whose level amount is not above ``kept``."""
    return smallest_satisfying(
        terms.principal_grace_periods + 1,
        terms.months,
        lambda months: level_amount(replace(terms, months=months)) <= kept,
    )
