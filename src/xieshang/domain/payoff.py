"""Early settlement (提前结清): what settles a loan on a day, with contract interest only to date.

An installment already due is owed whole; one not yet due owes its principal, its fees and the
contract interest it has earned by the day — interest paid in advance beyond that goes back to the
customer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from xieshang.domain.allocation import Component
from xieshang.domain.loan import Loan
from xieshang.domain.money import Fen
from xieshang.domain.schedule import Installment, interest_for_days


class _Owing(Protocol):
    @property
    def installment(self) -> Installment: ...

    @property
    def charged(self) -> dict[Component, Fen]: ...

    @property
    def paid(self) -> dict[Component, Fen]: ...


def payoff(loan: Loan, items: Sequence[_Owing], on: date, credit: Fen) -> Fen:
    total = -credit
    for item in items:
        inst = item.installment
        owed = {c: item.charged[c] - item.paid[c] for c in Component}
        if inst.due_date <= on:
            total += sum(owed.values())
            continue
        total += owed[Component.PRINCIPAL] + owed[Component.FEE]
        earned = interest_to_date(loan, inst, on) if inst.start_date < on else 0
        total += min(earned, item.charged[Component.INTEREST]) - item.paid[Component.INTEREST]
    return total


def interest_to_date(loan: Loan, inst: Installment, on: date) -> Fen:
    """Contract interest an installment has earned by ``on``: its interest base × rate × days so
    far in its period, never more than the installment's interest."""
    terms = loan.terms
    end = min(on, inst.end_date)
    earned = interest_for_days(
        inst.interest_base, terms.annual_rate, terms.day_count, inst.start_date, end
    )
    return min(earned, inst.interest)
