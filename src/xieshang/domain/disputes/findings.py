"""The answer to a dispute: each disputed item against its lawful amount, and the compliance flags."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from xieshang.domain.disputes.charged import ChargedItem
from xieshang.domain.disputes.limits import ComplianceFlag, FlagKind
from xieshang.domain.money import Fen
from xieshang.domain.negotiation.reasons import Reason
from xieshang.domain.statement import StatementLine


class Verdict(enum.StrEnum):
    CORRECT = "correct"
    OVERCHARGED = "overcharged"
    UNDERCHARGED = "undercharged"
    """Noted only: the bank never bills an undercharge retroactively."""


@dataclass(frozen=True, slots=True)
class DisputeLine:
    """One disputed item compared with the lawful amount, and the formulas behind the lawful one."""

    item: ChargedItem
    lawful: Fen
    verdict: Verdict
    reason: Reason
    causes: tuple[Reason, ...]
    """What explains the difference, when it can be told (markup, interest on a fee, no such charge)."""
    formula: tuple[StatementLine, ...]
    """The itemised-statement lines that make up ``lawful``, in zh-CN and en."""

    @property
    def charged(self) -> Fen:
        return self.item.amount

    @property
    def difference(self) -> Fen:
        """Charged − lawful: positive for an overcharge, negative for an undercharge."""
        return self.item.amount - self.lawful

    @property
    def refund(self) -> Fen:
        """The correction owed to the customer; an undercharge is never billed, so never negative."""
        return max(0, self.difference)


@dataclass(frozen=True, slots=True)
class DisputeFinding:
    as_of: date
    lawful_markup: Decimal
    """The penalty markup of the recomputation: the contract's, never above the legal maximum."""
    lines: tuple[DisputeLine, ...]
    flags: tuple[ComplianceFlag, ...]
    all_in_apr: Decimal | None
    """Annualised cost by IRR of principal out, payments in and what is still claimed, with the
    disputed charges as charged; None when there is nothing to measure."""

    @property
    def refund_due(self) -> Fen:
        """The sum of the overcharges, exact to the fen."""
        return sum(line.refund for line in self.lines)

    @property
    def undercharged(self) -> Fen:
        """The sum of the undercharges: noted, not billed."""
        return sum(max(0, -line.difference) for line in self.lines)

    @property
    def corrections(self) -> tuple[DisputeLine, ...]:
        return tuple(line for line in self.lines if line.verdict is Verdict.OVERCHARGED)

    @property
    def flag_kinds(self) -> frozenset[FlagKind]:
        return frozenset(flag.kind for flag in self.flags)

    def flagged(self, kind: FlagKind) -> bool:
        return kind in self.flag_kinds
