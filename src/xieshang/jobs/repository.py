"""The jobs' queries of their run records and locks (flush only, never commit; ``lock.py`` commits
each step as the lock's protocol needs)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from xieshang.models.job import JobLock, JobRun


def recent_runs(session: Session, limit: int = 10) -> list[JobRun]:
    return list(session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(limit)))


def lock_of(session: Session, job: str) -> JobLock | None:
    """The lock the job's current run holds, if any."""
    return session.get(JobLock, job)


def drop_expired_lock(session: Session, job: str, now: datetime) -> None:
    session.execute(delete(JobLock).where(JobLock.job == job, JobLock.expires_at < now))


def extend_lock(session: Session, job: str, holder: str, expires_at: datetime) -> None:
    session.execute(
        update(JobLock)
        .where(JobLock.job == job, JobLock.holder == holder)
        .values(expires_at=expires_at)
    )


def drop_lock(session: Session, job: str, holder: str) -> None:
    session.execute(delete(JobLock).where(JobLock.job == job, JobLock.holder == holder))
