"""Restructuring (重组) and early repayment (提前还款): outstanding debt + new terms → a new schedule.

Debt is conserved to the fen: every part of the old debt ends up in the new schedule's principal
(capitalised), set aside as an interest-free balloon (principal forbearance), waived, or due at signing.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, replace
from datetime import date

from xieshang.domain.accrual import LedgerState
from xieshang.domain.allocation import Component
from xieshang.domain.calendar import add_months
from xieshang.domain.money import Fen
from xieshang.domain.schedule import (
    Installment,
    LoanTerms,
    RepaymentMethod,
    Schedule,
    build_schedule,
    level_payment,
)
from xieshang.errors import InvalidInput, ScheduleError

ARREARS = (Component.INTEREST, Component.PENALTY, Component.COMPOUND, Component.FEE)


@dataclass(frozen=True, slots=True)
class Debt:
    """A snapshot of what a customer owes, by component."""

    principal: Fen
    interest: Fen = 0
    penalty: Fen = 0
    compound: Fen = 0
    fee: Fen = 0

    def __post_init__(self) -> None:
        for component in Component:
            if self.part(component) < 0:
                raise InvalidInput(f"debt.{component.value}", "cannot be negative")

    def part(self, component: Component) -> Fen:
        return int(getattr(self, component.value))

    @property
    def total(self) -> Fen:
        return sum(self.part(c) for c in Component)

    @classmethod
    def of(cls, state: LedgerState) -> Debt:
        """Everything owed as of the state's date: all principal, interest due and earned to date."""
        return cls(
            principal=state.outstanding_principal,
            interest=state.owed_now(Component.INTEREST) + state.accrued_interest,
            penalty=state.owed_now(Component.PENALTY),
            compound=state.owed_now(Component.COMPOUND),
            fee=sum(s.owed(Component.FEE) for s in state.installments),
        )


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
    schedule = with_balloon(build_schedule(replace(terms, principal=amortised)), forbear)
    return Restructuring(
        debt,
        replace(terms, principal=amortised),
        schedule,
        capitalised,
        waived,
        forbear,
        due_at_signing,
    )


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

    The amount first settles all that is due today and the interest earned to date; the rest repays
    principal, and the remaining principal gets a new schedule from today that keeps the payment day.
    """
    debt = Debt.of(state)
    arrears = debt.total - debt.principal - state.credit
    if amount is None:
        amount = debt.total - state.credit
    if amount < arrears:
        raise InvalidInput(
            "amount", f"must at least cover the {arrears} fen due today and interest to date"
        )
    principal_repaid = min(amount - arrears, debt.principal)
    remaining = debt.principal - principal_repaid
    if remaining == 0:
        return EarlyRepayment(
            state.as_of, arrears + principal_repaid, arrears, principal_repaid, None
        )
    terms = state.loan.terms
    future = [s.installment for s in state.installments if s.installment.due_date > state.as_of]
    if not future:
        raise ScheduleError("amount", "the loan has no installment left to re-schedule")
    months = len(future)
    if mode is PrepaymentMode.SHORTER_TERM:
        months = _months_for_same_payment(terms, remaining, future[0].payment, months)
    new_terms = replace(
        terms,
        principal=remaining,
        months=months,
        start_date=state.as_of,
        first_due_date=future[0].end_date,
        principal_grace_periods=0,
    )
    if new_terms.first_due_date == add_months(state.as_of, 1):
        new_terms = replace(new_terms, first_due_date=None)
    return EarlyRepayment(
        state.as_of,
        arrears + principal_repaid,
        arrears,
        principal_repaid,
        build_schedule(new_terms),
    )


def _months_for_same_payment(terms: LoanTerms, principal: Fen, payment: Fen, most: int) -> int:
    """The fewest months whose installment does not exceed the current one."""
    if terms.method is RepaymentMethod.EQUAL_PRINCIPAL:
        per_month = max(1, terms.principal // terms.months)
        return max(1, min(most, math.ceil(principal / per_month)))
    for months in range(1, most + 1):
        if level_payment(principal, terms.monthly_rate, months) <= payment:
            return months
    return most
