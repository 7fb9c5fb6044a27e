"""Every query of the audit chain (flush only, never commit)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from xieshang.models.audit import AuditEntry


def lock_chain(session: Session) -> None:
    """Serialise writers of the chain: an advisory lock on PostgreSQL (SQLite's BEGIN IMMEDIATE
    already serialises every writer)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7283001)"))


def last_link(session: Session) -> tuple[int, str] | None:
    """The sequence number and hash of the newest entry, or None while the chain is empty."""
    row = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def entries_after(session: Session, seq: int, limit: int) -> Sequence[AuditEntry]:
    """Up to ``limit`` entries after ``seq``, in chain order."""
    return session.scalars(
        select(AuditEntry).where(AuditEntry.seq > seq).order_by(AuditEntry.seq).limit(limit)
    ).all()
