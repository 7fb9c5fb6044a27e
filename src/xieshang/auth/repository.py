"""Every query of logins and their sessions (flush only, never commit)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, select, update

from xieshang.domain.errors import NotFound
from xieshang.kit.context import Context
from xieshang.models.customer import Customer
from xieshang.models.user import AccessToken, LoginAttempt, Role, User


def user_named(ctx: Context, username: str) -> User | None:
    return ctx.session.scalar(select(User).where(User.username == username))


def user_id_named(ctx: Context, username: str) -> int | None:
    return ctx.session.scalar(select(User.id).where(User.username == username))


def user_by_id(ctx: Context, user_id: int) -> User | None:
    return ctx.session.get(User, user_id)


def require_user(ctx: Context, user_id: int) -> User:
    user = ctx.session.get(User, user_id)
    if user is None:
        raise NotFound("user", user_id)
    return user


def customer_exists(ctx: Context, customer_id: int) -> bool:
    return ctx.session.get(Customer, customer_id) is not None


def login_id_of_customer(ctx: Context, customer_id: int) -> int | None:
    """The id of the customer's login, if they have one."""
    return ctx.session.scalar(select(User.id).where(User.customer_id == customer_id))


def accounts_query(role: Role | None, q: str | None) -> Select[User]:
    """Logins to list: of one role, or whose username or name contains ``q``."""
    query = select(User)
    if role is not None:
        query = query.where(User.role == role)
    if q:
        like = f"%{q}%"
        query = query.where((User.username.like(like)) | (User.display_name.like(like)))
    return query


def active_admins(ctx: Context) -> int:
    active = select(func.count()).where(User.role == Role.ADMIN, User.is_active.is_(True))
    return ctx.session.scalar(active) or 0


def last_logins(ctx: Context, usernames: Sequence[str]) -> dict[str, datetime]:
    """When each of these usernames last signed in (as stored, UTC); absent if never."""
    if not usernames:
        return {}
    rows = ctx.session.execute(
        select(LoginAttempt.username, func.max(LoginAttempt.at))
        .where(LoginAttempt.username.in_(usernames), LoginAttempt.succeeded.is_(True))
        .group_by(LoginAttempt.username)
    ).all()
    return dict(rows)


def failed_logins_since(ctx: Context, username: str, since: datetime) -> int:
    failures = ctx.session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.username == username,
            LoginAttempt.at > since,
            LoginAttempt.succeeded.is_(False),
        )
    )
    return failures or 0


def token_by_digest(ctx: Context, digest: str) -> AccessToken | None:
    return ctx.session.get(AccessToken, digest)


def revoke_tokens_of(ctx: Context, user_id: int, at: datetime) -> None:
    """End every session the user has open."""
    ctx.session.execute(
        update(AccessToken)
        .where(AccessToken.user_id == user_id, AccessToken.revoked_at.is_(None))
        .values(revoked_at=at)
    )
