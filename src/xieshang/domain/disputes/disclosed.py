"""A disputed charge reconciled against the cost disclosure table in force on its date.

Since 2026-08-01 the table (明示表) a personal loan was disclosed with is part of its contract
(《个人贷款业务明示综合融资成本规定》金规〔2026〕2号; UNVERIFIED, docs/disclosure.md): the bank may charge
what the table lists, at no more than the rate it states. So the lawful recomputation also keeps to
the table in force on the day a charge was made — its contract rate, its penalty markup, and only
the charges it lists — and an overcharge the table explains names the table's line and version.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from xieshang.domain.disclosure import DisclosureVersion, LineKind
from xieshang.domain.disclosure_text import NAMES
from xieshang.domain.disputes.charged import ChargedComponent, ChargedItem
from xieshang.domain.loan import Loan
from xieshang.domain.negotiation.reasons import Reason
from xieshang.domain.rates import format_rate
from xieshang.domain.schedule import build_schedule

LINES = {
    ChargedComponent.INTEREST: (LineKind.INTEREST,),
    ChargedComponent.PENALTY: (LineKind.PENALTY,),
    ChargedComponent.COMPOUND: (LineKind.COMPOUND,),
    ChargedComponent.FEE: (LineKind.FEE, LineKind.CARRIED, LineKind.REINSTATED),
    ChargedComponent.LATE_FEE: (LineKind.LATE_FEE,),
}
"""The lines of the table a disputed kind of charge may be made under. The arrears an agreement
carried and the concessions a breach puts back are on the ledger as fees."""


@dataclass(frozen=True, slots=True)
class Disclosed:
    """The version of the table a disputed charge is reconciled against."""

    version: DisclosureVersion

    def lawful_loan(self, loan: Loan) -> Loan:
        """``loan`` as the table allows it: its rate at most the disclosed one, its penalty markup
        at most the disclosed one, penalty and compound interest only if the table lists them."""
        table = self.version.disclosure
        rules = loan.rules
        if table.charges(LineKind.PENALTY) or table.charges(LineKind.COMPOUND):
            rules = replace(rules, markup=min(rules.markup, table.markup))
        rules = replace(
            rules,
            penalty_enabled=rules.penalty_enabled and table.charges(LineKind.PENALTY),
            compound_enabled=rules.compound_enabled and table.charges(LineKind.COMPOUND),
        )
        rate = min(loan.terms.annual_rate, table.interest_rate)
        return replace(loan, terms=replace(loan.terms, annual_rate=rate), rules=rules)

    def lists(self, item: ChargedItem) -> bool:
        """Whether the table lists a charge of this kind (arrears carried: on installment 1)."""
        table = self.version.disclosure
        for kind in LINES[item.component]:
            line = table.line(kind)
            if line is None or not line.charged:
                continue
            if line.installment is None or kind is not LineKind.CARRIED:
                return True
            if line.installment == item.installment:
                return True
        return False

    def interest_cap(self, loan: Loan, installment: int) -> int | None:
        """The installment's contract interest at the disclosed rate, when the loan's rate is above
        it (None otherwise)."""
        rate = self.version.disclosure.interest_rate
        if loan.terms.annual_rate <= rate:
            return None
        rebuilt = build_schedule(replace(loan.terms, annual_rate=rate))
        if installment > len(rebuilt.installments):
            return None
        return rebuilt.installments[installment - 1].interest

    def cause(self, loan: Loan, item: ChargedItem, params: dict[str, str]) -> Reason | None:
        """Why an overcharge is one against the table: a charge it does not list, or a rate above
        the one it states. None when the table allows what the contract does."""
        table = self.version.disclosure
        kind = LINES[item.component][0]
        name_zh, name_en = NAMES[kind]
        named = params | {
            "version": str(self.version.version),
            "effective_date": self.version.effective_date.isoformat(),
            "line": name_en,
            "line_zh": name_zh,
        }
        if not self.lists(item):
            return Reason("DISPUTE_CAUSE_NOT_DISCLOSED", named)
        line = table.line(kind)
        if line is None or line.annual_rate is None:
            return None
        if item.component is ChargedComponent.INTEREST:
            applied = loan.terms.annual_rate
        elif item.component in (ChargedComponent.PENALTY, ChargedComponent.COMPOUND):
            applied = loan.rules.penalty_rate(loan.terms.annual_rate)
        else:
            return None
        if applied <= line.annual_rate:
            return None
        rates = {"disclosed_rate": format_rate(line.annual_rate), "rate": format_rate(applied)}
        return Reason("DISPUTE_CAUSE_ABOVE_DISCLOSED", named | rates)


def charge_day(loan: Loan, item: ChargedItem) -> date:
    """The day a disputed charge was made, for the table in force: the first day the bill names,
    else the start of its installment's period."""
    if item.first_day is not None:
        return item.first_day
    return loan.schedule.installments[item.installment - 1].start_date
