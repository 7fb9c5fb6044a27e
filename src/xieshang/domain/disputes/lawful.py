"""The lawful recomputation a dispute is compared with, and the formulas behind each lawful amount.

The loan is replayed with the ledger under the contract's own rules, with the penalty markup never
above the legal maximum; each disputed item's lawful amount is explained with the itemised
statement's lines, in zh-CN and en.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.allocation import Component
from xieshang.domain.disputes.charged import ACCRUED, FEE_KINDS, ChargedComponent, ChargedItem
from xieshang.domain.disputes.disclosed import Disclosed
from xieshang.domain.disputes.limits import DisputeLimits
from xieshang.domain.ledger_state import AccrualLine, InstallmentState, LedgerState
from xieshang.domain.loan import Charge, Loan
from xieshang.domain.money import Fen, to_yuan
from xieshang.domain.statement import StatementLine, itemised_statement

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Lawful:
    """What the contract and the law allow for one disputed item."""

    amount: Fen
    accruals: list[AccrualLine]
    """The accrual behind ``amount``, on the days disputed (penalty and compound interest only)."""
    formula: tuple[StatementLine, ...]


class LawfulLedger:
    """The lawful recomputation of one loan as of one date."""

    def __init__(
        self, loan: Loan, limits: DisputeLimits, as_of: date, disclosed: Disclosed | None = None
    ) -> None:
        self.loan = loan
        self.as_of = as_of
        self.disclosed = disclosed
        allowed = loan if disclosed is None else disclosed.lawful_loan(loan)
        self.lawful_markup = min(allowed.rules.markup, limits.penalty_markup_max)
        self.lawful_loan = replace(allowed, rules=replace(allowed.rules, markup=self.lawful_markup))
        self.state = ledger_as_of(self.lawful_loan, as_of)
        self.statement = itemised_statement(self.state)
        self._states: dict[date, LedgerState] = {as_of: self.state}

    def lawful(self, item: ChargedItem) -> Lawful:
        """The lawful amount of ``item``, the accrual behind it and its formula lines."""
        n = item.installment
        held = self.state.installments[n - 1]
        accruals: list[AccrualLine] = []
        if item.component in ACCRUED:
            component = ACCRUED[item.component]
            mine = (a for a in held.accruals if a.component is component)
            accruals = clip(mine, item.first_day, item.last_day)
            lawful = sum(a.amount for a in accruals)
            formula = self._accrual_formula(held, component, accruals)
        elif item.component is ChargedComponent.INTEREST:
            lawful = held.charged[Component.INTEREST]
            cap = None if self.disclosed is None else self.disclosed.interest_cap(self.loan, n)
            lawful = lawful if cap is None else min(lawful, cap)
            formula = self._interest_formula(held)
        elif self.disclosed is not None and not self.disclosed.lists(item):
            lawful, formula = 0, ()
        else:
            charges = self._contract_charges(item)
            lawful = sum(c.amount for c in charges)
            formula = self._fee_formula(charges)
        return Lawful(lawful, accruals, formula)

    def enabled(self, component: ChargedComponent) -> bool:
        """Whether the contract charges this accruing component at all."""
        rules = self.loan.rules
        return (
            rules.penalty_enabled
            if component is ChargedComponent.PENALTY
            else rules.compound_enabled
        )

    def state_at(self, day: date) -> LedgerState:
        """The lawful ledger as of another day (kept, as the same days are asked again)."""
        if day not in self._states:
            self._states[day] = ledger_as_of(self.lawful_loan, day)
        return self._states[day]

    def _accrual_formula(
        self, held: InstallmentState, component: Component, clipped: list[AccrualLine]
    ) -> tuple[StatementLine, ...]:
        """The statement's lines for these stretches; a stretch only partly disputed adds a line
        with the disputed days."""
        number = held.installment.number
        texts = [
            s for s in self.statement.lines if s.kind == component.value and s.installment == number
        ]
        originals = [a for a in held.accruals if a.component is component]
        formula: list[StatementLine] = []
        for original, text in zip(originals, texts, strict=True):
            for part in clipped:
                if original.start <= part.start and part.end <= original.end:
                    formula.append(text)
                    if part != original:
                        formula.append(part_line(part))
        return tuple(formula)

    def _interest_formula(self, held: InstallmentState) -> tuple[StatementLine, ...]:
        inst = held.installment
        statement = self.statement
        if inst.due_date > self.as_of:  # the statement shows only the next installment not yet due
            statement = itemised_statement(replace(self.state, as_of=inst.due_date))
        formula = [
            s for s in statement.lines if s.kind == "interest" and s.installment == inst.number
        ]
        settled = self.state.settled_on
        if settled is not None and inst.due_date > settled:
            formula += [s for s in self.statement.lines if s.kind == "settlement"]
        return tuple(formula)

    def _contract_charges(self, item: ChargedItem) -> list[Charge]:
        """The contract's charges of this kind on this installment, on the days the bill covers."""
        kind = FEE_KINDS[item.component]
        found = []
        for charge in self.loan.charges:
            if charge.kind is not kind or charge.on > self.as_of:
                continue
            if item.first_day and charge.on < item.first_day:
                continue
            if item.last_day and charge.on > item.last_day:
                continue
            # on this installment as the ledger puts it (the next one due, when the charge names none)
            if charge.payable_with(self.loan.schedule.installments) == item.installment:
                found.append(charge)
        return found

    def _fee_formula(self, charges: list[Charge]) -> tuple[StatementLine, ...]:
        wanted = Counter((c.on, c.amount, c.installment) for c in charges)
        formula = []
        for s in self.statement.lines:
            key = (s.on, s.amount, s.installment)
            if s.kind == "fee" and wanted[key] > 0:
                wanted[key] -= 1
                formula.append(s)
        return tuple(formula)


def clip(lines: Iterable[AccrualLine], first: date | None, last: date | None) -> list[AccrualLine]:
    """The part of each line on days first..last (included); lines cover (start, end]."""
    clipped = []
    for line in lines:
        start = line.start if first is None else max(line.start, first - ONE_DAY)
        end = line.end if last is None else min(line.end, last)
        if end > start:
            clipped.append(replace(line, start=start, end=end))
    return clipped


def part_line(line: AccrualLine) -> StatementLine:
    """The disputed days of a stretch the statement shows whole."""
    first = line.start + ONE_DAY
    daily, amount = to_yuan(line.daily), to_yuan(line.amount)
    return StatementLine(
        line.component.value,
        line.end,
        line.amount,
        line.installment,
        f"其中争议期间（{first} 至 {line.end}）：每日 ¥{daily} × {line.days} 天 = ¥{amount}",
        f"of which the disputed days ({first} to {line.end}): ¥{daily} a day × {line.days} days "
        f"= ¥{amount}",
    )
