from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Header, Path, Query, Response

from xieshang.agreements import service as agreements
from xieshang.agreements.schemas import AcceptIn, TermsRead
from xieshang.kit.idempotency import check_key
from xieshang.models.negotiation import CaseStatus
from xieshang.negotiations import service
from xieshang.negotiations.schemas import (
    AdjustIn,
    AgreementRead,
    CounterIn,
    DecisionIn,
    DeclineIn,
    EscalateIn,
    NegotiationCreate,
    NegotiationPage,
    NegotiationRead,
    RejectIn,
)
from xieshang.web.deps import UserContext, created
from xieshang.web.routing import Router

router = Router(prefix="/negotiations", tags=["negotiations"])
Id = Annotated[int, Path(ge=1, le=2**62)]


@router.post("", name="negotiations.create", status_code=201)
def open_case(ctx: UserContext, case: NegotiationCreate) -> NegotiationRead:
    """Ask to negotiate on a loan: the engine answers at once with offers and their reasons."""
    return service.open_case(ctx, case)


@router.get("", name="negotiations.list")
def list_cases(
    ctx: UserContext,
    status: CaseStatus | None = None,
    awaiting: Annotated[
        bool, Query(description="only cases with an offer waiting for my approval")
    ] = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> NegotiationPage:
    """Negotiation cases (a customer sees their own). ``awaiting=true`` is the approval queue."""
    return service.list_cases(ctx, status=status, awaiting=awaiting, page=page, page_size=page_size)


@router.get("/{case_id}", name="negotiations.get")
def get_case(ctx: UserContext, case_id: Id) -> NegotiationRead:
    return service.get_case(ctx, case_id)


@router.post("/{case_id}/evaluate", name="negotiations.reevaluate")
def reevaluate(ctx: UserContext, case_id: Id) -> NegotiationRead:
    """Evaluate the stored case again with the policy in force now."""
    return service.reevaluate(ctx, case_id)


@router.post("/{case_id}/offers/{offer_id}/approve", name="negotiations.approve")
def approve(ctx: UserContext, case_id: Id, offer_id: Id, decision: DecisionIn) -> NegotiationRead:
    """Approve an offer waiting for a person of your level (never one you proposed)."""
    return service.decide(ctx, case_id, offer_id, approve=True, note=decision.note)


@router.post("/{case_id}/offers/{offer_id}/reject", name="negotiations.reject")
def reject(ctx: UserContext, case_id: Id, offer_id: Id, decision: RejectIn) -> NegotiationRead:
    """Refuse an offer waiting for approval; the note is what the customer is told."""
    return service.decide(ctx, case_id, offer_id, approve=False, note=decision.note)


@router.post("/{case_id}/offers/{offer_id}/escalate", name="negotiations.escalate")
def escalate(ctx: UserContext, case_id: Id, offer_id: Id, data: EscalateIn) -> NegotiationRead:
    """Send an offer up to a supervisor with a reason (outside my authority, suspected fraud, a
    vulnerable customer, an open complaint, other): it waits for a supervisor's approval."""
    return service.escalate(ctx, case_id, offer_id, data)


@router.post("/{case_id}/adjust", name="negotiations.adjust", status_code=201)
def adjust(ctx: UserContext, case_id: Id, plan: AdjustIn) -> NegotiationRead:
    """Shape a plan by hand; the engine re-checks it (regulation, NPV, authority) before it is
    offered, or sends it to someone with the authority it needs."""
    return service.adjust(ctx, case_id, plan)


@router.post("/{case_id}/decline", name="negotiations.decline")
def decline(ctx: UserContext, case_id: Id, data: DeclineIn) -> NegotiationRead:
    return service.decline(ctx, case_id, data)


@router.post("/{case_id}/call-me", name="negotiations.call_me")
def call_me(ctx: UserContext, case_id: Id) -> NegotiationRead:
    """Ask a person to call: the case goes on the staff's worklist with the day the call is due by
    (``callback_due``, the policy's working days); a call already owed stands."""
    return service.call_me(ctx, case_id)


@router.post("/{case_id}/counter", name="negotiations.counter")
def counter(ctx: UserContext, case_id: Id, proposal: CounterIn) -> NegotiationRead:
    """Propose your own monthly payment or term; the engine answers and staff follow up."""
    return service.counter(ctx, case_id, proposal)


@router.get("/{case_id}/offers/{offer_id}/terms", name="negotiations.terms")
def terms(
    ctx: UserContext,
    case_id: Id,
    offer_id: Id,
    lang: Literal["zh", "en"] = "zh",
) -> TermsRead:
    """The offer's full terms as the customer reads them before consenting, with their SHA-256."""
    return agreements.offer_terms(ctx, case_id, offer_id, lang)


@router.post(
    "/{case_id}/offers/{offer_id}/accept",
    name="negotiations.accept",
    status_code=201,
    responses={
        200: {"description": "a repeat of an earlier request with the same Idempotency-Key"},
        409: {"description": "the case already has an agreement, or the offer or loan changed"},
    },
)
def accept(
    ctx: UserContext,
    case_id: Id,
    offer_id: Id,
    consent: AcceptIn,
    response: Response,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> AgreementRead:
    """Accept an offer with explicit consent to the terms text whose SHA-256 you send."""
    key = check_key(idempotency_key) if idempotency_key is not None else None
    return created(response, agreements.accept_offer(ctx, case_id, offer_id, consent, key))
