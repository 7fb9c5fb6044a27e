"""Surveys: ``surveys campaign`` invites customers, ``surveys report`` prints the scores and words."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from pydantic import ValidationError

from xieshang.cli.app import app
from xieshang.cli.service import load_settings, open_context
from xieshang.domain.errors import InvalidInput
from xieshang.feedback import analytics
from xieshang.feedback import service as surveys
from xieshang.feedback.schemas import CampaignCreate, SurveyReport
from xieshang.kit.parse import parse_date

surveys_app = typer.Typer(
    help="Customer surveys (CSAT, NPS) and their analytics.", no_args_is_help=True
)
app.add_typer(surveys_app, name="surveys")


@surveys_app.command("campaign")
def campaign(
    name: Annotated[str, typer.Option(help="What the campaign is called, e.g. '2026 Q2'.")],
    customers: Annotated[str, typer.Option(help="Customer numbers, comma-separated.")],
) -> None:
    """Invite the listed customers to a periodic survey (each once)."""
    numbers = [n.strip() for n in customers.split(",") if n.strip()]
    with open_context(load_settings()) as ctx:
        try:
            data = CampaignCreate(name=name, customer_ids=surveys.customer_ids(ctx, numbers))
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "campaign"
            raise InvalidInput(field, str(first["msg"])) from None
        made = surveys.create_campaign(ctx, data)
    typer.echo(
        f"campaign {made.id} {made.name!r}: {made.invited} customers invited, "
        f"open until {made.expires_at:%Y-%m-%d}"
    )


@surveys_app.command("report")
def report(
    start: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """CSAT average and NPS by month, and the words customers use in their comments."""
    first, last = parse_date(start, "from"), parse_date(end, "to")
    with open_context(load_settings()) as ctx:
        result = analytics.survey_report(ctx, first, last)
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    _print(result)


def _print(result: SurveyReport) -> None:
    typer.echo(f"surveys {result.start} to {result.end}")
    typer.echo("month      invited  answers  CSAT   NPS")
    for row in [*result.months, result.overall]:
        csat = row.csat_average or "-"
        nps = f"{row.nps:+.1f}" if row.nps is not None else "-"
        typer.echo(f"{row.month:<10} {row.invitations:>7}  {row.responses:>7}  {csat:>4}  {nps:>6}")
    if result.keywords_zh:
        typer.echo("关键词: " + "、".join(f"{w.word}({w.answers})" for w in result.keywords_zh))
    if result.words_en:
        typer.echo("words: " + ", ".join(f"{w.word} ({w.answers})" for w in result.words_en))
