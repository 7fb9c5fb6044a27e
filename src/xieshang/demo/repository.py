"""The demo's queries of what it has built so far (flush only, never commit)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from xieshang.kit.context import Context
from xieshang.models.customer import Customer
from xieshang.models.loan import Loan, LoanStatus
from xieshang.models.negotiation import CaseStatus, NegotiationCase
from xieshang.models.user import Role, User


def has_customers(ctx: Context) -> bool:
    return ctx.session.scalar(select(Customer.id).limit(1)) is not None


def customer_ids(ctx: Context) -> list[int]:
    return list(ctx.session.scalars(select(Customer.id).order_by(Customer.id)))


def active_loan_ids(ctx: Context) -> list[int]:
    query = select(Loan.id).where(Loan.status == LoanStatus.ACTIVE).order_by(Loan.id)
    return list(ctx.session.scalars(query))


def loan_read_fresh(ctx: Context, loan_id: int) -> Loan:
    """The loan with its ledger, read again from the database (not from the session's copies)."""
    return ctx.session.scalars(
        select(Loan)
        .where(Loan.id == loan_id)
        .options(
            selectinload(Loan.product),
            selectinload(Loan.installments),
            selectinload(Loan.transactions),
        )
        .execution_options(populate_existing=True)
    ).one()


def staff(ctx: Context) -> dict[str, User]:
    query = select(User).where(User.role != Role.CUSTOMER)
    return {u.username: u for u in ctx.session.scalars(query)}


def user_named(ctx: Context, username: str) -> User | None:
    return ctx.session.scalar(select(User).where(User.username == username))


def login_of(ctx: Context, customer_id: int) -> User | None:
    """The customer's login, if they have one."""
    return ctx.session.scalar(select(User).where(User.customer_id == customer_id))


def customers_negotiating(ctx: Context) -> set[int]:
    return set(ctx.session.scalars(select(NegotiationCase.customer_id)))


def loans_negotiated(ctx: Context) -> set[int]:
    return set(ctx.session.scalars(select(NegotiationCase.loan_id)))


def case_statuses(ctx: Context) -> list[CaseStatus]:
    return list(ctx.session.scalars(select(NegotiationCase.status)))
