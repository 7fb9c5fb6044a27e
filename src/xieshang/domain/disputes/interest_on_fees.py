"""Whether what a bank charged beyond the lawful penalty or compound interest is interest on a fee.

Interest may not accrue on 违约金 or fees (银发〔2016〕111号); a bank that put an installment's unpaid
fees into the base of its penalty or compound interest, or accrued on them separately, overcharged
by that interest.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise
from typing import TypeAlias

from xieshang.domain.allocation import Component
from xieshang.domain.disputes.charged import ChargedItem
from xieshang.domain.disputes.lawful import ONE_DAY, LawfulLedger
from xieshang.domain.ledger_state import AccrualLine
from xieshang.domain.money import Fen, apply_rate

OnFee: TypeAlias = tuple[Fen, Fen, Decimal]
"""(interest on a fee, the fee, the rate)."""


def interest_on_fee(
    ledger: LawfulLedger, item: ChargedItem, lines: Sequence[AccrualLine]
) -> OnFee | None:
    """(interest on the fee, the largest fee owed, the rate) when the charged amount is matched
    — within a fen per stretch — by adding interest on the installment's unpaid fees, either in
    the base (base + fee) or as a separate daily amount, at the lawful penalty rate, the
    contract's penalty rate or the contract rate; and not matched without the fees at any of
    those rates. None otherwise."""
    loan = ledger.loan
    inst = loan.schedule.installments[item.installment - 1]
    first = inst.due_date if item.first_day is None else item.first_day - ONE_DAY
    begin = max(inst.due_date, first)
    end = ledger.as_of if item.last_day is None else item.last_day
    if end <= begin:
        return None
    events = {c.on for c in loan.charges} | {p.on for p in loan.payments}
    events |= {line.start for line in lines} | {line.end for line in lines}
    points = sorted({begin, end} | {day for day in events if begin < day < end})
    stretches = []
    for start, stop in pairwise(points):
        fee = ledger.state_at(start).installments[item.installment - 1].owed(Component.FEE)
        base = next((a.base for a in lines if a.start <= start and stop <= a.end), 0)
        stretches.append(((stop - start).days, base, fee))
    with_fee = sum(1 for _, _, fee in stretches if fee > 0)
    if not with_fee:
        return None
    year = loan.rules.day_count.days_in_year
    contract = loan.terms.annual_rate
    rates = [contract * (1 + ledger.lawful_markup), loan.rules.penalty_rate(contract)]
    rates += [contract] + ([contract * (1 + item.markup)] if item.markup is not None else [])

    def total(rate: Decimal, with_base: bool, with_fees: bool) -> Fen:
        return sum(
            days * apply_rate(base * with_base + fee * with_fees, rate, year)
            for days, base, fee in stretches
        )

    if any(total(rate, True, False) == item.amount for rate in rates):
        return None
    for rate in rates:
        without = total(rate, True, False)
        for candidate in (total(rate, True, True), without + total(rate, False, True)):
            if candidate > without and abs(candidate - item.amount) <= with_fee:
                return candidate - without, max(fee for _, _, fee in stretches), rate
    return None
