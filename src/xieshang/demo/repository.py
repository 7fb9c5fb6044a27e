"""The demo's queries of what it has built so far (flush only, never commit)."""

from __future__ import annotations

from sqlalchemy import select

from xieshang.kit.context import Context
from xieshang.models.negotiation import CaseStatus, NegotiationCase
from xieshang.models.user import Role, User


def staff(ctx: Context) -> dict[str, User]:
    query = select(User).where(User.role != Role.CUSTOMER)
    return {u.username: u for u in ctx.session.scalars(query)}


def login_of(ctx: Context, customer_id: int) -> User | None:
    """The customer's login, if they have one."""
    return ctx.session.scalar(select(User).where(User.customer_id == customer_id))


def customers_negotiating(ctx: Context) -> set[int]:
    return set(ctx.session.scalars(select(NegotiationCase.customer_id)))


def loans_negotiated(ctx: Context) -> set[int]:
    return set(ctx.session.scalars(select(NegotiationCase.loan_id)))


def case_statuses(ctx: Context) -> list[CaseStatus]:
    return list(ctx.session.scalars(select(NegotiationCase.status)))
