"""One run of a job at a time, on either database, with no other process.

The lock is a row in ``job_locks`` whose primary key is the job's name: inserting it is the atomic
test-and-set. A run that dies leaves the row behind; it expires (``ttl``) and the next run takes it
over. A long run refreshes its expiry as it goes.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xieshang.domain.errors import Conflict
from xieshang.jobs import repository
from xieshang.kit.context import Clock
from xieshang.models.job import JobLock

DEFAULT_TTL = timedelta(minutes=30)


class JobLocked(Conflict):
    """Another run of the job holds the lock."""


def acquire(
    session: Session, job: str, holder: str, clock: Clock, ttl: timedelta = DEFAULT_TTL
) -> None:
    """Take the lock or raise :class:`JobLocked` naming who holds it (commits)."""
    now = clock.now()
    repository.drop_expired_lock(session, job, now)
    session.add(JobLock(job=job, holder=holder, acquired_at=now, expires_at=now + ttl))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        current = repository.lock_of(session, job)
        who = (
            f"{current.holder} since {current.acquired_at:%Y-%m-%d %H:%M:%S} UTC"
            if current
            else "?"
        )
        raise JobLocked(f"{job} is already running ({who})") from None


def refresh(
    session: Session, job: str, holder: str, clock: Clock, ttl: timedelta = DEFAULT_TTL
) -> None:
    repository.extend_lock(session, job, holder, clock.now() + ttl)
    session.commit()


def release(session: Session, job: str, holder: str) -> None:
    repository.drop_lock(session, job, holder)
    session.commit()
