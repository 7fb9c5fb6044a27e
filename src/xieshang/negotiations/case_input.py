"""The negotiation case as a CLI user or API client sends it, read into the engine's domain objects.

Money is a decimal string in yuan; the loan is described as in ``docs/loan-file.md``. The published
JSON Schemas are generated from these models (``docs/negotiation-schemas/``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from xieshang.domain.disputes import ChargedComponent, ChargedItem
from xieshang.domain.errors import InvalidInput
from xieshang.domain.loan import Loan
from xieshang.domain.money import yuan
from xieshang.domain.negotiation import case as domain
from xieshang.domain.negotiation.application import Application
from xieshang.kit.schemas import Yuan
from xieshang.loans.loanfile import parse_loan

_Q = Decimal("0.0001")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class FinancesIn(_In):
    verified_income: Yuan = Field(description="monthly income evidenced by payslips or statements")
    stated_income: Yuan = Field(description="monthly income the customer states (≥ verified)")
    essential_expenses: Yuan
    other_debt_service: Yuan = Field(
        description="monthly payments on debts with other lenders (the bank's own loans are the"
        " case's other_loans)"
    )
    lump_sum_available: Yuan = "0"
    dependants: int = Field(default=0, ge=0, le=20, description="people the customer supports")


class HistoryIn(_In):
    tenure_months: int = Field(ge=0, le=1200)
    installments_due: int = Field(ge=0, le=10_000)
    installments_on_time: int = Field(ge=0, le=10_000)
    plans_kept: int = Field(default=0, ge=0, le=100)
    plans_broken: int = Field(default=0, ge=0, le=100)
    months_since_last_plan: int | None = Field(default=None, ge=0, le=1200)
    months_since_broken_plan: int | None = Field(default=None, ge=0, le=1200)
    new_debts_recent: int = Field(default=0, ge=0, le=100)
    contact_response_rate: float = Field(default=1.0, ge=0, le=1)


class ProposalIn(_In):
    monthly_payment: Yuan | None = None
    months: int | None = Field(default=None, ge=1, le=600)


class ChargedIn(_In):
    """An amount the bank charged that the customer disputes (charge_dispute)."""

    installment: int = Field(ge=1, le=600)
    component: ChargedComponent
    amount: Yuan
    first_day: date | None = None
    last_day: date | None = None
    markup: str | None = Field(
        default=None, pattern=r"^\d(\.\d{1,4})?$", description="if the bill states it"
    )


class RequestIn(_In):
    scenario: Literal["hardship", "charge_dispute", "application"] = "hardship"
    hardship: domain.Hardship = domain.Hardship.OTHER
    proposal: ProposalIn | None = None
    preferred_due_day: int | None = Field(default=None, ge=1, le=28)
    lasting: bool = Field(default=False, description="the customer says the hardship will last")
    vulnerability: list[domain.Vulnerability] = Field(default_factory=list, max_length=6)
    charged: list[ChargedIn] = Field(default_factory=list, max_length=200)


class ApplicationIn(_In):
    """The application to adjust (scenario application): scorecard attributes and what was asked."""

    applicant: dict[str, str | int] = Field(
        description="the scorecard's attributes (docs/credit-scorecard.md)"
    )
    requested_amount: Yuan
    requested_months: int = Field(ge=1, le=600)


class CaseIn(_In):
    as_of: date
    product_kind: Literal["consumer_installment", "revolving_line", "working_capital"] = Field(
        default="consumer_installment", description="the loan's product kind (its size limit)"
    )
    loan: dict[str, Any] | None = Field(
        default=None, description="the loan, as in docs/loan-file.md"
    )
    other_loans: list[dict[str, Any]] = Field(
        default_factory=list,
        max_length=domain.MAX_OTHER_LOANS,
        description="the customer's other loans with the bank, as in docs/loan-file.md: one"
        " affordability budget is shared across them and this loan",
    )
    finances: FinancesIn
    history: HistoryIn | None = None
    request: RequestIn
    application: ApplicationIn | None = None


def parse_input(data: object) -> CaseIn:
    try:
        case = CaseIn.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "case"
        raise InvalidInput(where, str(first["msg"])) from None
    scenario = case.request.scenario
    if scenario == "application" and case.application is None:
        raise InvalidInput("application", "is required for scenario application")
    if scenario != "application" and case.loan is None:
        raise InvalidInput("loan", f"is required for scenario {scenario}")
    if scenario == "hardship" and case.history is None:
        raise InvalidInput("history", "is required for scenario hardship")
    if scenario == "charge_dispute" and not case.request.charged:
        raise InvalidInput("request.charged", "list the disputed charges")
    return case


def parse_case(data: object) -> domain.Case:
    """JSON data → the engine's hardship Case; any problem is an InvalidInput naming the field."""
    case = parse_input(data)
    if case.request.scenario != "hardship" or case.loan is None or case.history is None:
        raise InvalidInput(
            "request.scenario", "a hardship case needs scenario hardship, a loan and a history"
        )
    loan = _loan(case.loan)
    r = case.request
    proposal = None
    if r.proposal is not None:
        proposal = domain.Proposal(
            monthly_payment=_fen(r.proposal.monthly_payment, "request.proposal.monthly_payment"),
            months=r.proposal.months,
        )
    return domain.Case(
        loan=loan,
        finances=finances(case.finances),
        history=domain.History(**case.history.model_dump()),
        request=domain.Request(
            scenario=domain.Scenario(r.scenario),
            hardship=r.hardship,
            proposal=proposal,
            preferred_due_day=r.preferred_due_day,
            lasting=r.lasting,
            vulnerability=tuple(dict.fromkeys(r.vulnerability)),
        ),
        as_of=case.as_of,
        product_kind=case.product_kind,
        other_loans=tuple(
            _loan(other, f"other_loans[{i}]") for i, other in enumerate(case.other_loans)
        ),
    )


def _loan(data: dict[str, Any], where: str = "loan") -> Loan:
    try:
        return parse_loan(data)
    except InvalidInput as error:
        raise InvalidInput(f"{where}.{error.field}", error.problem) from None


def finances(f: FinancesIn) -> domain.Finances:
    return domain.Finances(
        verified_income=yuan(f.verified_income, "finances.verified_income"),
        stated_income=max(yuan(f.stated_income, "finances.stated_income"), yuan(f.verified_income)),
        essential_expenses=yuan(f.essential_expenses, "finances.essential_expenses"),
        other_debt_service=yuan(f.other_debt_service, "finances.other_debt_service"),
        lump_sum_available=yuan(f.lump_sum_available, "finances.lump_sum_available"),
        dependants=f.dependants,
    )


def dispute_input(case: CaseIn) -> tuple[Loan, list[ChargedItem]]:
    assert case.loan is not None
    items = [
        ChargedItem(
            installment=c.installment,
            component=c.component,
            amount=yuan(c.amount, f"request.charged[{i}].amount"),
            first_day=c.first_day,
            last_day=c.last_day,
            markup=Decimal(c.markup) if c.markup is not None else None,
        )
        for i, c in enumerate(case.request.charged)
    ]
    return _loan(case.loan), items


def application_input(case: CaseIn) -> Application:
    assert case.application is not None
    a = case.application
    return Application(
        applicant=a.applicant,
        requested_amount=yuan(a.requested_amount, "application.requested_amount"),
        requested_months=a.requested_months,
        finances=finances(case.finances),
        as_of=case.as_of,
    )


def _fen(value: str | None, field: str) -> int | None:
    return None if value is None else yuan(value, field)
