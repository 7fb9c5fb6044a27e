"""Negotiation case I/O: what the API takes to open and act on a case, and the engine's answer.

Money is a decimal string in yuan. The published JSON Schemas are generated from these models
(``docs/negotiation-schemas/``); the case input itself is ``case_input.py``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field, computed_field

from xieshang.domain import agreement
from xieshang.domain.allocation import Component
from xieshang.domain.money import to_yuan, yuan
from xieshang.domain.restructure import Debt
from xieshang.kit.schemas import Yuan
from xieshang.loans.loanfile import parse_terms, terms_file
from xieshang.loans.schemas import ScheduleRead
from xieshang.negotiations.case_input import FinancesIn, RequestIn, _In


class ReasonRead(BaseModel):
    code: str
    params: dict[str, str]
    text_zh: str
    text_en: str


class CheckRead(BaseModel):
    code: str
    passed: bool
    params: dict[str, str]


class ConcessionsRead(BaseModel):
    waived: str
    extension_months: int
    rate_reduction: str
    forbearance_share: str
    interest_suspended: bool
    settlement_share: str | None
    forgiven: str
    forborne: str
    interest_forgone: str


class InstallationRead(BaseModel):
    """What accepting the offer puts on the loan: the debt at the offer's date by component, the new
    terms (loan-file format), what is forgiven only if the agreement is kept, principal set aside
    interest-free, and arrears carried into the first installment."""

    debt: dict[str, str]
    terms: dict[str, Any]
    conditional: dict[str, str]
    forborne: str
    carried: str
    credited: str = Field(
        default="0.00", description="what the contract charged beyond the law, taken off the debt"
    )

    @classmethod
    def from_installation(cls, plan: agreement.Installation) -> InstallationRead:
        return cls(
            debt={c.value: to_yuan(plan.debt.part(c)) for c in Component},
            terms=terms_file(plan.terms),
            conditional={c.value: to_yuan(v) for c, v in plan.conditional.items()},
            forborne=to_yuan(plan.forborne),
            carried=to_yuan(plan.carried),
            credited=to_yuan(plan.credited),
        )

    def to_installation(self) -> agreement.Installation:
        """The domain value again; its schedule is rebuilt from the terms (raises if the stored
        figures no longer conserve the debt)."""
        terms, _ = parse_terms(self.terms)
        forborne = yuan(self.forborne)
        return agreement.Installation(
            debt=Debt(**{c: yuan(v) for c, v in self.debt.items()}),
            terms=terms,
            schedule=agreement.rebuild(terms, forborne),
            conditional={Component(c): yuan(v) for c, v in self.conditional.items()},
            forborne=forborne,
            carried=yuan(self.carried),
            credited=yuan(self.credited),
        )


class PaymentPhase(BaseModel):
    """Consecutive payments of the same amount: a grace period, the regular payment, a final
    payment that differs."""

    count: int
    payment: str
    first_due: date
    last_due: date


class OfferRead(BaseModel):
    id: str
    type: str
    monthly_payment: str
    term_months: int
    apr: str
    total_cost: str
    npv: str
    due_at_signing: str
    concessions: ConcessionsRead
    approval: Literal["automatic", "agent", "supervisor"]
    checks: list[CheckRead]
    schedule: ScheduleRead | None
    reasons: list[ReasonRead]
    installation: InstallationRead | None = None

    @computed_field(description="the payments in runs of the same amount, in order")  # type: ignore[prop-decorator]
    @property
    def phases(self) -> list[PaymentPhase]:
        phases: list[PaymentPhase] = []
        for row in self.schedule.installments if self.schedule else []:
            last = phases[-1] if phases else None
            if last is not None and last.payment == row.payment:
                last.count += 1
                last.last_due = row.due_date
            else:
                phases.append(PaymentPhase(count=1, payment=row.payment, first_due=row.due_date,
                                           last_due=row.due_date))  # fmt: skip
        return phases

    @computed_field(description="everything the customer pays: at signing and every payment")  # type: ignore[prop-decorator]
    @property
    def total_repaid(self) -> str:
        scheduled = yuan(self.schedule.total_payment) if self.schedule else 0
        return to_yuan(scheduled + yuan(self.due_at_signing))


class CounterOfferRead(BaseModel):
    """The engine's answer to the customer's own proposal. ``accepted``: the engine can agree it, at
    the level ``approval`` names. Otherwise the figures are what the engine can do instead (with
    that plan's ``approval``), or the proposal as priced when it can do nothing (``approval`` null).
    ``offer`` is the named plan as the engine would offer it: checks, NPV, concessions."""

    accepted: bool
    monthly_payment: str
    months: int
    schedule: ScheduleRead | None
    reasons: list[ReasonRead]
    approval: Literal["automatic", "agent", "supervisor"] | None = None
    offer: OfferRead | None = None


class AssessmentRead(BaseModel):
    days_past_due: int
    installment: str
    remaining_months: int
    debt: dict[str, str]
    income: str
    disposable: str
    target_payment: str
    willingness: int
    moral_hazard: list[ReasonRead]


class BaselineRead(BaseModel):
    npv: str


class DisputeLineRead(BaseModel):
    installment: int
    component: str
    charged: str
    lawful: str
    difference: str
    refund: str
    verdict: str
    reasons: list[ReasonRead]
    formula: list[str]
    formula_en: list[str] = Field(default_factory=list, description="the formula in English")


class DisputeRead(BaseModel):
    refund_due: str
    undercharged: str
    lawful_markup: str
    all_in_apr: str | None
    lines: list[DisputeLineRead]
    compliance_flags: list[ReasonRead]


class ApplicationRead(BaseModel):
    score: int
    probability_of_default: str
    approved: bool
    amount: str
    annual_rate: str
    months: int
    monthly_payment: str
    apr: str
    schedule: ScheduleRead | None


class EvaluationRead(BaseModel):
    scenario: str = "hardship"
    policy_version: str
    policy_digest: str
    as_of: date
    assessment: AssessmentRead | None
    baseline: BaselineRead | None
    offers: list[OfferRead]
    counter_offer: CounterOfferRead | None
    dispute: DisputeRead | None = None
    application: ApplicationRead | None = None
    reasons: list[ReasonRead]

    def stored(self) -> str:
        """The JSON an evaluation is kept as: without what each offer derives on reading (its
        phases and total repaid), so nothing stored can disagree with its schedule."""
        derived = {"phases", "total_repaid"}
        return self.model_dump_json(
            exclude={"offers": {"__all__": derived}, "counter_offer": {"offer": derived}}
        )


class NegotiationCreate(_In):
    """Open a negotiation on a loan: the customer's finances and request. The loan and the record of
    payments come from the bank's own books."""

    loan_id: int = Field(ge=1, le=2**62)
    as_of: date | None = Field(default=None, description="default: today")
    finances: FinancesIn
    new_debts_recent: int = Field(
        default=0, ge=0, le=100, description="new debts in the last 6 months"
    )
    request: RequestIn


class CaseOfferRead(BaseModel):
    """An offer made on a case, where it stands, and until when it may be accepted."""

    id: int = Field(description="the id to approve, reject or accept it by")
    key: str = Field(
        description="the engine's name for it: plan, grace, settlement, due_date, adjusted"
    )
    status: str
    approval: Literal["automatic", "agent", "supervisor"]
    proposed_by: int | None
    decided_by: int | None
    decision_note: str
    expires_on: date
    offer: OfferRead


class AgreementRead(BaseModel):
    id: int
    case_id: int
    loan_id: int
    offer_id: int
    kind: str
    status: str
    start_date: date
    conditional: str
    reinstated: str
    days_late: int
    observation_until: date | None
    broken_on: date | None
    completed_on: date | None
    consented_at: datetime
    consent_channel: str
    terms_sha256: str


class NegotiationRead(BaseModel):
    id: int
    loan_id: int
    customer_id: int
    scenario: str
    status: str
    created_at: datetime
    evaluated_at: datetime
    evaluation: EvaluationRead
    offers: list[CaseOfferRead] = Field(
        default_factory=list, description="offers still open or decided on this case, newest first"
    )
    agreement: AgreementRead | None = None
    callback_due: date | None = Field(
        default=None,
        description="the day by which a person will contact the customer, as promised in the"
        " answer; null once a contact with them has been recorded",
    )


class NegotiationPage(BaseModel):
    items: list[NegotiationRead]
    total: int
    page: int
    page_size: int


class DecisionIn(_In):
    note: str = Field(default="", max_length=500)


class RejectIn(_In):
    note: str = Field(min_length=1, max_length=500, description="why: the customer is told")


class AdjustIn(_In):
    """A plan shaped by a person; the engine re-checks it before it can be offered."""

    months: int = Field(ge=1, le=600)
    annual_rate: str = Field(description="e.g. 0.06 for 6 % a year", max_length=24)
    waive: bool = Field(
        default=False, description="waive penalty, compound interest and fees on condition"
    )
    forbear: Yuan = Field(default="0", description="principal set aside interest-free to the end")
    grace_months: int = Field(default=0, ge=0, le=24, description="interest-only months first")
    note: str = Field(default="", max_length=500)


EscalationReason = Literal[
    "outside_authority", "suspected_fraud", "vulnerable_customer", "complaint_open", "other"
]
ESCALATION_REASONS: tuple[str, ...] = get_args(EscalationReason)


class EscalateIn(_In):
    """An agent sends an offer up to a supervisor, saying why (staff only: the customer sees the
    offer wait for approval, never the reason)."""

    reason: EscalationReason
    note: str = Field(default="", max_length=500, description="what the supervisor should know")


class DeclineIn(_In):
    note: str = Field(default="", max_length=500)


class CounterIn(_In):
    monthly_payment: Yuan | None = None
    months: int | None = Field(default=None, ge=1, le=600)


class ChargeLineRead(BaseModel):
    """An amount the bank has charged on an installment that a customer may dispute."""

    key: str = Field(description="installment:component, to choose it")
    installment: int
    component: Literal["penalty", "compound", "fee", "late_fee"]
    amount: str
    first_day: date | None
    last_day: date | None
