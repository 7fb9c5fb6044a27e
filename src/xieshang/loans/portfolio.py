"""The portfolio as the nightly close of business left it: loans by days-past-due bucket and by
five-category classification, outstanding principal in each, and agreements by how they stand."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy import func, select

from xieshang.domain.delinquency import Classification
from xieshang.domain.money import to_yuan
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.models.loan import Loan, LoanStatus
from xieshang.models.negotiation import Agreement, AgreementStatus

BUCKETS = ("M0", "M1", "M2", "M3", "M4", "M5", "M6", "M6+")


class Row(BaseModel):
    key: str
    loans: int
    principal: str


class PortfolioRead(BaseModel):
    closed_through: date | None
    """The latest day the close of business stored; loans not yet closed are counted as M0."""
    active_loans: int
    buckets: list[Row]
    classification: list[Row]
    agreements: dict[str, int]


def portfolio(ctx: Context) -> PortfolioRead:
    authorize(ctx, "reports.portfolio")
    active = Loan.status == LoanStatus.ACTIVE
    by_bucket = _group(ctx, Loan.bucket, active)
    by_class = _group(ctx, Loan.classification, active)
    agreements = dict(
        ctx.session.execute(select(Agreement.status, func.count()).group_by(Agreement.status)).all()
    )
    return PortfolioRead(
        closed_through=ctx.session.scalar(select(func.max(Loan.closed_through))),
        active_loans=sum(n for n, _ in by_bucket.values()),
        buckets=[_row(key, by_bucket) for key in BUCKETS],
        classification=[_row(c.value, by_class) for c in Classification],
        agreements={state.value: int(agreements.get(state, 0)) for state in AgreementStatus},
    )


def _group(ctx: Context, column: object, where: object) -> dict[str, tuple[int, int]]:
    rows = ctx.session.execute(
        select(column, func.count(), func.coalesce(func.sum(Loan.principal_outstanding), 0))  # type: ignore[call-overload]
        .where(where)
        .group_by(column)
    ).all()
    return {str(key): (int(count), int(total)) for key, count, total in rows}


def _row(key: str, found: dict[str, tuple[int, int]]) -> Row:
    count, total = found.get(key, (0, 0))
    return Row(key=key, loans=count, principal=to_yuan(total))
