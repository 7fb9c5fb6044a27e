"""Accepting an offer, and holding the agreement to account each day.

Accepting is one transaction: the consent record (the terms text's SHA-256, time, channel), the new
schedule on the loan, the restructured tag and observation period, the offer and case states, the
audit rows, the customer's notice and the idempotency record — all or nothing. The unique case id on
``agreements`` makes two racing accepts yield exactly one agreement; the loser gets a 409.
"""

from __future__ import annotations

import json

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from xieshang.agreements import repository
from xieshang.agreements.offer_terms import offer_of, terms_context, terms_for
from xieshang.agreements.reads import AgreementView
from xieshang.agreements.schemas import AcceptIn, AgreementDetailRead, AgreementPage, TermsRead
from xieshang.agreements.terms import digest, terms_text
from xieshang.audit.service import record
from xieshang.domain import agreement as domain
from xieshang.domain.errors import (
    AcceptedElsewhere,
    AgreementExists,
    LoanChanged,
    NotFound,
    OfferExpired,
    OfferNotLive,
    OfferOutdated,
    TermsNotRead,
)
from xieshang.domain.money import display_yuan, to_yuan
from xieshang.kit.access import authorize, require_customer_access
from xieshang.kit.context import Context
from xieshang.kit.idempotency import Answered, once, request_digest
from xieshang.kit.repository import page_of
from xieshang.loans.ledger import loan_file, segment_transactions, unchanged_since
from xieshang.loans.schemas import ScheduleRead
from xieshang.loans.service import install_schedule, lock_loan
from xieshang.models.loan import Loan
from xieshang.models.negotiation import (
    Agreement,
    AgreementStatus,
    CaseStatus,
    NegotiationCase,
    NegotiationOffer,
    OfferStatus,
)
from xieshang.models.user import Role
from xieshang.negotiations import offers as workflow
from xieshang.negotiations.reads import agreement_read
from xieshang.negotiations.repository import agreement_of_case, offer_row
from xieshang.negotiations.schemas import AgreementRead, OfferRead
from xieshang.negotiations.service import require_case
from xieshang.notifications.service import notify
from xieshang.policy.in_force import policy_in_force


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
    row, offer, loan, language = _consented(ctx, case, offer_id, data)
    assert offer.installation is not None
    plan = offer.installation.to_installation()
    if ScheduleRead.from_schedule(plan.schedule) != offer.schedule:
        raise OfferOutdated(row.id)
    previous = _previous(loan)
    policy = policy_in_force(ctx)
    agreement = _install(ctx, case, row, offer, loan, plan, data)
    agreement.previous = json.dumps(previous, ensure_ascii=False, sort_keys=True)
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
            "language": language,
            "channel": data.channel,
            "segment": loan.segment,
        },
        policy_version=f"{policy.version}@{policy.digest[:12]}",
    )
    _announce(ctx, case, agreement, loan, plan, policy.agreements.grace_days)
    return agreement_read(agreement, loan)


def _consented(
    ctx: Context, case: NegotiationCase, offer_id: int, data: AcceptIn
) -> tuple[NegotiationOffer, OfferRead, Loan, str]:
    """The offer the customer consented to, its loan (locked) and the language of the terms they
    read — or the reason the consent cannot make an agreement now."""
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
    if not unchanged_since(loan, json.loads(case.input_snapshot)["loan"]):
        raise LoanChanged(loan.loan_no)
    context = terms_context(ctx, case, row, offer)
    texts = {digest(terms_text(offer, context, lang)): lang for lang in ("zh", "en")}
    if data.terms_sha256 not in texts:
        raise TermsNotRead(case.id, row.id)
    return row, offer, loan, texts[data.terms_sha256]


def _install(
    ctx: Context,
    case: NegotiationCase,
    row: NegotiationOffer,
    offer: OfferRead,
    loan: Loan,
    plan: domain.Installation,
    data: AcceptIn,
) -> Agreement:
    """Put the plan's schedule on the loan (tagged restructured unless the offer is no concession)
    and return the agreement that records it (not yet added to the session)."""
    policy = policy_in_force(ctx)
    install_schedule(
        ctx,
        loan,
        plan.terms,
        plan.schedule,
        carried=plan.carried,
        reinstatable=plan.conditional_total,
        reference=f"agreement-carried-{case.id}",
    )
    if offer.type not in domain.NOT_RESTRUCTURING:
        loan.restructured = True
        end = domain.observation_end(plan.schedule, policy.regulatory.observation_period_months)
        loan.observation_until = max(end, loan.observation_until or end)
    assert offer.installation is not None
    return Agreement(
        case_id=case.id,
        offer_id=row.id,
        loan_id=loan.id,
        customer_id=case.customer_id,
        kind=offer.type,
        status=AgreementStatus.ACTIVE,
        segment=loan.segment,
        start_date=plan.terms.start_date,
        installation=offer.installation.model_dump_json(),
        previous="",
        conditional=plan.conditional_total,
        reinstated=0,
        days_late=0,
        judged_through=None,
        terms_text_sha256=data.terms_sha256,
        consent_channel=data.channel,
        consented_at=ctx.now(),
        accepted_by=ctx.user_id,
        version=1,
    )


def _announce(
    ctx: Context,
    case: NegotiationCase,
    agreement: Agreement,
    loan: Loan,
    plan: domain.Installation,
    grace_days: int,
) -> None:
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
            "grace_days": grace_days,
            "conditional": display_yuan(plan.conditional_total),
        },
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


def list_agreements(
    ctx: Context, *, customer_id: int | None = None, page: int = 1, page_size: int = 20
) -> AgreementPage:
    """Agreements, newest first: a customer's own; staff any customer's (or all)."""
    authorize(ctx, "agreements.list")
    if ctx.user is not None and ctx.user.role is Role.CUSTOMER:
        customer_id = ctx.user.customer_id
    if customer_id is not None:
        require_customer_access(ctx.user, customer_id)
    query = repository.agreements_query(customer_id)
    total, rows = page_of(ctx.session, query, page, page_size, Agreement.id.desc())
    return AgreementPage(
        items=[AgreementView(ctx, row).summary() for row in rows],
        total=total,
        page=page,
        page_size=page_size,
    )


def get_agreement(ctx: Context, agreement_id: int) -> AgreementDetailRead:
    authorize(ctx, "agreements.get")
    row = repository.agreement_by_id(ctx, agreement_id)
    if row is None:
        raise NotFound("agreement", agreement_id)
    require_customer_access(ctx.user, row.customer_id, "agreement", agreement_id)
    return AgreementView(ctx, row).detail()
