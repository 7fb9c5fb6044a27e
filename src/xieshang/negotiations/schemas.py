"""Negotiation case I/O: the JSON a CLI user or API client sends, and the engine's answer.

Money is a decimal string in yuan; the loan is described as in ``docs/loan-file.md``. The published
JSON Schemas are generated from these models (``docs/negotiation-schemas/``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from xieshang.domain import agreement
from xieshang.domain.allocation import Component
from xieshang.domain.disputes import ChargedComponent, ChargedItem, DisputeFinding
from xieshang.domain.errors import InvalidInput
from xieshang.domain.loan import Loan
from xieshang.domain.money import to_yuan, yuan
from xieshang.domain.negotiation import case as domain
from xieshang.domain.negotiation.application import Application, ApplicationDecision
from xieshang.domain.negotiation.engine import CounterOffer, Evaluation, Offer
from xieshang.domain.negotiation.policy import Policy
from xieshang.domain.negotiation.reasons import Reason
from xieshang.domain.restructure import Debt
from xieshang.kit.schemas import Yuan
from xieshang.loans.loanfile import parse_loan, parse_terms, terms_file
from xieshang.loans.schemas import ScheduleRead

_Q = Decimal("0.0001")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class FinancesIn(_In):
    verified_income: Yuan = Field(description="monthly income evidenced by payslips or statements")
    stated_income: Yuan = Field(description="monthly income the customer states (≥ verified)")
    essential_expenses: Yuan
    other_debt_service: Yuan = Field(description="monthly payments on other debts")
    lump_sum_available: Yuan = "0"


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
    loan: dict[str, Any] | None = Field(
        default=None, description="the loan, as in docs/loan-file.md"
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
        ),
        as_of=case.as_of,
    )


def _loan(data: dict[str, Any]) -> Loan:
    try:
        return parse_loan(data)
    except InvalidInput as error:
        raise InvalidInput(f"loan.{error.field}", error.problem) from None


def finances(f: FinancesIn) -> domain.Finances:
    return domain.Finances(
        verified_income=yuan(f.verified_income, "finances.verified_income"),
        stated_income=max(yuan(f.stated_income, "finances.stated_income"), yuan(f.verified_income)),
        essential_expenses=yuan(f.essential_expenses, "finances.essential_expenses"),
        other_debt_service=yuan(f.other_debt_service, "finances.other_debt_service"),
        lump_sum_available=yuan(f.lump_sum_available, "finances.lump_sum_available"),
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

    @classmethod
    def from_installation(cls, plan: agreement.Installation) -> InstallationRead:
        return cls(
            debt={c.value: to_yuan(plan.debt.part(c)) for c in Component},
            terms=terms_file(plan.terms),
            conditional={c.value: to_yuan(v) for c, v in plan.conditional.items()},
            forborne=to_yuan(plan.forborne),
            carried=to_yuan(plan.carried),
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
        )


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


class CounterOfferRead(BaseModel):
    accepted: bool
    monthly_payment: str
    months: int
    schedule: ScheduleRead | None
    reasons: list[ReasonRead]


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

    @classmethod
    def from_evaluation(cls, result: Evaluation, policy: Policy) -> EvaluationRead:
        def reasons(items: tuple[Reason, ...]) -> list[ReasonRead]:
            return render(items, policy)

        a = result.assessment
        return cls(
            policy_version=result.policy_version,
            policy_digest=result.policy_digest,
            as_of=result.as_of,
            assessment=AssessmentRead(
                days_past_due=a.days_past_due,
                installment=to_yuan(a.installment),
                remaining_months=a.remaining_months,
                debt={
                    "principal": to_yuan(a.debt.principal),
                    "interest": to_yuan(a.debt.interest),
                    "penalty": to_yuan(a.debt.penalty),
                    "compound": to_yuan(a.debt.compound),
                    "fee": to_yuan(a.debt.fee),
                    "total": to_yuan(a.debt.total),
                },
                income=to_yuan(a.income),
                disposable=to_yuan(a.disposable),
                target_payment=to_yuan(a.target_payment),
                willingness=a.willingness,
                moral_hazard=reasons(a.flags),
            ),
            baseline=BaselineRead(npv=to_yuan(result.baseline_npv)),
            offers=[_offer(o, reasons) for o in result.offers],
            counter_offer=_counter(result.counter_offer, reasons),
            reasons=reasons(result.reasons),
        )


def render(items: Sequence[Reason], policy: Policy) -> list[ReasonRead]:
    out = []
    for r in items:
        zh, en = r.render(policy.reasons)
        out.append(ReasonRead(code=r.code, params=dict(r.params), text_zh=zh, text_en=en))
    return out


def dispute_read(finding: DisputeFinding, policy: Policy, as_of: date) -> EvaluationRead:
    lines = [
        DisputeLineRead(
            installment=line.item.installment,
            component=line.item.component.value,
            charged=to_yuan(line.charged),
            lawful=to_yuan(line.lawful),
            difference=to_yuan(line.difference),
            refund=to_yuan(line.refund),
            verdict=line.verdict.value,
            reasons=render((line.reason, *line.causes), policy),
            formula=[f.formula_zh for f in line.formula],
            formula_en=[f.formula_en for f in line.formula],
        )
        for line in finding.lines
    ]
    summary = [line.reason for line in finding.lines] + [flag.reason for flag in finding.flags]
    return EvaluationRead(
        scenario="charge_dispute",
        policy_version=policy.version,
        policy_digest=policy.digest,
        as_of=as_of,
        assessment=None,
        baseline=None,
        offers=[],
        counter_offer=None,
        dispute=DisputeRead(
            refund_due=to_yuan(finding.refund_due),
            undercharged=to_yuan(finding.undercharged),
            lawful_markup=str(finding.lawful_markup),
            all_in_apr=str(finding.all_in_apr) if finding.all_in_apr is not None else None,
            lines=lines,
            compliance_flags=render([flag.reason for flag in finding.flags], policy),
        ),
        reasons=render(summary, policy),
    )


def application_read(decision: ApplicationDecision, policy: Policy, as_of: date) -> EvaluationRead:
    return EvaluationRead(
        scenario="application",
        policy_version=policy.version,
        policy_digest=policy.digest,
        as_of=as_of,
        assessment=None,
        baseline=None,
        offers=[],
        counter_offer=None,
        application=ApplicationRead(
            score=decision.score,
            probability_of_default=f"{decision.probability_of_default:.4f}",
            approved=decision.approved,
            amount=to_yuan(decision.amount),
            annual_rate=str(decision.annual_rate),
            months=decision.months,
            monthly_payment=to_yuan(decision.monthly_payment),
            apr=str(decision.apr),
            schedule=ScheduleRead.from_schedule(decision.schedule) if decision.schedule else None,
        ),
        reasons=render(decision.reasons, policy),
    )


def offer_read(o: Offer, policy: Policy) -> OfferRead:
    return _offer(o, lambda items: render(items, policy))


def _offer(o: Offer, reasons: Any) -> OfferRead:
    c = o.concessions
    return OfferRead(
        id=o.id,
        type=o.type,
        monthly_payment=to_yuan(o.monthly_payment),
        term_months=o.term_months,
        apr=str(o.apr),
        total_cost=to_yuan(o.total_cost),
        npv=to_yuan(o.npv),
        due_at_signing=to_yuan(o.due_at_signing),
        concessions=ConcessionsRead(
            waived=to_yuan(c.waived),
            extension_months=c.extension_months,
            rate_reduction=str(c.rate_reduction),
            forbearance_share=str(c.forbearance_share.quantize(_Q)),
            interest_suspended=c.interest_suspended,
            settlement_share=str(c.settlement_share.quantize(_Q))
            if c.settlement_share is not None
            else None,
            forgiven=to_yuan(c.forgiven),
            forborne=to_yuan(c.forborne),
            interest_forgone=to_yuan(c.interest_forgone),
        ),
        approval=o.approval,  # type: ignore[arg-type]
        checks=[CheckRead(code=k.code, passed=k.passed, params=k.params) for k in o.checks],
        schedule=ScheduleRead.from_schedule(o.schedule) if o.schedule else None,
        reasons=reasons(o.reasons),
        installation=InstallationRead.from_installation(o.installation) if o.installation else None,
    )


def _counter(c: CounterOffer | None, reasons: Any) -> CounterOfferRead | None:
    if c is None:
        return None
    return CounterOfferRead(
        accepted=c.accepted,
        monthly_payment=to_yuan(c.monthly_payment),
        months=c.months,
        schedule=ScheduleRead.from_schedule(c.schedule) if c.schedule else None,
        reasons=reasons(c.reasons),
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


class TermsRead(BaseModel):
    """The full terms of an offer as the customer reads them before consenting."""

    offer_id: int
    language: Literal["zh", "en"]
    text: str
    sha256: str = Field(
        description="send this back when accepting: it proves what was consented to"
    )


class AcceptIn(_In):
    consent: Literal[True] = Field(description="the customer agrees to the terms")
    terms_sha256: str = Field(min_length=64, max_length=64, pattern="^[0-9a-f]{64}$")
    channel: Literal["app", "web", "phone", "branch"] = "app"


# -- My agreements: what the customer signed, how it stands, and the terms consented to ----------


class AgreementInstallmentRead(BaseModel):
    """One installment of the schedule an agreement installed, and where it stands today."""

    n: int
    due_date: date
    payment: str
    owed: str = Field(description="still owed on it today (all components)")
    mark: Literal["paid", "due", "overdue", "upcoming", "replaced"] = Field(
        description="paid; due (the next one, not yet late); overdue; upcoming; replaced (a "
        "later agreement put another schedule on the loan)"
    )
    paid_on: date | None = None


class NextDueRead(BaseModel):
    n: int
    due_date: date
    amount: str


class AgreementSummaryRead(BaseModel):
    """An agreement as the customer's list shows it."""

    id: int
    case_id: int
    loan_id: int
    loan_no: str
    kind: str = Field(description="hardship_plan, grace_period, settlement, due_date_change, …")
    status: Literal["active", "late", "broken", "completed"]
    signed_on: date
    start_date: date
    waived: dict[str, str] = Field(
        description="forgiven on condition the agreement is kept, by component (yuan)"
    )
    waived_total: str
    reinstatement: Literal["all", "unpaid_share"] = Field(
        description="what comes back if the agreement breaks: all of it, or the unpaid share"
    )
    reinstated: str
    grace_days: int
    days_late: int
    next_due: NextDueRead | None
    kept: int = Field(description="installments paid within the grace days")
    total: int


class AgreementDetailRead(AgreementSummaryRead):
    """An agreement with its installed schedule and the terms the customer consented to."""

    installments: list[AgreementInstallmentRead]
    forborne: str
    carried: str
    observation_until: date | None
    broken_on: date | None
    completed_on: date | None
    terms_sha256: str
    terms_language: Literal["zh", "en"] | None = Field(
        description="the language of the text whose SHA-256 was consented to; None if the text "
        "can no longer be reproduced (the digest is still the record)"
    )
    terms_text: str | None
    consent_channel: str
    consented_at: datetime


class ChargeLineRead(BaseModel):
    """An amount the bank has charged on an installment that a customer may dispute."""

    key: str = Field(description="installment:component, to choose it")
    installment: int
    component: Literal["penalty", "compound", "fee", "late_fee"]
    amount: str
    first_day: date | None
    last_day: date | None


class AgreementPage(BaseModel):
    items: list[AgreementSummaryRead]
    total: int
    page: int
    page_size: int
