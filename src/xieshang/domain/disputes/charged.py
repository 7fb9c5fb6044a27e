"""What a customer disputes: one amount the bank charged on an installment, and of which kind."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from xieshang.domain.allocation import Component
from xieshang.domain.errors import InvalidInput
from xieshang.domain.loan import ChargeKind
from xieshang.domain.money import Fen

MAX_INFERRED_MARKUP = Decimal(3)
"""The highest markup :func:`infer_markup` tries when it reproduces a charged amount (300 %)."""


class ChargedComponent(enum.StrEnum):
    """What kind of amount a bank charged and a customer disputes."""

    PENALTY = "penalty"
    """罚息: on overdue principal at the contract rate × (1 + markup)."""
    COMPOUND = "compound"
    """复利: on overdue contract interest at the penalty rate."""
    FEE = "fee"
    """手续费."""
    LATE_FEE = "late_fee"
    """违约金."""
    INTEREST = "interest"
    """利息: the contract interest of an installment."""


NAMES_ZH = {
    ChargedComponent.PENALTY: "罚息",
    ChargedComponent.COMPOUND: "复利",
    ChargedComponent.FEE: "手续费",
    ChargedComponent.LATE_FEE: "违约金",
    ChargedComponent.INTEREST: "利息",
}
ACCRUED = {
    ChargedComponent.PENALTY: Component.PENALTY,
    ChargedComponent.COMPOUND: Component.COMPOUND,
}
"""The disputed kinds that accrue day by day, and the ledger component each is."""
FEE_KINDS = {ChargedComponent.FEE: ChargeKind.FEE, ChargedComponent.LATE_FEE: ChargeKind.LATE_FEE}
"""The disputed kinds that are contractual charges, and the kind of charge each is."""


@dataclass(frozen=True, slots=True)
class ChargedItem:
    """One amount the bank actually charged on an installment, as the customer's bill shows it.

    ``first_day`` and ``last_day`` (both included) restrict the comparison to the days the bill
    covers, when it says: for penalty and compound interest, the days of accrual; for a fee, the
    day(s) it was put on the loan. ``markup`` is the penalty markup the bank says it applied, if
    known; otherwise it is inferred from the amount (:func:`infer_markup`).
    """

    installment: int
    component: ChargedComponent
    amount: Fen
    first_day: date | None = None
    last_day: date | None = None
    markup: Decimal | None = None

    def __post_init__(self) -> None:
        if self.installment < 1:
            raise InvalidInput("charged.installment", "must be at least 1")
        if self.amount < 0:
            raise InvalidInput("charged.amount", "cannot be negative")
        if self.first_day and self.last_day and self.first_day > self.last_day:
            raise InvalidInput("charged.first_day", "is after last_day")
        if self.markup is not None and not Decimal(0) <= self.markup <= MAX_INFERRED_MARKUP:
            raise InvalidInput("charged.markup", "must be between 0 and 300 %")
