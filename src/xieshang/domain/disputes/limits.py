"""The legal limits a disputed charge is checked against, and the compliance flags a breach raises."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from xieshang.domain.disputes.markup import markup_text
from xieshang.domain.errors import InvalidInput
from xieshang.domain.negotiation.reasons import Reason


class FlagKind(enum.StrEnum):
    """Why a finding goes to compliance."""

    PENALTY_MARKUP_OUT_OF_RANGE = "penalty_markup_out_of_range"
    INTEREST_ON_FEES = "interest_on_fees"
    TOTAL_COST_ABOVE_CAP = "total_cost_above_cap"


@dataclass(frozen=True, slots=True)
class DisputeLimits:
    """The legal limits a charge is checked against; the bank's policy document supplies them.

    - ``penalty_markup_min`` / ``penalty_markup_max``: penalty interest on overdue loans is the
      contract rate plus 30–50 % (《中国人民银行关于人民币贷款利率有关问题的通知》银发〔2003〕251号
      第三条); compound interest on unpaid interest runs at the same penalty rate.
    - ``apr_cap``: a court reduces the part of interest, compound interest, penalty interest, 违约金
      and other fees that together exceed 24 % a year when the borrower asks
      (《最高人民法院关于进一步加强金融审判工作的若干意见》法发〔2017〕22号 第2条); measured as an
      annualised rate by IRR (中国人民银行公告〔2021〕第3号).
    - ``interest_on_fees_allowed``: interest may not accrue on 违约金 or fees (银发〔2016〕111号).
    """

    penalty_markup_min: Decimal = Decimal("0.30")
    penalty_markup_max: Decimal = Decimal("0.50")
    apr_cap: Decimal = Decimal("0.24")
    interest_on_fees_allowed: bool = False

    def __post_init__(self) -> None:
        if not Decimal(0) <= self.penalty_markup_min <= self.penalty_markup_max <= 1:
            raise InvalidInput(
                "penalty_markup", "must satisfy 0 ≤ minimum ≤ maximum ≤ 100 % of the contract rate"
            )
        if not Decimal(0) < self.apr_cap <= 10:
            raise InvalidInput("apr_cap", "must be more than 0 and at most 1 000 % a year")


@dataclass(frozen=True, slots=True)
class ComplianceFlag:
    kind: FlagKind
    reason: Reason


def markup_flag(markup: Decimal, limits: DisputeLimits) -> ComplianceFlag | None:
    """The flag for a penalty markup outside the legal range (银发〔2003〕251号 第三条), if it is."""
    if markup > limits.penalty_markup_max:
        code, name, bound = "DISPUTE_PENALTY_MARKUP_ABOVE_MAX", "max", limits.penalty_markup_max
    elif markup < limits.penalty_markup_min:
        code, name, bound = "DISPUTE_PENALTY_MARKUP_BELOW_MIN", "min", limits.penalty_markup_min
    else:
        return None
    params = {"charged_markup": markup_text(markup), name: markup_text(bound)}
    return ComplianceFlag(FlagKind.PENALTY_MARKUP_OUT_OF_RANGE, Reason(code, params))
