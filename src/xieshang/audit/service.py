"""Writing and verifying the audit chain. Entries are written in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from xieshang.audit import repository
from xieshang.audit.reads import ChainReport, linked_fields
from xieshang.audit.schemas import AuditReport
from xieshang.domain.audit_chain import GENESIS, canonical, digest, link_hash
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.models.audit import AuditEntry


def record(
    ctx: Context,
    action: str,
    subject_type: str,
    subject_id: object,
    *,
    before: Any = None,
    after: Any = None,
    policy_version: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain (flush only; the use case commits).

    The chain's lock comes after the rows the transaction writes: its pending changes are flushed
    first, so a row they change is held before the chain is. A writer holding the chain while it
    waits for a loan could wait for a payment that holds the loan and waits for the chain."""
    session = ctx.session
    session.flush()
    repository.lock_chain(session)
    last = repository.last_link(session)
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    entry = AuditEntry(
        seq=seq,
        at=ctx.now(),
        actor=ctx.actor,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        before_digest=digest(before) if before is not None else None,
        after_digest=digest(after) if after is not None else None,
        policy_version=policy_version,
        details=canonical(details or {}),
        prev_hash=prev,
        hash="",
    )
    entry.hash = link_hash(prev, linked_fields(entry))
    session.add(entry)
    session.flush()
    return entry


def verify(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the chain in order; report the first entry whose link does not hold."""
    prev, expected_seq, checked = GENESIS, 1, 0
    last_seq = 0
    while True:
        rows = repository.entries_after(session, last_seq, batch)
        if not rows:
            return ChainReport(True, checked)
        for entry in rows:
            if entry.seq != expected_seq:
                return ChainReport(
                    False, checked, entry.seq, f"expected entry {expected_seq}, found {entry.seq}"
                )
            if entry.prev_hash != prev:
                return ChainReport(
                    False, checked, entry.seq, "does not link to the entry before it"
                )
            if link_hash(prev, linked_fields(entry)) != entry.hash:
                return ChainReport(False, checked, entry.seq, "its content does not match its hash")
            prev, expected_seq, checked, last_seq = (
                entry.hash,
                entry.seq + 1,
                checked + 1,
                entry.seq,
            )


def verify_chain(ctx: Context) -> AuditReport:
    """The audit chain checked end to end (compliance and administrators)."""
    authorize(ctx, "audit.verify")
    return AuditReport.model_validate(verify(ctx.session))
