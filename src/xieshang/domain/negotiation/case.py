"""What a negotiation is about: the loan, the customer's finances and history, and the request."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from xieshang.domain.calendar import add_months
from xieshang.domain.errors import InvalidInput
from xieshang.domain.loan import Loan
from xieshang.domain.money import Fen


class Scenario(enum.StrEnum):
    HARDSHIP = "hardship"
    """Overdue repayment, or about to be: a customer who cannot pay as contracted (逾期还款)."""
    CHARGE_DISPUTE = "charge_dispute"
    APPLICATION = "application"


class Hardship(enum.StrEnum):
    """Why the customer cannot pay; temporary hardships favour a grace period."""

    INCOME_DROP_TEMPORARY = "income_drop_temporary"
    JOB_LOSS = "job_loss"
    ILLNESS = "illness"
    DISASTER = "disaster"
    BEREAVEMENT = "bereavement"
    BUSINESS_DOWNTURN = "business_downturn"
    FAMILY = "family"
    OVER_INDEBTED = "over_indebted"
    OTHER = "other"

    @property
    def temporary(self) -> bool:
        """Expected to pass (a job is found again, an illness treated) unless the customer says it
        will last."""
        return self in _TEMPORARY


_TEMPORARY = frozenset(
    {
        Hardship.INCOME_DROP_TEMPORARY,
        Hardship.JOB_LOSS,
        Hardship.ILLNESS,
        Hardship.DISASTER,
        Hardship.BEREAVEMENT,
    }
)


class Vulnerability(enum.StrEnum):
    """Circumstances that call for particular care, whatever the hardship."""

    SERIOUS_ILLNESS = "serious_illness"
    DISABILITY = "disability"
    BEREAVEMENT = "bereavement"
    DISASTER = "disaster"
    ELDERLY = "elderly"
    MENTAL_HEALTH = "mental_health"


@dataclass(frozen=True)
class Finances:
    """Monthly figures in fen. ``verified_income`` is evidenced (payslips, statements); the rest stated."""

    verified_income: Fen
    stated_income: Fen
    essential_expenses: Fen
    other_debt_service: Fen
    lump_sum_available: Fen = 0
    dependants: int = 0
    """People the customer supports (children, parents): each needs at least the policy's
    essentials per person."""

    def __post_init__(self) -> None:
        for name in (
            "verified_income",
            "stated_income",
            "essential_expenses",
            "other_debt_service",
            "lump_sum_available",
        ):
            if getattr(self, name) < 0:
                raise InvalidInput(f"finances.{name}", "cannot be negative")
        if not 0 <= self.dependants <= 20:
            raise InvalidInput("finances.dependants", "must be between 0 and 20")


@dataclass(frozen=True)
class History:
    """The customer's record with the bank."""

    tenure_months: int
    installments_due: int
    installments_on_time: int
    plans_kept: int = 0
    plans_broken: int = 0
    months_since_last_plan: int | None = None
    months_since_broken_plan: int | None = None
    new_debts_recent: int = 0
    contact_response_rate: float = 1.0

    def __post_init__(self) -> None:
        if self.tenure_months < 0 or self.installments_due < 0:
            raise InvalidInput("history", "counts cannot be negative")
        if not 0 <= self.installments_on_time <= self.installments_due:
            raise InvalidInput(
                "history.installments_on_time", "must be between 0 and installments_due"
            )
        if not 0.0 <= self.contact_response_rate <= 1.0:
            raise InvalidInput("history.contact_response_rate", "must be between 0 and 1")


@dataclass(frozen=True)
class Proposal:
    """The customer's own proposal: a monthly amount, a number of months, or both."""

    monthly_payment: Fen | None = None
    months: int | None = None

    def __post_init__(self) -> None:
        if self.monthly_payment is not None and self.monthly_payment <= 0:
            raise InvalidInput("proposal.monthly_payment", "must be more than zero")
        if self.months is not None and not 1 <= self.months <= 600:
            raise InvalidInput("proposal.months", "must be between 1 and 600")


@dataclass(frozen=True)
class Request:
    scenario: Scenario
    hardship: Hardship = Hardship.OTHER
    proposal: Proposal | None = None
    preferred_due_day: int | None = None
    lasting: bool = False
    """The customer says the hardship will last (a job loss with no prospect of work)."""
    vulnerability: tuple[Vulnerability, ...] = ()

    @property
    def temporary(self) -> bool:
        return self.hardship.temporary and not self.lasting

    def __post_init__(self) -> None:
        if self.preferred_due_day is not None and not 1 <= self.preferred_due_day <= 28:
            raise InvalidInput("request.preferred_due_day", "must be between 1 and 28")


YEARS_AFTER_MATURITY = 10
"""How long after its last due date a loan may still be negotiated: well beyond the three-year
limitation period (民法典 第一百八十八条), so a date past it is a typing error, not a case."""


MAX_OTHER_LOANS = 20


@dataclass(frozen=True)
class Case:
    loan: Loan
    finances: Finances
    history: History
    request: Request
    as_of: date
    product_kind: str = "consumer_installment"
    """The loan's product kind, whose size limit the policy sets."""
    other_loans: tuple[Loan, ...] = ()
    """The customer's other loans with the bank: one affordability budget is shared across them
    all and this loan, so three loans never get three budgets."""

    def __post_init__(self) -> None:
        if len(self.other_loans) > MAX_OTHER_LOANS:
            raise InvalidInput("other_loans", f"at most {MAX_OTHER_LOANS} loans share one budget")
        start = self.loan.schedule.start_date
        last = self.loan.schedule.installments[-1].due_date
        latest = add_months(last, 12 * YEARS_AFTER_MATURITY)
        if not start <= self.as_of <= latest:
            raise InvalidInput("as_of", f"must be between the loan's start ({start}) and {latest}")
