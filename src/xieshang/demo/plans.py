"""What the demo portfolio is made of: its three products, the states a loan is built to be in as of
the demo's date, and the plan of each loan (product, amount, term, start, the installment missed)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from xieshang.domain.money import Fen
from xieshang.loans.schemas import ProductCreate


class LoanState(enum.StrEnum):
    CURRENT = "current"
    DPD_1_30 = "dpd_1_30"
    DPD_31_90 = "dpd_31_90"
    DPD_90_PLUS = "dpd_90_plus"
    """More than 90 days past due (次级 and worse)."""
    PAID_OFF = "paid_off"


DPD_RANGES = {
    LoanState.DPD_1_30: (1, 30),
    LoanState.DPD_31_90: (31, 90),
    LoanState.DPD_90_PLUS: (91, 420),
}
STATE_WEIGHTS = {
    LoanState.CURRENT: 45,
    LoanState.DPD_1_30: 14,
    LoanState.DPD_31_90: 9,
    LoanState.DPD_90_PLUS: 10,
    LoanState.PAID_OFF: 22,
}


@dataclass(frozen=True)
class Product:
    create: ProductCreate
    months: tuple[int, ...]
    matured_months: int
    """The term of loans that already ran to maturity (short, so histories stay short)."""
    rates: tuple[str, ...]
    principal: tuple[int, int, int]
    """Smallest, largest and step, in yuan."""
    weight: int


CONSUMER = Product(
    ProductCreate(
        code="XS-CONSUMER",
        name_zh="个人消费分期贷款",
        name_en="Consumer installment loan",
        kind="consumer_installment",
        method="equal_installment",
        penalty_markup="0.5",
        grace_days=3,
    ),
    months=(12, 24, 36),
    matured_months=12,
    rates=("7.2%", "8.4%", "9.6%", "10.8%", "12%", "13.5%", "15%", "16.2%", "18%"),
    principal=(10_000, 200_000, 1_000),
    weight=55,
)
REVOLVING = Product(
    ProductCreate(
        code="XS-CREDITLINE",
        name_zh="个人循环信用额度（按日计息）",
        name_en="Revolving credit line",
        kind="revolving_line",
        method="interest_first",
        interest_basis="days",
        day_count="actual/360",
        penalty_markup="0.5",
    ),
    months=(6, 12),
    matured_months=6,
    rates=("18%",),  # 日利率万分之五 (0.05 % a day) × 360
    principal=(3_000, 50_000, 500),
    weight=30,
)
WORKING_CAPITAL = Product(
    ProductCreate(
        code="XS-SME-WC",
        name_zh="小微企业流动资金贷款",
        name_en="Small-business working-capital loan",
        kind="working_capital",
        method="equal_principal",
        penalty_markup="0.3",
    ),
    months=(12,),
    matured_months=12,
    rates=("6%", "6.5%", "7%", "7.5%", "8%", "8.5%", "9%"),
    principal=(100_000, 1_000_000, 10_000),
    weight=15,
)
PRODUCTS = (CONSUMER, REVOLVING, WORKING_CAPITAL)


@dataclass(frozen=True)
class LoanPlan:
    state: LoanState
    product: Product
    principal: int
    rate: str
    months: int
    start: date
    missed_due: date | None = None
    """Overdue loans: the due date of the oldest installment left unpaid."""
    early_payoff: bool = False
    restructured: bool = False


@dataclass(frozen=True)
class Due:
    number: int
    due_date: date
    amount: Fen


def state_of(days_past_due: int) -> LoanState:
    """The demo's state of an active loan with this many days past due."""
    if days_past_due == 0:
        return LoanState.CURRENT
    for state, (_first, last) in DPD_RANGES.items():
        if days_past_due <= last or state is LoanState.DPD_90_PLUS:
            return state
    raise AssertionError("unreachable")
