"""Logins: administrators open, disable, re-enable and reset them; anyone changes their own password."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from xieshang.auth import service as accounts
from xieshang.auth.schemas import (
    AccountCreate,
    AccountPage,
    AccountRead,
    PasswordChange,
    PasswordSet,
)
from xieshang.models.user import Role
from xieshang.web.deps import UserContext
from xieshang.web.routing import Router

router = Router(tags=["users"])
Id = Annotated[int, Path(ge=1, le=2**62)]


@router.get("/users", name="users.list")
def list_users(
    ctx: UserContext,
    role: Role | None = None,
    q: Annotated[str | None, Query(max_length=64)] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AccountPage:
    """Every login with its role, whether it is active and when it last signed in."""
    return accounts.list_accounts(ctx, role=role, q=q, page=page, page_size=page_size)


@router.post("/users", name="users.create", status_code=201)
def create_user(ctx: UserContext, data: AccountCreate) -> AccountRead:
    """Open a login: staff (agent, supervisor, compliance, admin) or a customer's own."""
    return accounts.open_account(ctx, data)


@router.post("/users/{user_id}/disable", name="users.disable")
def disable_user(ctx: UserContext, user_id: Id) -> AccountRead:
    """Disable a login; its sessions end at once. Not your own, and not the last administrator."""
    return accounts.set_active(ctx, user_id, False)


@router.post("/users/{user_id}/enable", name="users.enable")
def enable_user(ctx: UserContext, user_id: Id) -> AccountRead:
    return accounts.set_active(ctx, user_id, True)


@router.post("/users/{user_id}/password", name="users.password")
def set_password(ctx: UserContext, user_id: Id, data: PasswordSet) -> AccountRead:
    """Set a new password for someone who forgot theirs; their sessions end."""
    return accounts.set_password(ctx, user_id, data)


@router.post("/me/password", name="me.password", status_code=204)
def change_my_password(ctx: UserContext, data: PasswordChange) -> None:
    """Change your own password (the current one is required); your sessions end."""
    accounts.change_own_password(ctx, data)
