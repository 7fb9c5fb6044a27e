"""Negotiation rows and the engine's answers as the read models the API and pages show."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from xieshang.domain.disputes import DisputeFinding
from xieshang.domain.money import to_yuan
from xieshang.domain.negotiation.application import ApplicationDecision
from xieshang.domain.negotiation.engine import CounterOffer, Evaluation, Offer
from xieshang.domain.negotiation.policy import Policy
from xieshang.domain.negotiation.reasons import Reason
from xieshang.kit.context import Context
from xieshang.loans.schemas import ScheduleRead
from xieshang.models.loan import Loan
from xieshang.models.negotiation import (
    Agreement,
    NegotiationCase,
    NegotiationEvaluation,
    NegotiationOffer,
)
from xieshang.negotiations import repository
from xieshang.negotiations.schemas import (
    AgreementRead,
    ApplicationRead,
    AssessmentRead,
    BaselineRead,
    CaseOfferRead,
    CheckRead,
    ConcessionsRead,
    CounterOfferRead,
    DisputeLineRead,
    DisputeRead,
    EvaluationRead,
    InstallationRead,
    NegotiationRead,
    OfferRead,
    ReasonRead,
)

_Q = Decimal("0.0001")


def agreement_read(agreement: Agreement, loan: Loan) -> AgreementRead:
    return AgreementRead(
        id=agreement.id,
        case_id=agreement.case_id,
        loan_id=agreement.loan_id,
        offer_id=agreement.offer_id,
        kind=agreement.kind,
        status=agreement.status,
        start_date=agreement.start_date,
        conditional=to_yuan(agreement.conditional),
        reinstated=to_yuan(agreement.reinstated),
        days_late=agreement.days_late,
        observation_until=loan.observation_until,
        broken_on=agreement.broken_on,
        completed_on=agreement.completed_on,
        consented_at=agreement.consented_at,
        consent_channel=agreement.consent_channel,
        terms_sha256=agreement.terms_text_sha256,
    )


def case_read(
    ctx: Context, case: NegotiationCase, evaluation: NegotiationEvaluation
) -> NegotiationRead:
    latest = EvaluationRead.model_validate_json(evaluation.result)
    parsed = {evaluation.id: latest}  # each stored evaluation is parsed once, however many offers
    return NegotiationRead(
        id=case.id,
        loan_id=case.loan_id,
        customer_id=case.customer_id,
        scenario=case.scenario,
        status=case.status,
        created_at=ctx.local(case.created_at),
        evaluated_at=ctx.local(evaluation.evaluated_at),
        evaluation=latest,
        offers=[_case_offer(ctx, row, parsed) for row in repository.offers_shown(ctx, case.id)],
        agreement=_agreement(ctx, case),
        callback_due=call_owed(ctx, case),
    )


def call_owed(ctx: Context, case: NegotiationCase) -> date | None:
    """The day a promised call is due by, while no contact that reached the customer has been
    recorded since it was promised."""
    if case.callback_due is None or case.callback_promised_at is None:
        return None
    if repository.contacted_since(ctx, case.customer_id, case.callback_promised_at):
        return None
    return case.callback_due


def _case_offer(
    ctx: Context, row: NegotiationOffer, parsed: dict[int, EvaluationRead]
) -> CaseOfferRead:
    if row.evaluation_id not in parsed:
        stored = repository.evaluation_by_id(ctx, row.evaluation_id)
        parsed[row.evaluation_id] = EvaluationRead.model_validate_json(stored.result)
    offer = next(o for o in parsed[row.evaluation_id].offers if o.id == row.offer_key)
    return CaseOfferRead(
        id=row.id,
        key=row.offer_key,
        status=row.status,
        approval=row.approval,  # type: ignore[arg-type]
        proposed_by=row.proposed_by,
        decided_by=row.decided_by,
        decision_note=row.decision_note,
        expires_on=row.expires_on,
        offer=offer,
    )


def _agreement(ctx: Context, case: NegotiationCase) -> AgreementRead | None:
    found = repository.agreement_of_case(ctx, case.id)
    if found is None:
        return None
    return agreement_read(found, repository.loan_by_id(ctx, found.loan_id))


def evaluation_read(result: Evaluation, policy: Policy) -> EvaluationRead:
    """The engine's evaluation as the API shows it, every reason rendered in both languages."""

    def reasons(items: tuple[Reason, ...]) -> list[ReasonRead]:
        return render(items, policy)

    a = result.assessment
    return EvaluationRead(
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
    return _answer_without_offers(
        "charge_dispute",
        policy,
        as_of,
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
    return _answer_without_offers(
        "application",
        policy,
        as_of,
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
        approval=c.approval,  # type: ignore[arg-type]
        offer=_offer(c.offer, reasons) if c.offer else None,
    )


def _answer_without_offers(
    scenario: str, policy: Policy, as_of: date, **answer: Any
) -> EvaluationRead:
    """An evaluation that is a finding, not a negotiation: no assessment, baseline or offers."""
    return EvaluationRead(
        scenario=scenario,
        policy_version=policy.version,
        policy_digest=policy.digest,
        as_of=as_of,
        assessment=None,
        baseline=None,
        offers=[],
        counter_offer=None,
        **answer,
    )
