"""Every query of agreements by loan (flush only, never commit)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select

from xieshang.kit.context import Context
from xieshang.models.negotiation import (
    Agreement,
    AgreementStatus,
    NegotiationCase,
    NegotiationOffer,
)

PERFORMING = (AgreementStatus.ACTIVE, AgreementStatus.LATE)
"""An agreement the loan is living by: kept, or late within the grace the policy allows."""


def performing_loan_ids() -> Select[int]:
    """The ids of loans with a performing agreement, as a subquery."""
    return select(Agreement.loan_id).where(Agreement.status.in_(PERFORMING))


def performing_by_loan(ctx: Context, loan_ids: Sequence[int]) -> dict[int, Agreement]:
    query = select(Agreement).where(
        Agreement.loan_id.in_(loan_ids), Agreement.status.in_(PERFORMING)
    )
    return {a.loan_id: a for a in ctx.session.scalars(query)}


def agreements_query(customer_id: int | None) -> Select[Agreement]:
    """Agreements to list: one customer's, or everyone's."""
    query = select(Agreement)
    if customer_id is not None:
        query = query.where(Agreement.customer_id == customer_id)
    return query


def agreement_by_id(ctx: Context, agreement_id: int) -> Agreement | None:
    return ctx.session.get(Agreement, agreement_id)


def case_and_offer(ctx: Context, agreement: Agreement) -> tuple[NegotiationCase, NegotiationOffer]:
    """The case and the offer the agreement was made from (never deleted)."""
    case = ctx.session.get(NegotiationCase, agreement.case_id)
    offer = ctx.session.get(NegotiationOffer, agreement.offer_id)
    assert case is not None
    assert offer is not None
    return case, offer
