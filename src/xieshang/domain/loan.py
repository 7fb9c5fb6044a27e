"""A loan as the ledger sees it: contract terms, the schedule in force, product rules, and events."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from xieshang.domain.allocation import AllocationOrder
from xieshang.domain.errors import InvalidInput
from xieshang.domain.money import Fen
from xieshang.domain.rates import DayCount
from xieshang.domain.schedule import Installment, LoanTerms, Schedule, build_schedule

MAX_GRACE_DAYS = 30


@dataclass(frozen=True, slots=True)
class PenaltyRules:
    """A product's rules for overdue debt.

    Penalty interest (罚息) runs on overdue principal at the contract rate × (1 + ``markup``), and
    compound interest (复利) on overdue interest at that same rate: 《中国人民银行关于人民币贷款利率
    有关问题的通知》(银发〔2003〕251号) 第三条 sets the markup at 30–50 %. Both accrue day by day
    (each day's amount rounded to the fen) under ``day_count``. ``grace_days`` (宽限期) after a due date
    carry no penalty if the installment is paid by then; once exceeded, the grace days are charged
    too when ``charge_grace_when_exceeded`` (the usual contract wording), otherwise only later days.
    """

    markup: Decimal = Decimal("0.5")
    penalty_enabled: bool = True
    compound_enabled: bool = True
    grace_days: int = 0
    charge_grace_when_exceeded: bool = True
    day_count: DayCount = DayCount.ACTUAL_360
    allocation: AllocationOrder = field(default_factory=AllocationOrder)

    def __post_init__(self) -> None:
        if not Decimal(0) <= self.markup <= 1:
            raise InvalidInput("markup", "must be between 0 and 100 %")
        if not 0 <= self.grace_days <= MAX_GRACE_DAYS:
            raise InvalidInput("grace_days", f"must be between 0 and {MAX_GRACE_DAYS}")

    def penalty_rate(self, contract_rate: Decimal) -> Decimal:
        return contract_rate * (1 + self.markup)


class ChargeKind(enum.StrEnum):
    FEE = "fee"
    """手续费: any charge other than interest."""
    LATE_FEE = "late_fee"
    """违约金: a contractual fee for late payment; no interest may accrue on it (银发〔2016〕111号)."""


@dataclass(frozen=True, slots=True)
class Charge:
    """A fee put on the loan on ``on``, payable with ``installment`` (default: the next one due)."""

    on: date
    amount: Fen
    kind: ChargeKind = ChargeKind.FEE
    installment: int | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise InvalidInput("charge.amount", "must be more than zero")

    def payable_with(self, installments: Sequence[Installment]) -> int:
        """The number of the installment this charge is payable with: its own, or else the next one
        due on or after the day it is put on the loan (the last, when none is)."""
        if self.installment:
            return self.installment
        for installment in installments:
            if installment.due_date >= self.on:
                return installment.number
        return installments[-1].number


@dataclass(frozen=True, slots=True)
class Payment:
    """Money received from the customer on ``on``."""

    on: date
    amount: Fen
    reference: str = ""

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise InvalidInput("payment.amount", "must be more than zero")


@dataclass(frozen=True, slots=True)
class Loan:
    terms: LoanTerms
    schedule: Schedule
    rules: PenaltyRules = field(default_factory=PenaltyRules)
    payments: tuple[Payment, ...] = ()
    charges: tuple[Charge, ...] = ()

    def __post_init__(self) -> None:
        last = len(self.schedule.installments)
        for index, payment in enumerate(self.payments):
            if payment.on < self.schedule.start_date:
                raise InvalidInput(f"payments[{index}].date", "is before the loan started")
        for index, charge in enumerate(self.charges):
            if charge.on < self.schedule.start_date:
                raise InvalidInput(f"charges[{index}].date", "is before the loan started")
            if charge.installment is not None and not 1 <= charge.installment <= last:
                raise InvalidInput(f"charges[{index}].installment", f"must be between 1 and {last}")

    @classmethod
    def from_terms(
        cls,
        terms: LoanTerms,
        rules: PenaltyRules | None = None,
        payments: tuple[Payment, ...] = (),
        charges: tuple[Charge, ...] = (),
    ) -> Loan:
        return cls(terms, build_schedule(terms), rules or PenaltyRules(), payments, charges)
