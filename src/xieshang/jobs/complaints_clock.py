"""The nightly complaints clock: :func:`xieshang.complaints.deadlines.check_deadline` for every
complaint still owed something, each in its own transaction, recorded as a ``JobRun``.

One run at a time (:mod:`xieshang.jobs.lock`); idempotent per day (reminders, escalations and
closings are each done once), so a second run on the same day changes nothing.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from xieshang.complaints.deadlines import check_deadline, watched_ids
from xieshang.config import Settings
from xieshang.context import Clock, Context, SystemClock, make_cipher
from xieshang.errors import InvalidInput
from xieshang.jobs import lock
from xieshang.jobs.close_of_business import Report
from xieshang.models.complaint import Complaint
from xieshang.models.job import JobRun

JOB = "complaints-clock"


def run(
    sessions: sessionmaker[Session], settings: Settings, as_of: date, *, clock: Clock | None = None
) -> Report:
    """Run the deadline pass for ``as_of``; record a ``JobRun`` with counts and failures."""
    clock = clock or SystemClock()
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    with sessions() as session:
        ctx = Context(session, settings, make_cipher(settings), clock)
        if as_of > ctx.today():
            raise InvalidInput("as_of", f"is after today ({ctx.today()})")
        job_run = JobRun(
            job=JOB,
            as_of=as_of,
            status="running",
            started_at=clock.now(),
            counts="{}",
            failures="[]",
            holder=holder,
        )
        try:
            lock.acquire(session, JOB, holder, clock)
        except lock.JobLocked as refused:
            job_run.status, job_run.finished_at = "refused", clock.now()
            job_run.failures = json.dumps([{"error": str(refused)}], ensure_ascii=False)
            session.add(job_run)
            session.commit()
            raise
        session.add(job_run)
        session.commit()
        report = Report(job_run.id, as_of, "running")
        try:
            _pass(ctx, as_of, report)
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
            lock.release(session, JOB, holder)
    return report


def _pass(ctx: Context, as_of: date, report: Report) -> None:
    for complaint_id in watched_ids(ctx):
        ctx.session.rollback()  # end the read: each complaint in its own transaction
        try:
            complaint = ctx.session.get(Complaint, complaint_id)
            if complaint is None:
                continue
            done = check_deadline(ctx, complaint, as_of)
            ctx.session.commit()
        except Exception as error:
            ctx.session.rollback()
            report.failures.append({"complaint": complaint_id, "error": str(error)[:300]})
            continue
        report.counts["complaints_checked"] += 1
        if done is not None:
            report.counts[f"complaints_{done}"] += 1
