"""Logins and their use: signing in (bearer tokens: opaque, stored as digests, expiring, revocable;
throttled), and the accounts administrators open, disable, re-enable and reset, while everyone
changes their own password. Every change is audited; disabling an account or setting its password
ends every session it has open."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from xieshang.audit.service import record
from xieshang.auth import repository
from xieshang.auth.credentials import (
    check_password,
    check_username,
    hash_password,
    verify_password,
)
from xieshang.auth.reads import account_read
from xieshang.auth.schemas import (
    AccountCreate,
    AccountPage,
    AccountRead,
    PasswordChange,
    PasswordSet,
)
from xieshang.domain.errors import (
    AlreadyExists,
    InvalidInput,
    LastAdministrator,
    LoginExists,
    NotAuthenticated,
    NotFound,
    OwnAccount,
    TooManyAttempts,
)
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.kit.repository import page_of
from xieshang.models.user import AccessToken, LoginAttempt, Role, User


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime
    user: User


def create_user(
    ctx: Context,
    username: str,
    password: str,
    role: Role,
    display_name: str,
    customer_id: int | None = None,
) -> User:
    if repository.user_id_named(ctx, username) is not None:
        raise AlreadyExists(f"username {username!r} is taken")
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        password_hash=hash_password(ctx.settings, password),
        customer_id=customer_id,
        is_active=True,
        created_at=ctx.now(),
        version=1,
    )
    ctx.session.add(user)
    ctx.session.flush()
    record(ctx, "user.create", "user", user.id, after={"username": username, "role": role.value})
    return user


def login(ctx: Context, username: str, password: str) -> IssuedToken:
    """Check the password and issue a token; refuse after too many recent failures."""
    now = ctx.now()
    window = timedelta(seconds=ctx.settings.login_window_seconds)
    failures = repository.failed_logins_since(ctx, username, now - window)
    if failures >= ctx.settings.login_attempts_per_window:
        raise TooManyAttempts(ctx.settings.login_window_seconds)
    user = repository.user_named(ctx, username)
    checked = verify_password(ctx.settings, user.password_hash if user else None, password)
    ok = checked and user is not None and user.is_active
    ctx.session.add(LoginAttempt(username=username[:64], at=now, succeeded=ok))
    if not ok or user is None:
        ctx.session.commit()
        raise NotAuthenticated("wrong username or password")
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(minutes=ctx.settings.token_ttl_minutes)
    ctx.session.add(
        AccessToken(digest=_token_digest(token), user_id=user.id, issued_at=now, expires_at=expires)
    )
    ctx.user = user
    record(ctx, "auth.login", "user", user.id)
    ctx.session.commit()
    return IssuedToken(token, expires, user)


def authenticate(ctx: Context, token: str) -> User:
    """The active user behind a bearer token that has neither expired nor been revoked."""
    row = repository.token_by_digest(ctx, _token_digest(token))
    if row is None or row.revoked_at is not None or row.expires_at <= ctx.now():
        raise NotAuthenticated("the token is invalid, expired or revoked")
    user = repository.user_by_id(ctx, row.user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("the account is disabled")
    return user


def revoke(ctx: Context, token: str) -> None:
    row = repository.token_by_digest(ctx, _token_digest(token))
    if row is not None and row.revoked_at is None:
        row.revoked_at = ctx.now()
        record(ctx, "auth.revoke", "user", row.user_id)
        ctx.session.commit()


def acting_user(ctx: Context, username: str) -> User:
    """The active login called ``username``, for a command run on someone's behalf."""
    user = repository.user_named(ctx, username)
    if user is None or not user.is_active:
        raise InvalidInput("by", f"no active user {username!r}")
    return user


def list_accounts(
    ctx: Context,
    *,
    role: Role | None = None,
    q: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> AccountPage:
    authorize(ctx, "users.list")
    query = repository.accounts_query(role, q)
    total, rows = page_of(ctx.session, query, page, page_size, User.id)
    last = repository.last_logins(ctx, [u.username for u in rows])
    return AccountPage(
        items=[account_read(ctx, u, last.get(u.username)) for u in rows],
        total=total,
        page=page,
        page_size=page_size,
    )


def open_account(ctx: Context, data: AccountCreate) -> AccountRead:
    """A new login. A customer's login names an existing customer who has none yet; a staff login
    names no customer."""
    authorize(ctx, "users.create")
    check_username(data.username)
    check_password(data.password, data.username, "password")
    if data.role is Role.CUSTOMER:
        if data.customer_id is None:
            raise InvalidInput("customer_id", "is required for a customer login")
        if not repository.customer_exists(ctx, data.customer_id):
            raise NotFound("customer", data.customer_id)
        if repository.login_id_of_customer(ctx, data.customer_id) is not None:
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
    return account_read(ctx, user, None)


def set_active(ctx: Context, user_id: int, active: bool) -> AccountRead:
    """Disable or re-enable a login. Nobody disables their own, and the last active administrator
    stays, so the bank never locks itself out."""
    authorize(ctx, "users.enable" if active else "users.disable")
    user = repository.require_user(ctx, user_id)
    if user.is_active == active:
        return _account(ctx, user)
    if not active:
        if ctx.user is not None and ctx.user.id == user.id:
            raise OwnAccount()
        if user.role is Role.ADMIN and repository.active_admins(ctx) <= 1:
            raise LastAdministrator()
        repository.revoke_tokens_of(ctx, user.id, ctx.now())
    user.is_active = active
    record(ctx, "user.enable" if active else "user.disable", "user", user.id)
    ctx.session.commit()
    return _account(ctx, user)


def set_password(ctx: Context, user_id: int, data: PasswordSet) -> AccountRead:
    """An administrator sets a new password (a forgotten one); the account's sessions end."""
    authorize(ctx, "users.password")
    user = repository.require_user(ctx, user_id)
    check_password(data.password, user.username, "password")
    user.password_hash = hash_password(ctx.settings, data.password)
    repository.revoke_tokens_of(ctx, user.id, ctx.now())
    record(ctx, "user.password.set", "user", user.id)
    ctx.session.commit()
    return _account(ctx, user)


def change_own_password(ctx: Context, data: PasswordChange) -> None:
    """The signed-in person changes their password, proving the current one; their other sessions
    end (this one too: they sign in again)."""
    authorize(ctx, "me.password")
    if ctx.user is None:
        raise InvalidInput("user", "only a signed-in person has a password to change")
    # this session's copy (the caller's may be detached)
    user = repository.require_user(ctx, ctx.user.id)
    if not verify_password(ctx.settings, user.password_hash, data.current_password):
        raise InvalidInput("current_password", "is not your current password")
    check_password(data.new_password, user.username, "new_password")
    if data.new_password == data.current_password:
        raise InvalidInput("new_password", "must differ from the current one")
    user.password_hash = hash_password(ctx.settings, data.new_password)
    repository.revoke_tokens_of(ctx, user.id, ctx.now())
    record(ctx, "user.password.change", "user", user.id)
    ctx.session.commit()


def account_id(ctx: Context, username: str) -> int:
    """The id of the login called ``username`` (for the command line, which names people)."""
    authorize(ctx, "users.list")
    found = repository.user_id_named(ctx, username)
    if found is None:
        raise NotFound("user", username)
    return found


def _account(ctx: Context, user: User) -> AccountRead:
    return account_read(ctx, user, repository.last_logins(ctx, [user.username]).get(user.username))
