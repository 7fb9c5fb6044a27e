"""``jobs run reminders --as-of DATE``: due-date reminders for installments due within the policy's
``communication.reminder_days_before`` days."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from xieshang.jobs.runner import JobReport, run_job
from xieshang.kit.config import Settings
from xieshang.kit.context import Clock, Context
from xieshang.notifications.service import remind_due
from xieshang.policy.in_force import policy_in_force

JOB = "reminders"


def run(
    sessions: sessionmaker[Session],
    settings: Settings,
    as_of: date,
    *,
    clock: Clock | None = None,
) -> JobReport:
    def work(ctx: Context, report: JobReport) -> None:
        policy = policy_in_force(ctx)
        report.counts.update(remind_due(ctx, as_of, policy.communication, policy.conduct.contact))

    return run_job(sessions, settings, JOB, as_of, work, clock=clock)
