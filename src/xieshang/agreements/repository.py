"""Every query of agreements by loan (flush only, never commit)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select

from xieshang.kit.context import Context
from xieshang.models.negotiation import Agreement, AgreementStatus

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
