"""Commands that run the service: database, server, demo, audit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, cast

import typer
import uvicorn
from pydantic import ValidationError

from xieshang.audit.service import verify
from xieshang.cli.app import app
from xieshang.contacts.schemas import ContactIn
from xieshang.contacts.service import ContactRefused, make_contact
from xieshang.customers.service import rotate_pii_keys
from xieshang.demo.seed import CUSTOMER_LOGINS, DEMO_PASSWORD, STAFF_LOGINS, SeedSummary, seed_demo
from xieshang.domain.errors import InvalidInput
from xieshang.imports.schemas import KINDS, ImportKind
from xieshang.imports.service import import_file
from xieshang.jobs import close_of_business
from xieshang.kit.config import Settings
from xieshang.kit.context import Context, make_cipher
from xieshang.kit.db import make_engine, session_factory
from xieshang.kit.migrate import upgrade
from xieshang.loans.service import backfill_disclosures
from xieshang.web.app import create_app

db_app = typer.Typer(help="The database.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)
pii_app = typer.Typer(help="Encrypted personal data.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
app.add_typer(pii_app, name="pii")

Host = Annotated[str, typer.Option(help="Address to listen on (loopback by default).")]
Port = Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")]


def load_settings(**overrides: object) -> Settings:
    """Settings from XIESHANG_* variables; a bad value is one readable line, not a traceback."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "settings"
        raise InvalidInput(f"XIESHANG_{field.upper()}", str(first["msg"])) from None


@contextmanager
def open_context(settings: Settings) -> Iterator[Context]:
    engine = make_engine(settings.database_url)
    session = session_factory(engine)()
    try:
        yield Context(session, settings, make_cipher(settings))
    finally:
        session.close()
        engine.dispose()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database named by XIESHANG_DATABASE_URL (default ./xieshang.kit.db);
    then give loans booked before disclosure tables were kept their tables."""
    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    with open_context(settings) as ctx:
        tables = backfill_disclosures(ctx)
    typer.echo(f"database is up to date: {engine.url.render_as_string(hide_password=True)}")
    if tables:
        typer.echo(
            f"cost disclosure tables written for {tables} loans booked before they were kept"
        )


@audit_app.command("verify")
def audit_verify() -> None:
    """Walk the hash chain: exit 0 when intact, 1 naming the first broken entry."""
    with open_context(load_settings()) as ctx:
        report = verify(ctx.session)
    if report.intact:
        typer.echo(f"audit chain intact: {report.checked} entries")
        return
    typer.echo(f"audit chain BROKEN at entry {report.first_broken_seq}: {report.reason}", err=True)
    raise typer.Exit(1)


@pii_app.command("rotate")
def pii_rotate() -> None:
    """Re-encrypt all personal data under the first key in XIESHANG_PII_KEYS."""
    with open_context(load_settings()) as ctx:
        changed = rotate_pii_keys(ctx)
    typer.echo(f"re-encrypted the personal data of {changed} customers")


@app.command()
def serve(host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """Serve the web application and API with the configured database."""
    settings = load_settings()
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


def fresh_sqlite(path: Path) -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


@app.command("seed-demo")
def seed_demo_command(
    customers: Annotated[int, typer.Option(min=5, max=5000, help="How many customers.")] = 60,
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed gives the same portfolio.")
    ] = 2026,
) -> None:
    """Fill an empty, migrated database with a realistic synthetic portfolio and demo logins."""
    summary = seed_and_close(load_settings(), customers, seed)
    typer.echo(_summary_line(summary))


@app.command()
def demo(
    port: Port = 8000,
    database: Annotated[
        Path, typer.Option(help="SQLite file for the demo (recreated each time).")
    ] = Path("xieshang-demo.db"),
) -> None:
    """The demo: a fresh SQLite database, migrated, seeded, served on 127.0.0.1."""
    settings = load_settings(environment="demo", database_url=fresh_sqlite(database))
    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    typer.echo("xieshang 协商 demo — seeding a synthetic portfolio …")
    summary = seed_and_close(settings, 60, 2026)
    typer.echo(_summary_line(summary))
    typer.echo(
        f"\n  open  http://127.0.0.1:{port}/      (API docs: http://127.0.0.1:{port}/docs)\n"
    )
    typer.echo(f"  logins (password {DEMO_PASSWORD}):")
    for name, role, _ in STAFF_LOGINS:
        typer.echo(f"    {name:<12} {role.value}")
    for name in CUSTOMER_LOGINS:
        typer.echo(f"    {name:<12} customer")
    typer.echo("")
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning")


def _summary_line(summary: SeedSummary) -> str:
    states = ", ".join(f"{state.value} {count}" for state, count in summary.by_state().items())
    line = f"seeded {summary.customers} customers, {summary.loans} loans ({states}), {summary.payments} payments"
    if summary.negotiations is not None:
        n = summary.negotiations
        line += (
            f"; negotiations: {n.offered} with offers, {n.pending_approval} awaiting approval, "
            f"{n.agreements} agreement{'' if n.agreements == 1 else 's'}"
        )
    return line


def seed_and_close(settings: Settings, customers: int, seed: int) -> SeedSummary:
    """Seed the demo portfolio as of today, then run the close of business for today so every
    loan's days past due, bucket and classification are stored as the nightly job would."""
    with open_context(settings) as ctx:
        summary = seed_demo(
            ctx, as_of=ctx.today(), customers=customers, seed=seed, contact=demo_contact
        )
        today = ctx.today()
    engine = make_engine(settings.database_url)
    try:
        close_of_business.run(session_factory(engine), settings, today)
    finally:
        engine.dispose()
    return summary


def demo_contact(ctx: Context, fields: dict[str, object]) -> bool:
    """One of the demo's collection contacts, through the collection service: True when made,
    False when the conduct rules refused it (the refusal is audited)."""
    try:
        make_contact(ctx, ContactIn.model_validate(fields))
    except ContactRefused:
        return False
    return True


@app.command("import")
def import_command(
    kind: Annotated[str, typer.Argument(help="customers, loans, payments or complaints")],
    file: Annotated[Path, typer.Argument(help="CSV or Parquet export (see docs/import.md).")],
) -> None:
    """Import a core-banking export; re-importing the same file changes nothing."""
    if kind not in KINDS:
        raise InvalidInput("kind", f"{kind!r} is not one of: {', '.join(KINDS)}")
    with open_context(load_settings()) as ctx:
        report = import_file(ctx, cast(ImportKind, kind), file)
    typer.echo(report.summary())
    for line, message in report.errors:
        typer.echo(f"  line {line}: {message}", err=True)
    if report.errors:
        raise typer.Exit(1)
