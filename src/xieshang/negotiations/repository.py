"""Every query of negotiation cases, their evaluations and offers (flush only, never commit)."""

from __future__ import annotations

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
