"""Every query of negotiation cases, their evaluations and offers (flush only, never commit)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select

from xieshang.domain.errors import NotFound
from xieshang.kit.context import Context
from xieshang.models.contact import ContactAttempt
from xieshang.models.customer import Customer
from xieshang.models.loan import Loan
from xieshang.models.negotiation import (
    Agreement,
    CaseStatus,
    NegotiationCase,
    NegotiationEvaluation,
    NegotiationOffer,
    OfferStatus,
)


def agreement_of_case(ctx: Context, case_id: int) -> Agreement | None:
    return ctx.session.scalar(select(Agreement).where(Agreement.case_id == case_id))


def offer_row(ctx: Context, case: NegotiationCase, offer_id: int) -> NegotiationOffer:
    row = ctx.session.get(NegotiationOffer, offer_id)
    if row is None or row.case_id != case.id:
        raise NotFound("offer", offer_id)
    return row


def cases_with_offers_expiring(
    ctx: Context, before: date, live: Sequence[str]
) -> Sequence[NegotiationCase]:
    """Cases with an offer in one of the ``live`` states whose acceptance window ended before
    ``before``."""
    expiring = select(NegotiationOffer.case_id).where(
        NegotiationOffer.status.in_(live), NegotiationOffer.expires_on < before
    )
    return ctx.session.scalars(
        select(NegotiationCase).where(NegotiationCase.id.in_(expiring))
    ).all()


def case_by_id(ctx: Context, case_id: int, *, lock: bool = False) -> NegotiationCase | None:
    """The case; with ``lock``, locked until the transaction ends and read fresh."""
    return ctx.session.get(NegotiationCase, case_id, with_for_update=lock, populate_existing=lock)


def cases_query(
    customer_id: int | None,
    status: CaseStatus | None,
    approval_levels: list[str] | None,
    *,
    not_proposed_by: int | None,
) -> tuple[Select[NegotiationCase], Any]:
    """The cases to list and their order: newest first, or, for an approval queue (the levels a
    person may approve), the cases with an offer waiting at those levels that the person did not
    propose, oldest first."""
    query = select(NegotiationCase)
    if customer_id is not None:
        query = query.where(NegotiationCase.customer_id == customer_id)
    if status is not None:
        query = query.where(NegotiationCase.status == status)
    if approval_levels is None:
        return query, NegotiationCase.id.desc()
    waiting = select(NegotiationOffer.case_id).where(
        NegotiationOffer.status == OfferStatus.PENDING_APPROVAL,
        NegotiationOffer.approval.in_(approval_levels),
    )
    if not_proposed_by is not None:
        waiting = waiting.where(
            (NegotiationOffer.proposed_by.is_(None))
            | (NegotiationOffer.proposed_by != not_proposed_by)
        )
    return query.where(NegotiationCase.id.in_(waiting)), NegotiationCase.id


def latest_evaluation(ctx: Context, case_id: int) -> NegotiationEvaluation:
    return ctx.session.scalars(
        select(NegotiationEvaluation)
        .where(NegotiationEvaluation.case_id == case_id)
        .order_by(NegotiationEvaluation.id.desc())
        .limit(1)
    ).one()


def evaluation_by_id(ctx: Context, evaluation_id: int) -> NegotiationEvaluation:
    found = ctx.session.get(NegotiationEvaluation, evaluation_id)
    assert found is not None, "an offer's evaluation is never deleted"
    return found


def offers_shown(ctx: Context, case_id: int) -> list[NegotiationOffer]:
    """The case's offers, newest first, without those withdrawn by a later evaluation."""
    return list(
        ctx.session.scalars(
            select(NegotiationOffer)
            .where(
                NegotiationOffer.case_id == case_id,
                NegotiationOffer.status != OfferStatus.WITHDRAWN,
            )
            .order_by(NegotiationOffer.id.desc())
        )
    )


def live_offers(ctx: Context, case_id: int, live: Sequence[str]) -> list[NegotiationOffer]:
    return list(
        ctx.session.scalars(
            select(NegotiationOffer)
            .where(NegotiationOffer.case_id == case_id, NegotiationOffer.status.in_(live))
            .order_by(NegotiationOffer.id)
        )
    )


def loan_by_id(ctx: Context, loan_id: int) -> Loan:
    found = ctx.session.get(Loan, loan_id)
    assert found is not None, "a case's loan is never deleted"
    return found


def customer_of(ctx: Context, loan: Loan) -> Customer:
    found = ctx.session.get(Customer, loan.customer_id)
    assert found is not None, "a loan's customer is never deleted"
    return found


ANSWERED = "answered"
"""A contact that reached the customer (an unanswered call or a message left keeps a promise owed)."""


def contacted_since(ctx: Context, customer_id: int, since: datetime) -> bool:
    """Whether a contact that reached the customer has been recorded at or after ``since``."""
    found = ctx.session.scalar(
        select(ContactAttempt.id)
        .where(
            ContactAttempt.customer_id == customer_id,
            ContactAttempt.at >= since,
            ContactAttempt.outcome == ANSWERED,
        )
        .limit(1)
    )
    return found is not None


def callbacks_owed(ctx: Context, limit: int) -> Sequence[NegotiationCase]:
    """Cases whose promised call is still owed (no contact that reached the customer recorded since
    it was promised), soonest due first."""
    contacted = (
        select(ContactAttempt.id)
        .where(
            ContactAttempt.customer_id == NegotiationCase.customer_id,
            ContactAttempt.at >= NegotiationCase.callback_promised_at,
            ContactAttempt.outcome == ANSWERED,
        )
        .exists()
    )
    return ctx.session.scalars(
        select(NegotiationCase)
        .where(NegotiationCase.callback_due.is_not(None), ~contacted)
        .order_by(NegotiationCase.callback_due, NegotiationCase.id)
        .limit(limit)
    ).all()
