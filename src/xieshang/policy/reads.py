"""Stored policy versions as documents and as the API shows them: each with its standing (proposed,
rejected, scheduled, in force or superseded) and the names of who proposed and decided it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from xieshang.kit.context import Context
from xieshang.models.policy import PolicyVersion
from xieshang.policy.in_force import InForce
from xieshang.policy.repository import APPROVED
from xieshang.policy.schemas import PolicyInForceRead, PolicyVersionRead


@dataclass(frozen=True)
class Document:
    """A policy document by version: a stored one, or the baseline shipped with xieshang."""

    version: str
    text: str
    effective_from: date
    version_id: int | None
    digest: str


def stored_document(row: PolicyVersion) -> Document:
    return Document(row.version, row.text, row.effective_from, row.id, row.digest)


def standing(row: PolicyVersion, today: date, in_force_id: int | None) -> str:
    if row.status != APPROVED:
        return row.status
    if row.id == in_force_id:
        return "in_force"
    return "scheduled" if row.effective_from > today else "superseded"


def version_read(
    ctx: Context, row: PolicyVersion, names: dict[int, str], in_force_id: int | None
) -> PolicyVersionRead:
    """The version as listed; ``names`` are the usernames of the people it mentions, by id."""
    return PolicyVersionRead(
        id=row.id,
        version=row.version,
        digest=row.digest,
        effective_from=row.effective_from,
        based_on=row.based_on,
        status=row.status,
        standing=standing(row, ctx.today(), in_force_id),
        proposed_by=_name(names, row.proposed_by),
        proposed_at=ctx.local(row.proposed_at),
        proposal_note=row.proposal_note,
        decided_by=_name(names, row.decided_by),
        decided_at=ctx.local(row.decided_at) if row.decided_at else None,
        decision_note=row.decision_note,
    )


def in_force_read(current: InForce) -> PolicyInForceRead:
    return PolicyInForceRead(
        version=current.policy.version,
        digest=current.policy.digest,
        effective_from=current.policy.effective_from,
        version_id=current.version_id,
    )


def _name(names: dict[int, str], user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return names.get(user_id, f"user {user_id}")
