"""Writing and verifying the audit chain. Entries are written in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from xieshang.domain.audit_chain import GENESIS, canonical, digest, link_hash
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.models.audit import AuditEntry


def _fields(entry: AuditEntry) -> dict[str, Any]:
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
    _lock_chain(session)
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
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
    entry.hash = link_hash(prev, _fields(entry))
    session.add(entry)
    session.flush()
    return entry


def _lock_chain(session: Session) -> None:
    """Serialise writers of the chain: an advisory lock on PostgreSQL (SQLite's BEGIN IMMEDIATE
    already serialises every writer)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7283001)"))


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""


def verify(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the chain in order; report the first entry whose link does not hold."""
    prev, expected_seq, checked = GENESIS, 1, 0
    last_seq = 0
    while True:
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.seq > last_seq)
            .order_by(AuditEntry.seq)
            .limit(batch)
        ).all()
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
            if link_hash(prev, _fields(entry)) != entry.hash:
                return ChainReport(False, checked, entry.seq, "its content does not match its hash")
            prev, expected_seq, checked, last_seq = (
                entry.hash,
                entry.seq + 1,
                checked + 1,
                entry.seq,
            )


def verify_chain(ctx: Context) -> ChainReport:
    """The audit chain checked end to end (compliance and administrators)."""
    authorize(ctx, "audit.verify")
    return verify(ctx.session)
