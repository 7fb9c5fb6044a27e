"""Every query of logins and their sessions (flush only, never commit)."""

from __future__ import annotations

from sqlalchemy import select

from xieshang.kit.context import Context
from xieshang.models.user import User


def user_named(ctx: Context, username: str) -> User | None:
    return ctx.session.scalar(select(User).where(User.username == username))
