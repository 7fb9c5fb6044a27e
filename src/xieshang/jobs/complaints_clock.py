"""The nightly complaints clock: :func:`xieshang.complaints.deadlines.check_deadline` for every
complaint still owed something, each in its own transaction, recorded as a ``JobRun``.

One run at a time (:mod:`xieshang.jobs.lock`); idempotent per day (reminders, escalations and
closings are each done once), so a second run on the same day changes nothing.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from xieshang.complaints.deadlines import check_deadline, watched_ids
from xieshang.domain.errors import NotFound
from xieshang.jobs.runner import JobReport, run_job
from xieshang.kit.config import Settings
from xieshang.kit.context import Clock, Context

JOB = "complaints-clock"


def run(
    sessions: sessionmaker[Session], settings: Settings, as_of: date, *, clock: Clock | None = None
) -> JobReport:
    """Run the deadline pass for ``as_of``; record a ``JobRun`` with counts and failures."""
    return run_job(
        sessions, settings, JOB, as_of, lambda ctx, report: _pass(ctx, as_of, report), clock=clock
    )


def _pass(ctx: Context, as_of: date, report: JobReport) -> None:
    for complaint_id in watched_ids(ctx):
        ctx.session.rollback()  # end the read: each complaint in its own transaction
        try:
            done = check_deadline(ctx, complaint_id, as_of)
            ctx.session.commit()
        except Exception as error:
            ctx.session.rollback()
            if _gone(error, complaint_id):
                continue  # deleted since the list was read
            report.failures.append({"complaint": complaint_id, "error": str(error)[:300]})
            continue
        report.counts["complaints_checked"] += 1
        if done is not None:
            report.counts[f"complaints_{done}"] += 1


def _gone(error: Exception, complaint_id: int) -> bool:
    return isinstance(error, NotFound) and (error.kind, error.ident) == ("complaint", complaint_id)
