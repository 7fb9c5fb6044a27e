"""Every query of negotiation cases, their evaluations and offers (flush only, never commit)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from xieshang.domain.errors import NotFound
from xieshang.kit.context import Context
from xieshang.models.negotiation import Agreement, NegotiationCase, NegotiationOffer


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
