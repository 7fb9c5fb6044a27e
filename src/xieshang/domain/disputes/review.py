"""The review of a dispute: each disputed item against its lawful amount, what explains a difference,
and the compliance flags the review raises (see the package's docstring for the rules)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from xieshang.domain.disclosure import DisclosureVersion, in_force
from xieshang.domain.disputes.all_in_cost import all_in_apr
from xieshang.domain.disputes.charged import ACCRUED, FEE_KINDS, NAMES_ZH, ChargedItem
from xieshang.domain.disputes.disclosed import Disclosed, charge_day
from xieshang.domain.disputes.findings import DisputeFinding, DisputeLine, Verdict
from xieshang.domain.disputes.interest_on_fees import OnFee, interest_on_fee
from xieshang.domain.disputes.lawful import LawfulLedger
from xieshang.domain.disputes.limits import ComplianceFlag, DisputeLimits, FlagKind, markup_flag
from xieshang.domain.disputes.markup import fit_markup, infer_markup, markup_text
from xieshang.domain.errors import InvalidInput
from xieshang.domain.ledger_state import AccrualLine
from xieshang.domain.loan import Loan
from xieshang.domain.money import Fen, to_yuan
from xieshang.domain.negotiation.reasons import Reason
from xieshang.domain.rates import format_rate
from xieshang.domain.statement import StatementLine


def review_charges(
    loan: Loan,
    charged: Sequence[ChargedItem],
    limits: DisputeLimits,
    as_of: date,
    disclosures: Sequence[DisclosureVersion] = (),
) -> DisputeFinding:
    """Recompute the disputed charges of ``loan`` as of ``as_of`` and compare them line by line.

    ``loan`` is the contract (terms, schedule, rules as the contract states them) with its payments
    and contractual charges. The recomputation uses the contract's markup, capped at
    ``limits.penalty_markup_max``; every other rule is the contract's. With ``disclosures`` (the
    loan's cost disclosure tables, 金规〔2026〕2号), each charge is also held to the table in force
    on its date (:mod:`.disclosed`).
    """
    count = len(loan.schedule.installments)
    for index, item in enumerate(charged):
        if item.installment > count:
            raise InvalidInput(f"charged[{index}].installment", f"must be between 1 and {count}")
        if item.last_day is not None and item.last_day > as_of:
            raise InvalidInput(f"charged[{index}].last_day", "is after the review date")
    review = _Review(loan, limits, as_of, disclosures)
    assessed = [review.assess(item) for item in charged]
    # Amounts charged at an unknown markup come from one bank computation: they narrow it together.
    observations = [
        (a.item.amount, a.accruals)
        for a in assessed
        if a.item.amount > a.lawful and a.item.markup is None and a.accruals and a.on_fee is None
    ]
    review.joint_markup = fit_markup(observations, loan.terms.annual_rate)
    lines = tuple(review.line(a) for a in assessed)
    extra = sum(line.difference for line in lines)
    all_in = all_in_apr(loan, review.ledger.state, as_of, extra)
    flags = review.contract_flags() + review.flags
    if all_in is not None and all_in > limits.apr_cap:
        params = {"apr": format_rate(all_in), "cap": format_rate(limits.apr_cap)}
        flags.append(
            ComplianceFlag(
                FlagKind.TOTAL_COST_ABOVE_CAP, Reason("DISPUTE_TOTAL_COST_ABOVE_CAP", params)
            )
        )
    unique: list[ComplianceFlag] = []
    for flag in flags:
        if flag not in unique:
            unique.append(flag)
    return DisputeFinding(as_of, review.ledger.lawful_markup, lines, tuple(unique), all_in)


@dataclass(frozen=True, slots=True)
class _Assessed:
    item: ChargedItem
    lawful: Fen
    accruals: list[AccrualLine]
    formula: tuple[StatementLine, ...]
    on_fee: OnFee | None
    """(interest on a fee, the fee, the rate) when that is what the excess charged is."""


class _Review:
    """What each disputed item of one loan is checked against on one date. Collects compliance
    flags as items are reviewed."""

    def __init__(
        self,
        loan: Loan,
        limits: DisputeLimits,
        as_of: date,
        disclosures: Sequence[DisclosureVersion] = (),
    ) -> None:
        self.loan = loan
        self.limits = limits
        self.as_of = as_of
        self.disclosures = tuple(disclosures)
        self._ledgers: dict[int | None, LawfulLedger] = {}
        self.ledger = self._ledger(in_force(self.disclosures, as_of))
        self.flags: list[ComplianceFlag] = []
        self.joint_markup: Decimal | None = None
        """The one markup that reproduces every amount charged at an unknown markup, if any."""

    def _ledger(self, version: DisclosureVersion | None) -> LawfulLedger:
        """The lawful recomputation under one version of the disclosure table (or none)."""
        key = None if version is None else version.version
        if key not in self._ledgers:
            disclosed = None if version is None else Disclosed(version)
            self._ledgers[key] = LawfulLedger(self.loan, self.limits, self.as_of, disclosed)
        return self._ledgers[key]

    def ledger_for(self, item: ChargedItem) -> LawfulLedger:
        """The recomputation under the table in force on the day ``item`` was charged."""
        return self._ledger(in_force(self.disclosures, charge_day(self.loan, item)))

    def assess(self, item: ChargedItem) -> _Assessed:
        """The lawful amount of ``item``, the accrual behind it, its formula lines, and whether the
        excess charged is interest on a fee."""
        ledger = self.ledger_for(item)
        lawful = ledger.lawful(item)
        on_fee = None
        if (
            item.component in ACCRUED
            and item.amount > lawful.amount
            and ledger.enabled(item.component)
        ):
            on_fee = interest_on_fee(ledger, item, lawful.accruals)
        return _Assessed(item, lawful.amount, lawful.accruals, lawful.formula, on_fee)

    def line(self, assessed: _Assessed) -> DisputeLine:
        item, lawful = assessed.item, assessed.lawful
        if item.markup is not None and item.component in ACCRUED:
            self._check_markup(item.markup)
        difference = item.amount - lawful
        params = {
            "installment": str(item.installment),
            "component": item.component.value,
            "component_zh": NAMES_ZH[item.component],
            "charged": to_yuan(item.amount),
            "lawful": to_yuan(lawful),
        }
        causes: list[Reason] = []
        if difference > 0:
            verdict = Verdict.OVERCHARGED
            reason = Reason("DISPUTE_OVERCHARGED", params | {"difference": to_yuan(difference)})
            causes = self._causes(assessed, params)
        elif difference < 0:
            verdict = Verdict.UNDERCHARGED
            reason = Reason(
                "DISPUTE_UNDERCHARGED_NOT_BILLED", params | {"shortfall": to_yuan(-difference)}
            )
        else:
            verdict = Verdict.CORRECT
            reason = Reason("DISPUTE_CHARGE_CORRECT", params)
        return DisputeLine(item, lawful, verdict, reason, tuple(causes), assessed.formula)

    def _causes(self, assessed: _Assessed, params: dict[str, str]) -> list[Reason]:
        """What explains an overcharge: the contract's causes, and the disclosure table's line
        and version when it is the table that lowered the lawful amount."""
        disclosed = self._disclosure_cause(assessed, params)
        if disclosed is not None and disclosed.code == "DISPUTE_CAUSE_NOT_DISCLOSED":
            return [disclosed]
        causes = self._contract_causes(assessed, params)
        return causes if disclosed is None else [*causes, disclosed]

    def _disclosure_cause(self, assessed: _Assessed, params: dict[str, str]) -> Reason | None:
        disclosed = self.ledger_for(assessed.item).disclosed
        if disclosed is None or assessed.lawful >= self._ledger(None).lawful(assessed.item).amount:
            return None
        return disclosed.cause(self.loan, assessed.item, params)

    def _contract_causes(self, assessed: _Assessed, params: dict[str, str]) -> list[Reason]:
        item = assessed.item
        if item.component in FEE_KINDS and assessed.lawful == 0:
            return [Reason("DISPUTE_CAUSE_NOT_IN_CONTRACT", params)]
        if item.component not in ACCRUED:
            return []
        if not self.ledger_for(item).enabled(item.component):
            return [Reason("DISPUTE_CAUSE_NOT_IN_CONTRACT", params)]
        if assessed.on_fee is not None:
            amount, fee, rate = assessed.on_fee
            values = {"amount": to_yuan(amount), "fee": to_yuan(fee), "rate": format_rate(rate)}
            if not self.limits.interest_on_fees_allowed:
                self.flags.append(
                    ComplianceFlag(
                        FlagKind.INTEREST_ON_FEES,
                        Reason("DISPUTE_INTEREST_ON_FEES", params | values),
                    )
                )
            return [Reason("DISPUTE_CAUSE_INTEREST_ON_FEE", params | values)]
        markup = item.markup
        if markup is None:
            contract_rate = self.loan.terms.annual_rate
            markup = self.joint_markup
            if markup is None:
                markup = infer_markup(item.amount, assessed.accruals, contract_rate)
        lawful_markup = self.ledger_for(item).lawful_markup
        if markup is None or markup <= lawful_markup:
            return []
        self._check_markup(markup)
        values = {
            "charged_markup": markup_text(markup),
            "lawful_markup": markup_text(lawful_markup),
        }
        return [Reason("DISPUTE_CAUSE_MARKUP", values)]

    def _check_markup(self, markup: Decimal) -> None:
        flag = markup_flag(markup, self.limits)
        if flag is not None:
            self.flags.append(flag)

    def contract_flags(self) -> list[ComplianceFlag]:
        """The contract's own markup outside the legal range (when it charges penalty at all)."""
        rules = self.loan.rules
        if not (rules.penalty_enabled or rules.compound_enabled):
            return []
        flag = markup_flag(rules.markup, self.limits)
        return [] if flag is None else [flag]
