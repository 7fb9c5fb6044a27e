"""The state of a loan as of a date, as the ledger's replay leaves it: each installment's charges,
payments and accrual lines, the payments with where they went, and any credit held for the customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from xieshang.domain.allocation import Allocation, Component
from xieshang.domain.loan import Loan, Payment
from xieshang.domain.money import Fen
from xieshang.domain.payoff import interest_to_date, payoff
from xieshang.domain.schedule import Installment

_COMPONENTS = tuple(Component)
_INTEREST, _PRINCIPAL = Component.INTEREST, Component.PRINCIPAL
"""Read once: an Enum member's attribute access is slow in loops over installments."""


@dataclass(frozen=True, slots=True)
class AccrualLine:
    """Penalty or compound interest on ``base`` for the days in (``start``, ``end``]."""

    installment: int
    component: Component
    start: date
    end: date
    base: Fen
    annual_rate: Decimal
    days_in_year: int
    daily: Fen

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def amount(self) -> Fen:
        return self.daily * self.days


@dataclass(frozen=True, slots=True)
class InstallmentState:
    """An installment as of a date: what it charged, what was paid, and the accrual behind it."""

    installment: Installment
    charged: dict[Component, Fen]
    paid: dict[Component, Fen]
    accruals: tuple[AccrualLine, ...]
    penalty_in_grace: Fen
    cleared_on: date | None

    def owed(self, component: Component) -> Fen:
        return self.charged[component] - self.paid[component]

    @property
    def total_owed(self) -> Fen:
        charged, paid = self.charged, self.paid
        return sum([charged[c] - paid[c] for c in _COMPONENTS])


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    payment: Payment
    allocations: tuple[Allocation, ...]
    unapplied: Fen


@dataclass(frozen=True, slots=True)
class LedgerState:
    as_of: date
    loan: Loan
    installments: tuple[InstallmentState, ...]
    payments: tuple[PaymentRecord, ...]
    credit: Fen
    """Money received beyond everything the schedule asks for, held for the customer."""
    settled_on: date | None = None
    """The day a payment covered the whole payoff: interest after it was no longer charged."""

    def due(self) -> tuple[InstallmentState, ...]:
        """Installments whose due date has come (on or before ``as_of``)."""
        return tuple(s for s in self.installments if s.installment.due_date <= self.as_of)

    def owed_now(self, component: Component) -> Fen:
        """What is owed today for ``component`` on installments already due."""
        return sum(
            [
                s.charged[component] - s.paid[component]
                for s in self.installments
                if s.installment.due_date <= self.as_of
            ]
        )

    @property
    def outstanding_principal(self) -> Fen:
        return sum(s.owed(_PRINCIPAL) for s in self.installments)

    @property
    def days_past_due(self) -> int:
        """Days since the oldest due date whose principal or interest is still unpaid."""
        for state in self.installments:
            due = state.installment.due_date
            if due >= self.as_of:
                break
            if state.owed(_PRINCIPAL) or state.owed(_INTEREST):
                return (self.as_of - due).days
        return 0

    @property
    def accrued_interest(self) -> Fen:
        """Contract interest earned so far in the current period, not yet due (by days)."""
        for state in self.installments:
            if state.installment.start_date < self.as_of < state.installment.due_date:
                earned = interest_to_date(self.loan, state.installment, self.as_of)
                charged = state.charged[_INTEREST]
                return max(0, min(earned, charged) - state.paid[_INTEREST])
        return 0

    @property
    def paid_off(self) -> bool:
        """Nothing is owed any more, now or later."""
        return self.settled_on is not None or (
            self.outstanding_principal == 0 and all(s.total_owed == 0 for s in self.installments)
        )

    @property
    def payoff_amount(self) -> Fen:
        """What settles the whole loan today (提前结清): all that is due, principal not yet due,
        fees, and contract interest only to date — less interest paid in advance and credit."""
        return payoff(self.loan, self.installments, self.as_of, self.credit)
