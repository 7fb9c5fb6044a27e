"""Accounts: administrators open staff and customer logins, disable and re-enable them, and reset
passwords; everyone changes their own password. Every change is audited; disabling an account or
setting its password ends every session it has open."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import func, select, update

from xieshang.audit.service import record
from xieshang.auth.service import create_user, hash_password, verify_password
from xieshang.domain.errors import (
    InvalidInput,
    LastAdministrator,
    LoginExists,
    NotFound,
    OwnAccount,
)
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.kit.pagination import page_of
from xieshang.models.customer import Customer
from xieshang.models.user import AccessToken, LoginAttempt, Role, User

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 12
"""At least 12 characters, as NIST SP 800-63B §3.1.1.2 recommends for passwords a person chooses
(it asks for at least 8, and 15 where a password is the only factor); no composition rules."""


class AccountCreate(BaseModel):
    username: str = Field(max_length=64, description="lower-case letters, digits, . _ -")
    display_name: str = Field(min_length=1, max_length=64)
    role: Role
    password: str = Field(max_length=256, description=f"at least {MIN_PASSWORD} characters")
    customer_id: int | None = Field(
        default=None, ge=1, description="for a customer login: whose it is"
    )


class PasswordSet(BaseModel):
    password: str = Field(max_length=256)


class PasswordChange(BaseModel):
    current_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)


class AccountRead(BaseModel):
    id: int
    username: str
    display_name: str
    role: Role
    customer_id: int | None
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None


class AccountPage(BaseModel):
    items: list[AccountRead]
    total: int
    page: int
    page_size: int


def list_accounts(
    ctx: Context,
    *,
    role: Role | None = None,
    q: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> AccountPage:
    authorize(ctx, "users.list")
    query = select(User)
    if role is not None:
        query = query.where(User.role == role)
    if q:
        like = f"%{q}%"
        query = query.where((User.username.like(like)) | (User.display_name.like(like)))
    total, rows = page_of(ctx.session, query, page, page_size, User.id)
    last = _last_logins(ctx, [u.username for u in rows])
    return AccountPage(
        items=[_read(ctx, u, last.get(u.username)) for u in rows],
        total=total,
        page=page,
        page_size=page_size,
    )


def open_account(ctx: Context, data: AccountCreate) -> AccountRead:
    """A new login. A customer's login names an existing customer who has none yet; a staff login
    names no customer."""
    authorize(ctx, "users.create")
    if not USERNAME.match(data.username):
        raise InvalidInput(
            "username", "use 3–64 lower-case letters, digits, '.', '_' or '-', starting with one"
        )
    _check_password(data.password, data.username, "password")
    if data.role is Role.CUSTOMER:
        if data.customer_id is None:
            raise InvalidInput("customer_id", "is required for a customer login")
        if ctx.session.get(Customer, data.customer_id) is None:
            raise NotFound("customer", data.customer_id)
        taken = select(User.id).where(User.customer_id == data.customer_id)
        if ctx.session.scalar(taken) is not None:
            raise LoginExists(data.customer_id)
    elif data.customer_id is not None:
        raise InvalidInput("customer_id", "only a customer login belongs to a customer")
    user = create_user(
        ctx,
        data.username,
        data.password,
        data.role,
        data.display_name.strip(),
        data.customer_id,
    )
    ctx.session.commit()
    return _read(ctx, user, None)


def set_active(ctx: Context, user_id: int, active: bool) -> AccountRead:
    """Disable or re-enable a login. Nobody disables their own, and the last active administrator
    stays, so the bank never locks itself out."""
    authorize(ctx, "users.enable" if active else "users.disable")
    user = _require(ctx, user_id)
    if user.is_active == active:
        return _read(ctx, user, _last_logins(ctx, [user.username]).get(user.username))
    if not active:
        if ctx.user is not None and ctx.user.id == user.id:
            raise OwnAccount()
        if user.role is Role.ADMIN and _active_admins(ctx) <= 1:
            raise LastAdministrator()
        _end_sessions(ctx, user)
    user.is_active = active
    record(ctx, "user.enable" if active else "user.disable", "user", user.id)
    ctx.session.commit()
    return _read(ctx, user, _last_logins(ctx, [user.username]).get(user.username))


def set_password(ctx: Context, user_id: int, data: PasswordSet) -> AccountRead:
    """An administrator sets a new password (a forgotten one); the account's sessions end."""
    authorize(ctx, "users.password")
    user = _require(ctx, user_id)
    _check_password(data.password, user.username, "password")
    user.password_hash = hash_password(ctx.settings, data.password)
    _end_sessions(ctx, user)
    record(ctx, "user.password.set", "user", user.id)
    ctx.session.commit()
    return _read(ctx, user, _last_logins(ctx, [user.username]).get(user.username))


def change_own_password(ctx: Context, data: PasswordChange) -> None:
    """The signed-in person changes their password, proving the current one; their other sessions
    end (this one too: they sign in again)."""
    authorize(ctx, "me.password")
    if ctx.user is None:
        raise InvalidInput("user", "only a signed-in person has a password to change")
    user = _require(ctx, ctx.user.id)  # this session's copy (the caller's may be detached)
    if not verify_password(ctx.settings, user.password_hash, data.current_password):
        raise InvalidInput("current_password", "is not your current password")
    _check_password(data.new_password, user.username, "new_password")
    if data.new_password == data.current_password:
        raise InvalidInput("new_password", "must differ from the current one")
    user.password_hash = hash_password(ctx.settings, data.new_password)
    _end_sessions(ctx, user)
    record(ctx, "user.password.change", "user", user.id)
    ctx.session.commit()


def account_id(ctx: Context, username: str) -> int:
    """The id of the login called ``username`` (for the command line, which names people)."""
    authorize(ctx, "users.list")
    found = ctx.session.scalar(select(User.id).where(User.username == username))
    if found is None:
        raise NotFound("user", username)
    return found


def _check_password(password: str, username: str, field: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(field, f"must have at least {MIN_PASSWORD} characters")
    if username.lower() in password.lower():
        raise InvalidInput(field, "must not contain the username")
    if len(set(password)) < 4:
        raise InvalidInput(field, "is too repetitive")


def _require(ctx: Context, user_id: int) -> User:
    user = ctx.session.get(User, user_id)
    if user is None:
        raise NotFound("user", user_id)
    return user


def _active_admins(ctx: Context) -> int:
    active = select(func.count()).where(User.role == Role.ADMIN, User.is_active.is_(True))
    return ctx.session.scalar(active) or 0


def _end_sessions(ctx: Context, user: User) -> None:
    ctx.session.execute(
        update(AccessToken)
        .where(AccessToken.user_id == user.id, AccessToken.revoked_at.is_(None))
        .values(revoked_at=ctx.now())
    )


def _last_logins(ctx: Context, usernames: list[str]) -> dict[str, datetime]:
    if not usernames:
        return {}
    rows = ctx.session.execute(
        select(LoginAttempt.username, func.max(LoginAttempt.at))
        .where(LoginAttempt.username.in_(usernames), LoginAttempt.succeeded.is_(True))
        .group_by(LoginAttempt.username)
    ).all()
    return {name: ctx.local(at) for name, at in rows}


def _read(ctx: Context, user: User, last_login: datetime | None) -> AccountRead:
    return AccountRead(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        customer_id=user.customer_id,
        is_active=user.is_active,
        created_at=ctx.local(user.created_at),
        last_login_at=last_login,
    )
