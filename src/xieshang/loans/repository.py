"""Every query of loans, their products and transactions (flush only, never commit)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import joinedload, selectinload

from xieshang.kit.context import Context
from xieshang.models.customer import Customer
from xieshang.models.loan import Loan, LoanDisclosure, LoanProduct, LoanStatus, LoanTransaction
from xieshang.models.negotiation import Agreement


def product_code_taken(ctx: Context, code: str) -> bool:
    return ctx.session.scalar(select(LoanProduct.id).where(LoanProduct.code == code)) is not None


def product_by_code(ctx: Context, code: str) -> LoanProduct | None:
    return ctx.session.scalar(select(LoanProduct).where(LoanProduct.code == code))


def loan_no_taken(ctx: Context, loan_no: str) -> bool:
    return ctx.session.scalar(select(Loan.id).where(Loan.loan_no == loan_no)) is not None


def customer_id_by_no(ctx: Context, customer_no: str) -> int | None:
    return ctx.session.scalar(select(Customer.id).where(Customer.customer_no == customer_no))


def customer_exists(ctx: Context, customer_id: int) -> bool:
    return ctx.session.get(Customer, customer_id) is not None


_WITH_LEDGER = (
    joinedload(Loan.product),
    selectinload(Loan.installments),
    selectinload(Loan.transactions),
    selectinload(Loan.disclosures),
)


def loan_with_ledger(
    ctx: Context, loan_id: int, *, lock: bool = False, fresh: bool = False
) -> Loan | None:
    """The loan with its product, installments and transactions. With ``lock``, locked until the
    transaction ends (after its other writer) and read as it committed; with ``fresh``, read again
    from the database rather than from the session's copies."""
    query = select(Loan).where(Loan.id == loan_id).options(*_WITH_LEDGER)
    if lock:
        query = query.with_for_update(of=Loan)
    if lock or fresh:
        query = query.execution_options(populate_existing=True)
    return ctx.session.scalar(query)


def loans_query(customer_id: int | None, status: LoanStatus | None) -> Select[Any]:
    """Loans to list, each with its product: one customer's or everyone's, of one status or any."""
    query = select(Loan)
    if customer_id is not None:
        query = query.where(Loan.customer_id == customer_id)
    if status is not None:
        query = query.where(Loan.status == status)
    return query.options(selectinload(Loan.product))


def active_loan_ids(ctx: Context) -> list[int]:
    query = select(Loan.id).where(Loan.status == LoanStatus.ACTIVE).order_by(Loan.id)
    return list(ctx.session.scalars(query))


def reference_taken(ctx: Context, loan_id: int, reference: str) -> bool:
    """Whether the loan already has a transaction with this reference."""
    query = select(LoanTransaction.id).where(
        LoanTransaction.loan_id == loan_id, LoanTransaction.reference == reference
    )
    return ctx.session.scalar(query) is not None


# ---- disclosure tables ----


def last_disclosure_version(ctx: Context, loan_id: int) -> int:
    """The loan's latest disclosure version number (0 when it has none)."""
    query = select(func.max(LoanDisclosure.version)).where(LoanDisclosure.loan_id == loan_id)
    return ctx.session.scalar(query) or 0


def loans_without_disclosures(ctx: Context) -> Sequence[Loan]:
    """Loans with no disclosure table yet, with their product, installments and transactions."""
    has = select(LoanDisclosure.id).where(LoanDisclosure.loan_id == Loan.id).exists()
    return ctx.session.scalars(
        select(Loan)
        .where(~has)
        .options(
            joinedload(Loan.product),
            selectinload(Loan.installments),
            selectinload(Loan.transactions),
        )
        .order_by(Loan.id)
    ).all()


def conditional_of_segment(ctx: Context, loan_id: int, segment: int) -> int:
    """What the agreement that began ``segment`` of the loan would put back if broken (fen)."""
    query = select(Agreement.conditional).where(
        Agreement.loan_id == loan_id, Agreement.segment == segment
    )
    return int(ctx.session.scalar(query) or 0)


# ---- the close of business ----


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


def other_active_loans(ctx: Context, customer_id: int, except_id: int) -> Sequence[Loan]:
    """The customer's active loans other than ``except_id``, each as :func:`loan_with_ledger` reads
    it."""
    return ctx.session.scalars(
        select(Loan)
        .where(
            Loan.customer_id == customer_id,
            Loan.status == LoanStatus.ACTIVE,
            Loan.id != except_id,
        )
        .options(*_WITH_LEDGER)
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


def commit_without_waiting_for_disk(ctx: Context) -> None:
    """On PostgreSQL, this transaction's commit returns before its record reaches the disk
    (``synchronous_commit`` off): a crash may lose the last few commits. Elsewhere, nothing."""
    if ctx.session.get_bind().dialect.name == "postgresql":
        ctx.session.execute(text("SET LOCAL synchronous_commit TO OFF"))


# ---- the portfolio ----


def active_loans_by(ctx: Context, column: Any) -> dict[str, tuple[int, int]]:
    """Active loans grouped by ``column`` (a column of ``Loan``): how many, and their principal
    outstanding in fen."""
    rows = ctx.session.execute(
        select(column, func.count(), func.coalesce(func.sum(Loan.principal_outstanding), 0))
        .where(Loan.status == LoanStatus.ACTIVE)
        .group_by(column)
    ).all()
    return {str(key): (int(count), int(total)) for key, count, total in rows}


def agreements_by_status(ctx: Context) -> dict[str, int]:
    query = select(Agreement.status, func.count()).group_by(Agreement.status)
    return {status: int(count) for status, count in ctx.session.execute(query).all()}


def latest_close(ctx: Context) -> date | None:
    """The latest day the close of business stored on any loan."""
    return ctx.session.scalar(select(func.max(Loan.closed_through)))
