"""Logins as an administrator manages them: open, refuse bad ones, disable (sessions end), never
lock the bank out, reset and change passwords; every change is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories
from xieshang.auth import service as accounts
from xieshang.auth.schemas import AccountCreate, PasswordChange, PasswordSet
from xieshang.auth.service import IssuedToken, authenticate, login
from xieshang.domain.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from xieshang.kit.context import Context
from xieshang.models.audit import AuditEntry
from xieshang.models.user import Role

GOOD = "correct horse battery"


def _admin(ctx: Context) -> None:
    ctx.user = factories.user(ctx, Role.ADMIN, "acct-admin")
    ctx.session.commit()


def _sign_in(ctx: Context, username: str, password: str) -> IssuedToken:
    """Log in as someone (as the web app does), leaving the caller signed in as they were."""
    caller = ctx.user
    try:
        return login(ctx, username, password)
    finally:
        ctx.user = caller


def test_an_admin_opens_staff_and_customer_logins(ctx: Context) -> None:
    _admin(ctx)
    made = accounts.open_account(
        ctx, AccountCreate(username="li.na", display_name="李娜", role=Role.AGENT, password=GOOD)
    )
    assert (made.role, made.is_active, made.last_login_at) == (Role.AGENT, True, None)
    assert _sign_in(ctx, "li.na", GOOD).user.id == made.id
    listed = accounts.list_accounts(ctx, role=Role.AGENT)
    assert [a.username for a in listed.items] == ["li.na"]
    assert listed.items[0].last_login_at is not None
    factories.product(ctx)
    owner = factories.customer(ctx)
    ctx.session.commit()
    mine = AccountCreate(
        username="wang.fang",
        display_name="王芳",
        role=Role.CUSTOMER,
        password=GOOD,
        customer_id=owner.id,
    )
    assert accounts.open_account(ctx, mine).customer_id == owner.id
    with pytest.raises(Conflict, match="already has a login"):
        accounts.open_account(ctx, mine.model_copy(update={"username": "wang.fang2"}))
    actions = ctx.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action == "user.create")
    )
    assert len(list(actions)) >= 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"username": "Li Na"}, "username"),
        ({"username": "ab"}, "username"),
        ({"password": "short"}, "password"),
        ({"password": "li.na-is-my-password"}, "password"),
        ({"password": "aaaaaaaaaaaaaaa"}, "password"),
        ({"customer_id": 7}, "customer_id"),
        ({"role": Role.CUSTOMER}, "customer_id"),
    ],
)
def test_bad_logins_are_refused_with_the_field(
    ctx: Context, change: dict[str, object], field: str
) -> None:
    _admin(ctx)
    base = AccountCreate(username="li.na", display_name="李娜", role=Role.AGENT, password=GOOD)
    with pytest.raises(InvalidInput) as refused:
        accounts.open_account(ctx, base.model_copy(update=change))
    assert refused.value.field == field
    assert accounts.list_accounts(ctx, q="li.na").total == 0, "nothing was written"


def test_a_customer_login_needs_a_real_customer(ctx: Context) -> None:
    _admin(ctx)
    data = AccountCreate(
        username="ghost", display_name="x", role=Role.CUSTOMER, password=GOOD, customer_id=999_999
    )
    with pytest.raises(NotFound):
        accounts.open_account(ctx, data)


def test_only_an_admin_manages_logins(ctx: Context) -> None:
    ctx.user = factories.user(ctx, Role.SUPERVISOR, "acct-super")
    with pytest.raises(PermissionDenied):
        accounts.list_accounts(ctx)
    with pytest.raises(PermissionDenied):
        accounts.open_account(
            ctx, AccountCreate(username="x.y", display_name="x", role=Role.ADMIN, password=GOOD)
        )


def test_disabling_ends_sessions_and_never_locks_the_bank_out(ctx: Context) -> None:
    _admin(ctx)
    agent = factories.user(ctx, Role.AGENT, "acct-agent")
    ctx.session.commit()
    token = _sign_in(ctx, "acct-agent", factories.PASSWORD).token
    assert authenticate(ctx, token).id == agent.id
    admin = ctx.user
    assert admin is not None
    assert accounts.set_active(ctx, agent.id, False).is_active is False
    with pytest.raises(NotAuthenticated):
        authenticate(ctx, token)
    with pytest.raises(NotAuthenticated):
        _sign_in(ctx, "acct-agent", factories.PASSWORD)
    assert accounts.set_active(ctx, agent.id, True).is_active is True
    assert _sign_in(ctx, "acct-agent", factories.PASSWORD).user.id == agent.id
    ctx.user = admin
    with pytest.raises(Conflict, match="your own"):
        accounts.set_active(ctx, admin.id, False)
    other = factories.user(ctx, Role.ADMIN, "acct-admin2")
    ctx.session.commit()
    ctx.user = other
    only_admins = accounts.list_accounts(ctx, role=Role.ADMIN).items
    for row in only_admins:
        if row.id not in (admin.id, other.id):
            accounts.set_active(ctx, row.id, False)
    accounts.set_active(ctx, admin.id, False)
    ctx.user = None  # the system (the command line) cannot disable the last one either
    with pytest.raises(Conflict, match="last active administrator"):
        accounts.set_active(ctx, other.id, False)


def test_passwords_are_reset_and_changed(ctx: Context) -> None:
    _admin(ctx)
    agent = factories.user(ctx, Role.AGENT, "acct-pw")
    ctx.session.commit()
    token = _sign_in(ctx, "acct-pw", factories.PASSWORD).token
    accounts.set_password(ctx, agent.id, PasswordSet(password=GOOD))
    with pytest.raises(NotAuthenticated):
        authenticate(ctx, token)
    with pytest.raises(NotAuthenticated):
        _sign_in(ctx, "acct-pw", factories.PASSWORD)
    ctx.user = login(ctx, "acct-pw", GOOD).user
    with pytest.raises(InvalidInput) as wrong:
        accounts.change_own_password(
            ctx, PasswordChange(current_password="nope", new_password="another fine phrase")
        )
    assert wrong.value.field == "current_password"
    with pytest.raises(InvalidInput) as same:
        accounts.change_own_password(ctx, PasswordChange(current_password=GOOD, new_password=GOOD))
    assert same.value.field == "new_password"
    accounts.change_own_password(
        ctx, PasswordChange(current_password=GOOD, new_password="another fine phrase")
    )
    assert _sign_in(ctx, "acct-pw", "another fine phrase").user.id == agent.id
    actions = set(
        ctx.session.scalars(select(AuditEntry.action).where(AuditEntry.subject_id == str(agent.id)))
    )
    assert {"user.password.set", "user.password.change"} <= actions
