from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xieshang.models.base import Base, BigId


class JobRun(Base):
    """One run of a batch job: what it was asked to do, what it did, and what failed."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    job: Mapped[str] = mapped_column(String(48), index=True)
    as_of: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(32))
    """running, succeeded, completed_with_failures, failed (some items failed), refused (another run held the lock)."""
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    counts: Mapped[str] = mapped_column(Text, default="{}")
    failures: Mapped[str] = mapped_column(Text, default="[]")
    holder: Mapped[str] = mapped_column(String(120))


class JobLock(Base):
    """At most one run of a job at a time: the row is the lock, its primary key the guarantee."""

    __tablename__ = "job_locks"

    job: Mapped[str] = mapped_column(String(48), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    acquired_at: Mapped[datetime]
    expires_at: Mapped[datetime]
