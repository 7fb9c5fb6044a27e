"""Queries of loans for the close of business (flush only, never commit). The loans' other queries
still live in ``loans/service.py`` (issue 13 moves them here)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from xieshang.kit.context import Context
from xieshang.models.loan import Loan, LoanStatus


def count_closed_through(ctx: Context, as_of: date) -> int:
    """Active loans already closed through ``as_of``."""
    query = select(func.count()).select_from(Loan)
    query = query.where(Loan.status == LoanStatus.ACTIVE, Loan.closed_through >= as_of)
    return ctx.session.scalar(query) or 0


def ids_to_close(ctx: Context, as_of: date, also: Select[int]) -> Sequence[int]:
    """Loans not yet closed through ``as_of`` that are active or among ``also`` (loan ids)."""
    return ctx.session.scalars(
        select(Loan.id)
        .where(
            (Loan.status == LoanStatus.ACTIVE) | Loan.id.in_(also),
            (Loan.closed_through.is_(None)) | (Loan.closed_through < as_of),
        )
        .order_by(Loan.id)
    ).all()


def loans_with_ledgers(ctx: Context, ids: Sequence[int]) -> Sequence[Loan]:
    """The loans in ``ids`` with their product, installments and transactions, in three queries."""
    return ctx.session.scalars(
        select(Loan)
        .where(Loan.id.in_(ids))
        .options(
            joinedload(Loan.product),
            selectinload(Loan.installments),
            selectinload(Loan.transactions),
        )
        .order_by(Loan.id)
    ).all()
