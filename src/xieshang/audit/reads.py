"""Audit entries as the chain links them, and the chain's check as a report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xieshang.models.audit import AuditEntry


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""


def linked_fields(entry: AuditEntry) -> dict[str, Any]:
    """The entry's fields that its hash covers."""
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "subject_type": entry.subject_type,
        "subject_id": entry.subject_id,
        "before_digest": entry.before_digest,
        "after_digest": entry.after_digest,
        "policy_version": entry.policy_version,
        "details": entry.details,
    }
