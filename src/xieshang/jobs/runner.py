"""The frame every batch job runs in: a ``JobRun`` record, one run at a time
(:mod:`xieshang.jobs.lock`), a refused run recorded as refused, counts and failures kept."""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from xieshang.domain.errors import InvalidInput
from xieshang.jobs import lock
from xieshang.jobs.repository import recent_runs
from xieshang.kit.access import authorize
from xieshang.kit.config import Settings
from xieshang.kit.context import Clock, Context, SystemClock, make_cipher
from xieshang.models.job import JobRun


@dataclass
class JobReport:
    job: str
    run_id: int
    as_of: date
    status: str
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[dict[str, object]] = field(default_factory=list)
    holder: str = ""
    """Who holds the job's lock: a long job refreshes it as it goes."""


Work = Callable[[Context, JobReport], None]
"""The job's body: it commits each item itself and adds to the report's counts and failures."""


def run_job(
    sessions: sessionmaker[Session],
    settings: Settings,
    job: str,
    as_of: date | None,
    work: Work,
    *,
    clock: Clock | None = None,
) -> JobReport:
    clock = clock or SystemClock()
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    with sessions() as session:
        ctx = Context(session, settings, make_cipher(settings), clock)
        day = as_of or ctx.today()
        if day > ctx.today():
            raise InvalidInput("as_of", f"is after today ({ctx.today()})")
        job_run = JobRun(
            job=job,
            as_of=day,
            status="running",
            started_at=clock.now(),
            counts="{}",
            failures="[]",
            holder=holder,
        )
        try:
            lock.acquire(session, job, holder, clock)
        except lock.JobLocked as refused:
            job_run.status, job_run.finished_at = "refused", clock.now()
            job_run.failures = json.dumps([{"error": str(refused)}], ensure_ascii=False)
            session.add(job_run)
            session.commit()
            raise
        session.add(job_run)
        session.commit()
        report = JobReport(job, job_run.id, day, "running", holder=holder)
        try:
            work(ctx, report)
            report.status = "succeeded" if not report.failures else "completed_with_failures"
        except BaseException:
            session.rollback()
            report.status = "failed"
            raise
        finally:
            job_run.status = report.status
            job_run.finished_at = clock.now()
            job_run.counts = json.dumps(dict(sorted(report.counts.items())))
            job_run.failures = json.dumps(report.failures[:1000], ensure_ascii=False)
            session.merge(job_run)
            session.commit()
            lock.release(session, job, holder)
    return report


class JobRunRead(BaseModel):
    id: int
    job: str
    as_of: date
    status: str
    started_at: datetime
    finished_at: datetime | None
    counts: dict[str, int]
    failures: list[dict[str, object]]


def job_runs(ctx: Context, limit: int = 20) -> list[JobRunRead]:
    """Recent runs of every job, newest first (compliance and administrators)."""
    authorize(ctx, "jobs.status")
    return [
        JobRunRead(
            id=r.id,
            job=r.job,
            as_of=r.as_of,
            status=r.status,
            started_at=ctx.local(r.started_at),
            finished_at=ctx.local(r.finished_at) if r.finished_at else None,
            counts=json.loads(r.counts),
            failures=json.loads(r.failures),
        )
        for r in recent_runs(ctx.session, limit)
    ]
