"""Accepting an offer, and holding the agreement to account each day.

Accepting is one transaction: the consent record (the terms text's SHA-256, time, channel), the new
schedule on the loan, the restructured tag and observation period, the offer and case states, the
audit rows, the customer's notice and the idempotency record — all or nothing. The unique case id on
``agreements`` makes two racing accepts yield exactly one agreement; the loser gets a 409.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from xieshang.agreements.terms import TermsContext, digest, terms_text
from xieshang.audit.service import record
from xieshang.domain import agreement as domain
from xieshang.domain.accrual import LedgerState
from xieshang.domain.calendar import add_months
from xieshang.domain.errors import (
    AcceptedElsewhere,
    AgreementExists,
    LoanChanged,
    OfferExpired,
    OfferNotLive,
    OfferOutdated,
    TermsNotRead,
)
from xieshang.domain.money import display_yuan, to_yuan
from xieshang.feedback.surveys import invite_after_negotiation
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.kit.idempotency import Answered, once, request_digest
from xieshang.loans.schemas import ScheduleRead
from xieshang.loans.service import install_schedule, loan_file, lock_loan, segment_transactions
from xieshang.models.loan import Loan, LoanTransaction, TransactionKind
from xieshang.models.negotiation import (
    Agreement,
    AgreementStatus,
    CaseStatus,
    NegotiationCase,
    NegotiationEvaluation,
    NegotiationOffer,
    OfferStatus,
)
from xieshang.negotiations import offers as workflow
from xieshang.negotiations.reads import agreement_read
from xieshang.negotiations.repository import agreement_of_case, offer_row
from xieshang.negotiations.schemas import (
    AcceptIn,
    AgreementRead,
    EvaluationRead,
    InstallationRead,
    OfferRead,
    TermsRead,
)
from xieshang.negotiations.service import require_case
from xieshang.notifications.service import notify
from xieshang.policy.in_force import in_force, policy_in_force

NOT_RESTRUCTURING = frozenset({"due_date_change"})
"""Offers that are no concession to a borrower in difficulty: the loan is not tagged restructured."""


def offer_terms(ctx: Context, case_id: int, offer_id: int, language: str) -> TermsRead:
    authorize(ctx, "negotiations.terms")
    case = require_case(ctx, case_id)
    row = offer_row(ctx, case, offer_id)
    text, sha = terms_for(ctx, case, row, language)
    return TermsRead(offer_id=row.id, language=language, text=text, sha256=sha)  # type: ignore[arg-type]


def accept_offer(
    ctx: Context, case_id: int, offer_id: int, data: AcceptIn, idempotency_key: str | None
) -> Answered[AgreementRead]:
    case = require_case(ctx, case_id)
    return _accept_once(ctx, case, offer_id, data, idempotency_key)


def offer_of(ctx: Context, row: NegotiationOffer) -> OfferRead:
    evaluation = ctx.session.get(NegotiationEvaluation, row.evaluation_id)
    assert evaluation is not None
    result = EvaluationRead.model_validate_json(evaluation.result)
    return next(o for o in result.offers if o.id == row.offer_key)


def terms_for(
    ctx: Context, case: NegotiationCase, row: NegotiationOffer, language: str
) -> tuple[str, str]:
    """The offer's full terms text in ``language`` and its SHA-256."""
    offer = offer_of(ctx, row)
    text = terms_text(offer, _terms_context(ctx, case, row, offer), language)
    return text, digest(text)


def _accept_once(
    ctx: Context,
    case: NegotiationCase,
    offer_id: int,
    data: AcceptIn,
    idempotency_key: str | None,
) -> Answered[AgreementRead]:
    """The customer (or an agent recording their consent by phone) accepts an offer."""
    authorize(ctx, "negotiations.accept")
    request = request_digest(f"accept:{case.id}:{offer_id}", data.model_dump(mode="json"))
    try:
        return once(
            ctx, idempotency_key, request, lambda: _accept(ctx, case, offer_id, data), AgreementRead
        )
    except (IntegrityError, StaleDataError):  # another accept of this case won the race
        ctx.session.rollback()
        raise AcceptedElsewhere(case.id) from None


def _accept(ctx: Context, case: NegotiationCase, offer_id: int, data: AcceptIn) -> AgreementRead:
    # Accepts, adjustments and decisions of one case queue here (PostgreSQL row lock; SQLite's
    # writers already queue at BEGIN), so each sees whether an earlier one made the agreement.
    ctx.session.refresh(case, with_for_update=True)
    existing = agreement_of_case(ctx, case.id)
    if existing is not None:
        raise AgreementExists(case.id, existing.id)
    row = offer_row(ctx, case, offer_id)
    if row.status not in (OfferStatus.OFFERED, OfferStatus.APPROVED):
        raise OfferNotLive(row.id, row.status, "only an offered or approved offer")
    if row.expires_on < ctx.today():
        raise OfferExpired(row.id, row.expires_on)
    offer = offer_of(ctx, row)
    loan = lock_loan(ctx, case.loan_id)  # a payment racing this accept lands before or after it
    snapshot = json.loads(case.input_snapshot)
    if loan_file(loan) != snapshot["loan"]:
        raise LoanChanged(loan.loan_no)
    context = _terms_context(ctx, case, row, offer)
    texts = {digest(terms_text(offer, context, lang)): lang for lang in ("zh", "en")}
    if data.terms_sha256 not in texts:
        raise TermsNotRead(case.id, row.id)
    assert offer.installation is not None
    plan = offer.installation.to_installation()
    if ScheduleRead.from_schedule(plan.schedule) != offer.schedule:
        raise OfferOutdated(row.id)
    previous = _previous(loan)
    policy = policy_in_force(ctx)
    install_schedule(
        ctx,
        loan,
        plan.terms,
        plan.schedule,
        carried=plan.carried,
        reference=f"agreement-carried-{case.id}",
    )
    if offer.type not in NOT_RESTRUCTURING:
        loan.restructured = True
        end = domain.observation_end(plan.schedule, policy.regulatory.observation_period_months)
        loan.observation_until = max(end, loan.observation_until or end)
    consented_at = ctx.now()
    agreement = Agreement(
        case_id=case.id,
        offer_id=row.id,
        loan_id=loan.id,
        customer_id=case.customer_id,
        kind=offer.type,
        status=AgreementStatus.ACTIVE,
        segment=loan.segment,
        start_date=plan.terms.start_date,
        installation=offer.installation.model_dump_json(),
        previous=json.dumps(previous, ensure_ascii=False, sort_keys=True),
        conditional=plan.conditional_total,
        reinstated=0,
        days_late=0,
        judged_through=None,
        terms_text_sha256=data.terms_sha256,
        consent_channel=data.channel,
        consented_at=consented_at,
        accepted_by=ctx.user_id,
        version=1,
    )
    ctx.session.add(agreement)
    ctx.session.flush()
    workflow.withdraw_open_offers(ctx, case, "another offer was accepted")
    row.status = OfferStatus.ACCEPTED
    workflow.move(ctx, case, CaseStatus.ACCEPTED)
    record(
        ctx,
        "agreement.accept",
        "agreement",
        agreement.id,
        before=previous,
        after={
            "case": case.id,
            "offer": row.id,
            "kind": offer.type,
            "terms_sha256": data.terms_sha256,
            "language": texts[data.terms_sha256],
            "channel": data.channel,
            "segment": loan.segment,
        },
        policy_version=f"{policy.version}@{policy.digest[:12]}",
    )
    notify(
        ctx,
        case.customer_id,
        "agreement_signed",
        {
            "agreement": agreement.id,
            "loan_no": loan.loan_no,
            "payment": display_yuan(plan.schedule.installments[0].payment),
            "months": len(plan.schedule.installments),
            "first_due": plan.schedule.installments[0].due_date.isoformat(),
            "grace_days": policy.agreements.grace_days,
            "conditional": display_yuan(plan.conditional_total),
        },
    )
    return agreement_read(agreement, loan)


def review(ctx: Context, agreement: Agreement, loan: Loan, state: LedgerState) -> str | None:
    """Judge a performing agreement on ``state.as_of`` (the nightly job, one day at a time): kept,
    late within grace, broken after it — reinstating conditional concessions and resuming
    collection — or completed. Returns what changed (``late``, ``broken``, ``completed``,
    ``kept``) or None."""
    policy = in_force(ctx, state.as_of).policy  # the policy of the day judged
    rules = policy.agreements
    verdict = domain.judge(state, rules.grace_days)
    day = state.as_of
    agreement.days_late = verdict.days_late
    agreement.judged_through = day
    before = agreement.status
    if verdict.standing is domain.Standing.COMPLETED:
        agreement.status = AgreementStatus.COMPLETED
        agreement.completed_on = day
        invite_after_negotiation(ctx, agreement.customer_id, agreement.case_id)
        notify(
            ctx,
            agreement.customer_id,
            "agreement_completed",
            {
                "loan_no": loan.loan_no,
                "completed_on": day.isoformat(),
                "conditional": display_yuan(agreement.conditional),
            },
        )
    elif verdict.standing is domain.Standing.BROKEN:
        _break(ctx, agreement, loan, state, domain.Reinstatement(rules.reinstatement))
    elif verdict.standing is domain.Standing.LATE:
        if before == "late":
            return None
        agreement.status = AgreementStatus.LATE
        months = policy.regulatory.observation_period_months
        if loan.restructured:  # a missed payment restarts the observation period (第二十条)
            loan.observation_until = max(loan.observation_until or day, add_months(day, months))
        notify(
            ctx,
            agreement.customer_id,
            "agreement_late",
            {
                "loan_no": loan.loan_no,
                "days_late": verdict.days_late,
                "owed": display_yuan(sum(s.total_owed for s in state.due())),
                "grace_days": rules.grace_days,
            },
        )
    else:
        if before == "active":
            return None
        agreement.status = AgreementStatus.ACTIVE
    record(
        ctx,
        f"agreement.{agreement.status}",
        "agreement",
        agreement.id,
        before={"status": before},
        after={"status": agreement.status, "on": day.isoformat(), "days_late": verdict.days_late},
    )
    return "kept" if agreement.status == "active" else agreement.status


def _break(
    ctx: Context,
    agreement: Agreement,
    loan: Loan,
    state: LedgerState,
    rule: domain.Reinstatement,
) -> None:
    installation = installation_of(agreement)
    back = domain.reinstated(installation, state, rule)
    amount = sum(back.values())
    agreement.status = AgreementStatus.BROKEN
    agreement.broken_on = state.as_of
    agreement.reinstated = amount
    if amount:
        oldest = next(
            (s.installment.number for s in state.installments if s.total_owed > 0),
            state.installments[-1].installment.number,
        )
        parts = ", ".join(f"{c.value} {to_yuan(v)}" for c, v in back.items())
        ctx.session.add(
            LoanTransaction(
                loan_id=loan.id,
                kind=TransactionKind.REINSTATED,
                value_date=state.as_of,
                amount=amount,
                reference=f"agreement-{agreement.id}-reinstated",
                installment=oldest,
                description=f"协议失效，恢复附条件减免 concessions reinstated: {parts}"[:200],
                channel="agreement",
                segment=loan.segment,
                created_by=None,
                created_at=ctx.now(),
            )
        )
    invite_after_negotiation(ctx, agreement.customer_id, agreement.case_id)
    notify(
        ctx,
        agreement.customer_id,
        "agreement_broken",
        {
            "loan_no": loan.loan_no,
            "grace_days": in_force(ctx, state.as_of).policy.agreements.grace_days,
            "broken_on": state.as_of.isoformat(),
            "reinstated": display_yuan(amount),
        },
    )


def installation_of(agreement: Agreement) -> domain.Installation:
    return InstallationRead.model_validate_json(agreement.installation).to_installation()


def _terms_context(
    ctx: Context, case: NegotiationCase, row: NegotiationOffer, offer: OfferRead
) -> TermsContext:
    loan = ctx.session.get(Loan, case.loan_id)
    assert loan is not None
    assert offer.installation is not None
    policy = policy_in_force(ctx)
    snapshot = json.loads(case.input_snapshot)
    observation = None
    if offer.type not in NOT_RESTRUCTURING:
        schedule = offer.installation.to_installation().schedule
        observation = domain.observation_end(schedule, policy.regulatory.observation_period_months)
    return TermsContext(
        loan_no=loan.loan_no,
        as_of=date.fromisoformat(snapshot["as_of"]),
        expires_on=row.expires_on,
        penalty_markup=str(snapshot["loan"]["penalty"]["markup"]),
        grace_days=policy.agreements.grace_days,
        reinstatement=policy.agreements.reinstatement,
        observation_until=observation,
    )


def _previous(loan: Loan) -> dict[str, object]:
    """The loan as it stood before the agreement: what an auditor (or a reversal) needs."""
    return {
        "segment": loan.segment,
        "loan": loan_file(loan),
        "restructured": loan.restructured,
        "observation_until": loan.observation_until.isoformat() if loan.observation_until else None,
        "installments": [
            {
                "n": i.number,
                "due_date": i.due_date.isoformat(),
                "principal": to_yuan(i.principal),
                "interest": to_yuan(i.interest),
                "balance": to_yuan(i.balance),
            }
            for i in loan.installments
        ],
        "transactions": [t.id for t in segment_transactions(loan)],
    }
