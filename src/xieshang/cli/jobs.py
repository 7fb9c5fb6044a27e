"""Batch jobs: ``jobs run close-of-business --as-of DATE`` and ``jobs status``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

import typer
from sqlalchemy.orm import Session, sessionmaker

from xieshang.cli.app import app
from xieshang.cli.service import load_settings
from xieshang.jobs import close_of_business, complaints_clock, notifications, reminders
from xieshang.jobs.lock import JobLocked
from xieshang.jobs.repository import recent_runs
from xieshang.jobs.runner import JobReport
from xieshang.kit.config import Settings
from xieshang.kit.db import make_engine, session_factory
from xieshang.kit.parse import parse_date

jobs_app = typer.Typer(
    help="Batch jobs (close of business, complaints clock, notifications, reminders).",
    no_args_is_help=True,
)
run_app = typer.Typer(help="Run a job.", no_args_is_help=True)
app.add_typer(jobs_app, name="jobs")
jobs_app.add_typer(run_app, name="run")


@run_app.command("close-of-business")
def run_close_of_business(
    as_of: Annotated[str, typer.Option(help="The business day to close, YYYY-MM-DD.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the run's record as JSON.")
    ] = False,
) -> None:
    """Accrue, age and classify every active loan, judge agreements, expire offers — through
    AS_OF, one day at a time from where each loan was last closed. Safe to run twice."""
    day = parse_date(as_of, "as_of")
    _run_and_print(
        lambda sessions, settings: close_of_business.run(sessions, settings, day), as_json
    )


@run_app.command("complaints-clock")
def run_complaints_clock(
    as_of: Annotated[str, typer.Option(help="The day to check deadlines on, YYYY-MM-DD.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the run's record as JSON.")
    ] = False,
) -> None:
    """Remind holders before complaint deadlines, escalate breaches, close complaints whose review
    period is over — as of AS_OF. Safe to run twice."""
    day = parse_date(as_of, "as_of")
    _run_and_print(
        lambda sessions, settings: complaints_clock.run(sessions, settings, day), as_json
    )


AsJson = Annotated[bool, typer.Option("--json", help="Print the run's record as JSON.")]


@run_app.command("notifications")
def run_notifications(
    as_of: Annotated[
        str | None, typer.Option(help="The business day the run is recorded under (today).")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Send every queued e-mail and SMS whose time has come (retries included) and record each
    outcome: sent, failed with the reason, or skipped for want of an address."""
    day = parse_date(as_of, "as_of") if as_of else None
    _run_and_print(
        lambda sessions, settings: notifications.run(sessions, settings, as_of=day), as_json
    )


@run_app.command("reminders")
def run_reminders(
    as_of: Annotated[str, typer.Option(help="The day to remind from, YYYY-MM-DD.")],
    as_json: AsJson = False,
) -> None:
    """Remind customers of installments due within the policy's reminder_days_before days; each
    installment once. Safe to run twice."""
    day = parse_date(as_of, "as_of")
    _run_and_print(lambda sessions, settings: reminders.run(sessions, settings, day), as_json)


def _run_and_print(
    job: Callable[[sessionmaker[Session], Settings], JobReport], as_json: bool
) -> None:
    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        report = job(session_factory(engine), settings)
    except JobLocked as locked:
        typer.echo(f"xieshang: {locked}", err=True)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    counts = dict(sorted(report.counts.items()))
    if as_json:
        data = {
            "run": report.run_id,
            "job": report.job,
            "as_of": report.as_of.isoformat(),
            "status": report.status,
            "counts": counts,
            "failures": report.failures,
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        typer.echo(f"{report.job} {report.as_of}: run {report.run_id} {report.status}")
        for name, value in counts.items():
            typer.echo(f"  {name}: {value}")
        for failure in report.failures[:20]:
            typer.echo("  FAILED " + ", ".join(f"{k} {v}" for k, v in failure.items()))
    if report.failures:
        raise typer.Exit(1)


@jobs_app.command("status")
def status(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many recent runs.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The most recent job runs: when, for which day, what they did, what failed."""
    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        with session_factory(engine)() as session:
            runs = recent_runs(session, limit)
            rows = [
                {
                    "run": r.id,
                    "job": r.job,
                    "as_of": r.as_of.isoformat(),
                    "status": r.status,
                    "started_at": r.started_at.isoformat(timespec="seconds"),
                    "finished_at": r.finished_at.isoformat(timespec="seconds")
                    if r.finished_at
                    else None,
                    "counts": json.loads(r.counts),
                    "failures": len(json.loads(r.failures)),
                }
                for r in runs
            ]
    finally:
        engine.dispose()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("no job runs yet")
        return
    for row in rows:
        closed = row["counts"].get("loans_closed", 0)
        typer.echo(
            f"#{row['run']} {row['job']} as of {row['as_of']}: {row['status']}, "
            f"{closed} loans closed, {row['failures']} failed (started {row['started_at']})"
        )
