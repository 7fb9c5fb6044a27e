"""Stored policy versions from the command line: ``policy list``, ``policy propose FILE``,
``policy approve ID``, ``policy reject ID``.

The operator names the person acting (``--by USERNAME``): the same role rules and four-eyes check
apply as in the web application and the API, and the audit log names that person.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from xieshang.auth.service import acting_user
from xieshang.cli.negotiate import policy_app
from xieshang.cli.service import load_settings, open_context
from xieshang.domain.errors import InvalidInput
from xieshang.kit.context import Context
from xieshang.kit.files import read_text
from xieshang.policy import service
from xieshang.policy.schemas import PolicyDecision, PolicyProposal

By = Annotated[str, typer.Option("--by", help="Username of the person acting (four eyes).")]
Note = Annotated[str, typer.Option("--note", help="Why (proposal) or what was checked (decision).")]


def _decision(note: str) -> PolicyDecision:
    try:
        return PolicyDecision(note=note)
    except ValidationError:
        raise InvalidInput("note", "must be 1 to 2000 characters") from None


@contextmanager
def _acting(username: str | None) -> Iterator[Context]:
    with open_context(load_settings()) as ctx:
        if username is not None:
            ctx.user = acting_user(ctx, username)
        yield ctx


@policy_app.command("list")
def policy_list() -> None:
    """The policy in force and every stored version, newest proposal first."""
    with _acting(None) as ctx:
        listing = service.list_versions(ctx)
    current = listing.in_force
    source = f"version id {current.version_id}" if current.version_id else "shipped baseline"
    typer.echo(f"in force: {current.version} from {current.effective_from} ({source})")
    for v in listing.versions:
        decided = f", {v.status} by {v.decided_by or 'system'}" if v.decided_at else ""
        typer.echo(
            f"{v.id:>4}  {v.version:<12} {v.standing:<11} effective {v.effective_from}  "
            f"proposed by {v.proposed_by or 'system'}{decided}"
        )


@policy_app.command("propose")
def policy_propose(
    file: Annotated[Path, typer.Argument(help="The complete policy document (YAML).")],
    by: By,
    note: Note,
) -> None:
    """Propose a policy version for a second person to approve."""
    try:
        proposal = PolicyProposal(text=read_text(file, "policy"), note=note)
    except ValidationError as error:
        first = error.errors()[0]
        raise InvalidInput(str(first["loc"][0]), str(first["msg"])) from None
    with _acting(by) as ctx:
        proposed = service.propose(ctx, proposal)
    typer.echo(f"proposed {proposed.version} (id {proposed.id}), based on {proposed.based_on}:")
    for line in proposed.changes:
        typer.echo(f"  {line}")


@policy_app.command("approve")
def policy_approve(
    version_id: Annotated[int, typer.Argument(help="The proposal's id (policy list).")],
    by: By,
    note: Note,
) -> None:
    """Approve a proposal (not your own): it is in force from its effective date."""
    with _acting(by) as ctx:
        approved = service.approve(ctx, version_id, _decision(note))
    typer.echo(f"approved {approved.version}: {approved.standing} from {approved.effective_from}")


@policy_app.command("reject")
def policy_reject(
    version_id: Annotated[int, typer.Argument(help="The proposal's id (policy list).")],
    by: By,
    note: Note,
) -> None:
    """Reject a proposal (not your own), saying why."""
    with _acting(by) as ctx:
        rejected = service.reject(ctx, version_id, _decision(note))
    typer.echo(f"rejected {rejected.version}")
