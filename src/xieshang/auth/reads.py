"""Logins as the API and the pages show them."""

from __future__ import annotations

from datetime import datetime

from xieshang.auth.schemas import AccountRead
from xieshang.kit.context import Context
from xieshang.models.user import User


def account_read(ctx: Context, user: User, last_login: datetime | None) -> AccountRead:
    """The login, its times in the bank's timezone; ``last_login`` as stored (UTC)."""
    return AccountRead(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        customer_id=user.customer_id,
        is_active=user.is_active,
        created_at=ctx.local(user.created_at),
        last_login_at=ctx.local(last_login) if last_login is not None else None,
    )
