"""The Typer application every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="xieshang",
    help="xieshang (协商): lawful, explained loan negotiation and complaint handling.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
