"""Due-date reminders: N days (policy) before each installment, once per installment, as a service
message that goes even while a plan performs; the job's run is recorded."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests import factories
from xieshang.cli import main
from xieshang.domain.communication import Communication
from xieshang.jobs import reminders
from xieshang.jobs.runner import JobReport
from xieshang.kit.config import Settings
from xieshang.kit.context import Context, FixedClock
from xieshang.models.notification import Notification
from xieshang.notifications.service import remind_due
from xieshang.policy.document import load_policy

POLICY = load_policy()


def sent(ctx: Context) -> list[Notification]:
    ctx.session.expire_all()
    return list(
        ctx.session.scalars(
            select(Notification)
            .where(Notification.template == "installment_due")
            .order_by(Notification.id)
        )
    )


def test_each_installment_is_reminded_once_within_the_policys_days(
    ctx: Context, sessions: sessionmaker[Session], settings: Settings, clock: FixedClock
) -> None:
    factories.product(ctx)
    owner = factories.customer(ctx)
    loan = factories.loan(ctx, owner, start_date=date(2026, 1, 15))  # due on the 15th
    ctx.session.commit()

    def run(day: date) -> JobReport:
        clock.current = datetime.combine(day, time(1, 0), tzinfo=UTC)  # 09:00 in Shanghai
        return reminders.run(sessions, settings, day, clock=clock)

    early = run(date(2026, 7, 11))
    assert dict(early.counts) == {}  # the 15th is 4 days away; the policy says 3
    report = run(date(2026, 7, 12))
    assert report.status == "succeeded"
    assert dict(report.counts) == {"reminders_sent": 1}
    (note,) = sent(ctx)
    assert note.customer_id == owner.id
    assert note.subject == "还款提醒：2026-07-15 应还 ¥879.16"
    assert note.body.startswith(f"您的贷款 {loan.loan_no} 第 6 期应于 2026-07-15 还款 ¥879.16。")
    assert note.key == f"reminder:{loan.id}:0:6:2026-07-15"

    again = run(date(2026, 7, 12))
    assert dict(again.counts) == {"reminders_already_sent": 1}
    later = run(date(2026, 7, 14))
    assert dict(later.counts) == {"reminders_already_sent": 1}
    assert len(sent(ctx)) == 1


def test_a_missed_day_is_caught_up_and_the_days_come_from_the_policy(ctx: Context) -> None:
    factories.product(ctx)
    owner = factories.customer(ctx, language="en")
    factories.loan(ctx, owner, start_date=date(2026, 1, 15))
    ctx.session.commit()
    week = Communication(7, 5, 10, 14)
    counts = remind_due(ctx, date(2026, 7, 14), week, POLICY.conduct.contact)
    assert dict(counts) == {"reminders_sent": 1}
    (note,) = sent(ctx)
    assert note.subject == "Reminder: ¥879.16 due on 2026-07-15"
    assert dict(remind_due(ctx, date(2026, 7, 9), week, POLICY.conduct.contact)) == {
        "reminders_already_sent": 1
    }


def test_the_cli_runs_both_jobs_and_refuses_a_bad_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XIESHANG_DATABASE_URL", f"sqlite:///{tmp_path / 'jobs.db'}")
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    today = datetime.now(UTC).date().isoformat()
    assert main(["jobs", "run", "reminders", "--as-of", today, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "succeeded"
    assert main(["jobs", "run", "notifications"]) == 0
    assert capsys.readouterr().out.startswith("notifications ")
    assert main(["jobs", "run", "reminders", "--as-of", "2026-02-30"]) == 2
    assert capsys.readouterr().err.strip().startswith("xieshang: error: as_of:")
