"""The cost disclosure table (明示表) of a personal loan, computed from its terms.

《个人贷款业务明示综合融资成本规定》(金规〔2026〕2号, NFRA and PBoC, in force 2026-08-01) asks for a table
for every personal loan: each charge, how it is charged, who collects it, the all-in annualised cost
(综合融资成本, ``total_cost``) and the costs of paying late. UNVERIFIED: the rule is known from
secondary sources only; what it asks is kept in this one module and the bank's configuration, not
spread through the code (docs/disclosure.md).

The table lists what the ledger can charge on the loan and nothing else: contract interest (利息),
penalty interest (罚息) and compound interest (复利) as the product's rules state them, and fees
(手续费) and late fees (违约金) — which a product in xieshang does not set, so the table says there are
none, and a fee charged anyway is one the customer was never told of. An agreement's table adds the
arrears it carried into the first installment and the concessions a breach would put back: debt the
customer already owed, not a cost of the credit, so outside the all-in cost.

The all-in annualised cost is the IRR of principal out and every scheduled payment and fee in
(:func:`~xieshang.domain.rates.apr`, 中国人民银行公告〔2021〕第3号); the total cost in fen is the
interest and fees over the term when every installment is paid on its due date.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from xieshang.domain.errors import InvalidInput
from xieshang.domain.loan import Charge, ChargeKind, PenaltyRules
from xieshang.domain.money import Fen
from xieshang.domain.rates import apr
from xieshang.domain.schedule import LoanTerms, Schedule

RULE = "金规〔2026〕2号"
"""The rule the table answers (UNVERIFIED, see the module docstring)."""


class LineKind(enum.StrEnum):
    """What a line of the table discloses."""

    INTEREST = "interest"
    PENALTY = "penalty"
    COMPOUND = "compound"
    FEE = "fee"
    LATE_FEE = "late_fee"
    CARRIED = "carried_arrears"
    """Arrears an agreement carried into its first installment (协议前欠款转入)."""
    REINSTATED = "reinstated"
    """Conditional waivers an agreement puts back if it is broken (附条件减免恢复)."""


COSTS = (LineKind.INTEREST, LineKind.FEE)
"""The kinds that count in the all-in cost when paid as scheduled; overdue costs are contingent."""


class Collector(enum.StrEnum):
    """Who collects a charge. Every charge in xieshang is the bank's own; a partner's fee (助贷,
    金规〔2025〕9号) would be a line with its collector."""

    BANK = "bank"


@dataclass(frozen=True, slots=True)
class DisclosureLine:
    """One charge of the table and how it is charged.

    ``charged`` is False for a charge the loan does not make (the table says so rather than leaving
    it out). ``annual_rate`` is the contract rate for interest and the penalty rate (contract rate ×
    (1 + ``markup``)) for penalty and compound interest. ``amount`` is a fixed amount (a fee, arrears
    carried, the most a breach puts back); ``total`` what the line costs over the term if every
    installment is paid on time.
    """

    kind: LineKind
    charged: bool
    collector: Collector = Collector.BANK
    annual_rate: Decimal | None = None
    markup: Decimal | None = None
    method: str = ""
    """interest: the repayment method; penalty and compound: what they accrue on."""
    basis: str = ""
    """interest: ``periodic`` or ``days``; penalty and compound: ``daily``."""
    day_count: str = ""
    amount: Fen = 0
    total: Fen = 0
    installment: int | None = None
    on: date | None = None


@dataclass(frozen=True, slots=True)
class CostDisclosure:
    """The table: the loan's amount and term, every line, the all-in cost and the total cost."""

    principal: Fen
    months: int
    start_date: date
    lines: tuple[DisclosureLine, ...]
    all_in_rate: Decimal
    """综合融资成本 annualised by IRR (a fraction, to 1e-6)."""
    total_cost: Fen
    """Interest and fees over the term when paid as scheduled."""
    grace_days: int = 0

    def line(self, kind: LineKind) -> DisclosureLine | None:
        return next((line for line in self.lines if line.kind is kind), None)

    def charges(self, kind: LineKind) -> bool:
        """Whether the table lists ``kind`` as a charge the loan makes."""
        return any(line.kind is kind and line.charged for line in self.lines)

    @property
    def interest_rate(self) -> Decimal:
        line = self.line(LineKind.INTEREST)
        assert line is not None
        assert line.annual_rate is not None
        return line.annual_rate

    @property
    def markup(self) -> Decimal:
        """The penalty markup disclosed (0 when neither penalty nor compound interest is charged)."""
        for kind in (LineKind.PENALTY, LineKind.COMPOUND):
            line = self.line(kind)
            if line is not None and line.markup is not None:
                return line.markup
        return Decimal(0)


def disclose(
    terms: LoanTerms,
    schedule: Schedule,
    rules: PenaltyRules,
    *,
    fees: Sequence[Charge] = (),
    carried: Fen = 0,
    reinstatable: Fen = 0,
) -> CostDisclosure:
    """The table of a loan with these terms, this schedule and these overdue rules.

    ``fees`` are fees the contract sets (each a cash flow in the all-in cost on the due date of the
    installment it is payable with; none for xieshang's products today); ``carried`` and
    ``reinstatable`` an agreement's arrears carried and concessions a breach puts back.
    """
    installments = schedule.installments
    interest = DisclosureLine(
        LineKind.INTEREST,
        True,
        annual_rate=terms.annual_rate,
        method=terms.method.value,
        basis=terms.interest_basis.value,
        day_count=terms.day_count.value,
        total=schedule.total_interest,
    )
    flows = schedule.cash_flows()
    fee_lines = [_fee_line(fee, schedule) for fee in fees]
    for line in fee_lines:
        assert line.installment is not None
        flows.append((installments[line.installment - 1].due_date, line.amount))
    lines = [
        interest,
        *_overdue_lines(terms, rules),
        *(fee_lines or [DisclosureLine(LineKind.FEE, False)]),
        DisclosureLine(LineKind.LATE_FEE, False),
    ]
    if carried:
        lines.append(DisclosureLine(LineKind.CARRIED, True, amount=carried, installment=1))
    if reinstatable:
        lines.append(DisclosureLine(LineKind.REINSTATED, True, amount=reinstatable))
    return CostDisclosure(
        principal=schedule.principal,
        months=len(installments),
        start_date=schedule.start_date,
        lines=tuple(lines),
        all_in_rate=apr(flows, schedule.start_date),
        total_cost=sum(line.total for line in lines if line.kind in COSTS),
        grace_days=rules.grace_days,
    )


def _fee_line(fee: Charge, schedule: Schedule) -> DisclosureLine:
    if fee.kind is not ChargeKind.FEE:
        raise InvalidInput("fees", "only fees set by the contract are disclosed as costs")
    number = fee.payable_with(schedule.installments)
    return DisclosureLine(
        LineKind.FEE, True, amount=fee.amount, total=fee.amount, installment=number, on=fee.on
    )


def _overdue_lines(terms: LoanTerms, rules: PenaltyRules) -> list[DisclosureLine]:
    """Penalty interest on overdue principal and compound interest on overdue interest, both at
    the contract rate × (1 + markup), day by day (银发〔2003〕251号 第三条), or not charged."""
    penalty_rate = rules.penalty_rate(terms.annual_rate)
    return [
        DisclosureLine(
            kind,
            enabled,
            annual_rate=penalty_rate if enabled else None,
            markup=rules.markup if enabled else None,
            method=on,
            basis="daily" if enabled else "",
            day_count=rules.day_count.value if enabled else "",
        )
        for kind, enabled, on in (
            (LineKind.PENALTY, rules.penalty_enabled, "overdue_principal"),
            (LineKind.COMPOUND, rules.compound_enabled, "overdue_interest"),
        )
    ]


@dataclass(frozen=True, slots=True)
class DisclosureVersion:
    """One version of a loan's table: version 1 at booking, another each time its terms change."""

    version: int
    effective_date: date
    disclosure: CostDisclosure

    @property
    def digest(self) -> str:
        return digest(self.disclosure)


def in_force(versions: Sequence[DisclosureVersion], day: date) -> DisclosureVersion | None:
    """The version in force on ``day``: the latest effective on or before it (the first, for a day
    before every version); None when there are none."""
    ordered = sorted(versions, key=lambda v: (v.effective_date, v.version))
    found = None
    for version in ordered:
        if version.effective_date <= day:
            found = version
    return found if found is not None else (ordered[0] if ordered else None)


# -- The table as JSON (stored per version, carried in a negotiation's loan file) -----------------


def to_data(disclosure: CostDisclosure) -> dict[str, Any]:
    """The table as a JSON object: amounts in fen, rates and dates as strings."""
    return {
        "principal": disclosure.principal,
        "months": disclosure.months,
        "start_date": disclosure.start_date.isoformat(),
        "all_in_rate": str(disclosure.all_in_rate),
        "total_cost": disclosure.total_cost,
        "grace_days": disclosure.grace_days,
        "lines": [_line_data(line) for line in disclosure.lines],
    }


def _line_data(line: DisclosureLine) -> dict[str, Any]:
    return {
        "kind": line.kind.value,
        "charged": line.charged,
        "collector": line.collector.value,
        "annual_rate": None if line.annual_rate is None else str(line.annual_rate),
        "markup": None if line.markup is None else str(line.markup),
        "method": line.method,
        "basis": line.basis,
        "day_count": line.day_count,
        "amount": line.amount,
        "total": line.total,
        "installment": line.installment,
        "on": None if line.on is None else line.on.isoformat(),
    }


def from_data(data: Mapping[str, Any], field: str = "disclosure") -> CostDisclosure:
    """:func:`to_data` read back; a malformed object is an ``InvalidInput`` naming ``field``."""
    try:
        return CostDisclosure(
            principal=int(data["principal"]),
            months=int(data["months"]),
            start_date=date.fromisoformat(data["start_date"]),
            lines=tuple(_line(item) for item in data["lines"]),
            all_in_rate=Decimal(data["all_in_rate"]),
            total_cost=int(data["total_cost"]),
            grace_days=int(data.get("grace_days", 0)),
        )
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise InvalidInput(field, f"is not a disclosure table ({error})") from None


def _line(item: Mapping[str, Any]) -> DisclosureLine:
    rate, markup, on = item.get("annual_rate"), item.get("markup"), item.get("on")
    return DisclosureLine(
        kind=LineKind(item["kind"]),
        charged=bool(item["charged"]),
        collector=Collector(item.get("collector", "bank")),
        annual_rate=None if rate is None else Decimal(rate),
        markup=None if markup is None else Decimal(markup),
        method=str(item.get("method", "")),
        basis=str(item.get("basis", "")),
        day_count=str(item.get("day_count", "")),
        amount=int(item.get("amount", 0)),
        total=int(item.get("total", 0)),
        installment=item.get("installment"),
        on=None if on is None else date.fromisoformat(on),
    )


def digest(disclosure: CostDisclosure) -> str:
    """SHA-256 of the table's canonical JSON: what a version's record and a decision name."""
    text = json.dumps(to_data(disclosure), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
