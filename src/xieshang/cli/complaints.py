"""Complaint commands: ``complaints deadline`` (no database) and ``complaints report`` (the
regulator's statistics for a period, as XLSX or CSV)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from xieshang.cli.app import app
from xieshang.cli.service import load_settings, open_context
from xieshang.complaints.statistics import complaint_statistics, export
from xieshang.domain.complaints import Extension, decision_due
from xieshang.domain.errors import InvalidInput
from xieshang.kit.calendar import ChinaBankCalendar
from xieshang.kit.parse import parse_date

complaints_app = typer.Typer(help="Complaints.", no_args_is_help=True)
app.add_typer(complaints_app, name="complaints")


@complaints_app.command("deadline")
def deadline(
    received: Annotated[str, typer.Option(help="Day the complaint was received, YYYY-MM-DD.")],
    extension: Annotated[
        str, typer.Option(help="none, complex (30 days) or special (60 days).")
    ] = "none",
    paused_days: Annotated[int, typer.Option(help="Days of external assessment or mediation.")] = 0,
    restarted_on: Annotated[
        str | None, typer.Option(help="Day new facts restarted the clock.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """When the decision on a complaint is due (15 / 30 / 60 calendar days, Civil Code counting)."""
    try:
        kind = Extension(extension)
    except ValueError:
        raise InvalidInput(
            "extension", f"{extension!r} is not one of: none, complex, special"
        ) from None
    result = decision_due(
        parse_date(received, "received"),
        extension=kind,
        paused_days=paused_days,
        restarted_on=parse_date(restarted_on, "restarted_on") if restarted_on else None,
        calendar=ChinaBankCalendar(),
    )
    data = {
        "decision_due": result.due.isoformat(),
        "received": received,
        "clock_starts": result.starts.isoformat(),
        "days_allowed": result.days_allowed,
        "paused_days": result.paused_days,
        "nominal_due": result.nominal_due.isoformat(),
        "moved_for_holiday": result.moved_for_holiday,
    }
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    moved = (
        f" (the {result.nominal_due} falls on a holiday or rest day)"
        if result.moved_for_holiday
        else ""
    )
    typer.echo(
        f"decision due {result.due}{moved}: {result.days_allowed} days from {result.starts}"
        + (f" + {paused_days} paused" if paused_days else "")
    )


@complaints_app.command("report")
def report(
    start: Annotated[str, typer.Option("--from", help="First day of receipt, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option("--to", help="Last day of receipt, YYYY-MM-DD.")],
    out: Annotated[Path, typer.Option(help="The file to write.")],
    file_format: Annotated[str, typer.Option("--format", help="xlsx or csv.")] = "xlsx",
) -> None:
    """The regulator's statistics of complaints received in a period: counts by category, channel,
    product, region, status and root cause; time to decision; share on time; reviews."""
    if file_format not in ("xlsx", "csv"):
        raise InvalidInput("format", f"{file_format!r} is not one of: xlsx, csv")
    first, last = parse_date(start, "from"), parse_date(end, "to")
    with open_context(load_settings()) as ctx:
        stats = complaint_statistics(ctx, first, last)
    content, _ = export(stats, file_format)
    try:
        out.write_bytes(content)
    except OSError as error:
        raise InvalidInput("out", f"cannot write {out}: {error.strerror or error}") from None
    typer.echo(f"{stats.received} complaints received {first} to {last}: wrote {out}")
