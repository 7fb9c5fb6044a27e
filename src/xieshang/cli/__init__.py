"""The ``xieshang`` command line: the only package that imports Typer.

Every command that fails on bad input prints one line, ``xieshang: error: <field>: <problem>``, to
stderr and exits with code 2; it never prints a traceback.
"""

from __future__ import annotations

import sys

import typer

from xieshang.cli import (  # noqa: F401  (they register commands)
    complaints,
    jobs,
    ledger,
    negotiate,
    policy_versions,
    service,
    surveys,
    triage,
    users,
)
from xieshang.cli.app import app
from xieshang.domain.errors import XieshangError


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app and turn every input error into one line and exit code 2."""
    try:
        result = app(args=argv, prog_name="xieshang", standalone_mode=False)
    except XieshangError as error:
        typer.echo(f"xieshang: error: {error}", err=True)
        return 2
    except typer.Abort:
        typer.echo("xieshang: aborted", err=True)
        return 1
    except typer.TyperException as error:  # Click's usage errors, re-exported by Typer
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        if type(error).__name__ == "NoArgsIsHelpError":  # a bare `xieshang` shows the help
            typer.echo(message)
            return 0
        typer.echo(f"xieshang: error: {' '.join(message.split())}", err=True)
        return 2
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
