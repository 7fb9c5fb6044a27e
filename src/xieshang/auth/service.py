"""Logging in, bearer tokens (opaque, stored as digests, expiring, revocable) and throttling."""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from xieshang.audit.service import record
from xieshang.auth.repository import user_named
from xieshang.domain.errors import AlreadyExists, InvalidInput, NotAuthenticated, TooManyAttempts
from xieshang.kit.config import Settings
from xieshang.kit.context import Context
from xieshang.models.user import AccessToken, LoginAttempt, Role, User


@functools.cache
def _hasher(time_cost: int, memory_kib: int) -> tuple[PasswordHasher, str]:
    """The Argon2id hasher for these costs, and a real hash of a random string to verify against
    when the username is unknown, so that timing does not tell which usernames exist."""
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
    return hasher, hasher.hash(secrets.token_hex(16))


def _hasher_for(settings: Settings) -> tuple[PasswordHasher, str]:
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_kib)


def hash_password(settings: Settings, password: str) -> str:
    return _hasher_for(settings)[0].hash(password)


def verify_password(settings: Settings, password_hash: str, password: str) -> bool:
    return _verify(_hasher_for(settings)[0], password_hash, password)


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
    if ctx.session.scalar(select(User.id).where(User.username == username)) is not None:
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
    failures = ctx.session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.username == username,
            LoginAttempt.at > now - window,
            LoginAttempt.succeeded.is_(False),
        )
    )
    if (failures or 0) >= ctx.settings.login_attempts_per_window:
        raise TooManyAttempts(ctx.settings.login_window_seconds)
    user = ctx.session.scalar(select(User).where(User.username == username))
    hasher, dummy = _hasher_for(ctx.settings)
    checked = _verify(hasher, user.password_hash if user else dummy, password)
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


def _verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(ctx: Context, token: str) -> User:
    """The active user behind a bearer token that has neither expired nor been revoked."""
    row = ctx.session.get(AccessToken, _token_digest(token))
    if row is None or row.revoked_at is not None or row.expires_at <= ctx.now():
        raise NotAuthenticated("the token is invalid, expired or revoked")
    user = ctx.session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("the account is disabled")
    return user


def revoke(ctx: Context, token: str) -> None:
    row = ctx.session.get(AccessToken, _token_digest(token))
    if row is not None and row.revoked_at is None:
        row.revoked_at = ctx.now()
        record(ctx, "auth.revoke", "user", row.user_id)
        ctx.session.commit()


def acting_user(ctx: Context, username: str) -> User:
    """The active login called ``username``, for a command run on someone's behalf."""
    user = user_named(ctx, username)
    if user is None or not user.is_active:
        raise InvalidInput("by", f"no active user {username!r}")
    return user
