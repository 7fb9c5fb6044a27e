"""Logins: ``users create`` (the first administrator too), ``users list``, ``users disable``,
``users enable``, ``users password``. Passwords are read from a hidden prompt or, for scripts, one
line on standard input (``--password-stdin``); never from the command line, where ``ps`` shows it."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from pydantic import ValidationError

from xieshang.auth import service as accounts
from xieshang.auth.schemas import AccountCreate, AccountRead, PasswordSet
from xieshang.cli.app import app
from xieshang.cli.service import load_settings, open_context
from xieshang.domain.errors import InvalidInput
from xieshang.models.user import Role

users_app = typer.Typer(help="Logins for staff and customers.", no_args_is_help=True)
app.add_typer(users_app, name="users")

FromStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from one line of stdin.")
]


@users_app.command("create")
def create(
    username: Annotated[str, typer.Argument(help="Lower-case letters, digits, . _ -")],
    role: Annotated[Role, typer.Option(help="agent, supervisor, compliance, admin or customer.")],
    name: Annotated[str, typer.Option(help="The name shown to colleagues.")],
    customer: Annotated[
        int | None, typer.Option(help="For a customer login: the customer's id.")
    ] = None,
    password_stdin: FromStdin = False,
) -> None:
    """Open a login (run as the system: this is how the first administrator is made)."""
    password = _password(password_stdin)
    try:
        data = AccountCreate(
            username=username, display_name=name, role=role, password=password, customer_id=customer
        )
    except ValidationError as error:
        first = error.errors()[0]
        raise InvalidInput(".".join(str(p) for p in first["loc"]), str(first["msg"])) from None
    with open_context(load_settings()) as ctx:
        made = accounts.open_account(ctx, data)
    typer.echo(f"user {made.id} {made.username} ({made.role.value}) created")


@users_app.command("list")
def list_users(
    role: Annotated[Role | None, typer.Option(help="Only this role.")] = None,
) -> None:
    """Every login: id, username, role, active or disabled, last sign-in."""
    with open_context(load_settings()) as ctx:
        page = accounts.list_accounts(ctx, role=role, page_size=200)
    for row in page.items:
        typer.echo(_line(row))
    if page.total > len(page.items):
        typer.echo(f"… {page.total - len(page.items)} more (use --role to narrow)")


@users_app.command("disable")
def disable(username: str) -> None:
    """Disable a login; its sessions end at once (never the last administrator)."""
    with open_context(load_settings()) as ctx:
        typer.echo(_line(accounts.set_active(ctx, accounts.account_id(ctx, username), False)))


@users_app.command("enable")
def enable(username: str) -> None:
    """Enable a disabled login again."""
    with open_context(load_settings()) as ctx:
        typer.echo(_line(accounts.set_active(ctx, accounts.account_id(ctx, username), True)))


@users_app.command("password")
def password(username: str, password_stdin: FromStdin = False) -> None:
    """Set a new password for a login; its sessions end."""
    secret = _password(password_stdin)
    with open_context(load_settings()) as ctx:
        accounts.set_password(ctx, accounts.account_id(ctx, username), PasswordSet(password=secret))
    typer.echo(f"password of {username} set; its sessions have ended")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    secret: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return secret


def _line(row: AccountRead) -> str:
    state = "active" if row.is_active else "disabled"
    last = f"{row.last_login_at:%Y-%m-%d %H:%M}" if row.last_login_at else "never signed in"
    return f"{row.id}\t{row.username}\t{row.role.value}\t{state}\t{last}\t{row.display_name}"
