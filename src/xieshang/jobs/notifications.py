"""``jobs run notifications``: send every queued e-mail and SMS whose time has come."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from xieshang.jobs.runner import JobReport, run_job
from xieshang.kit.config import Settings
from xieshang.kit.context import Clock, Context
from xieshang.notifications.channels import Channel
from xieshang.notifications.service import deliver_due
from xieshang.policy.in_force import policy_in_force

JOB = "notifications"


def run(
    sessions: sessionmaker[Session],
    settings: Settings,
    *,
    as_of: date | None = None,
    clock: Clock | None = None,
    channels: dict[str, Channel] | None = None,
) -> JobReport:
    def work(ctx: Context, report: JobReport) -> None:
        policy = policy_in_force(ctx)
        report.counts.update(
            deliver_due(
                ctx,
                policy.communication,
                policy.conduct.contact,
                channels=channels,
                failures=report.failures,
            )
        )

    return run_job(sessions, settings, JOB, as_of, work, clock=clock)
