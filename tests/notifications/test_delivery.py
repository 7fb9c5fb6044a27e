"""``jobs run notifications``: the inbox has the message at once; e-mail goes to a real SMTP server on
loopback, SMS to the log-only adapter; every outcome is recorded — sent, failed with the reason after
the retries, skipped for want of an address — with an audit row, and nothing is sent twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests import factories
from tests.notifications.conftest import SmtpServer
from xieshang.jobs import lock, notifications
from xieshang.jobs.runner import JobReport
from xieshang.kit.config import Settings
from xieshang.kit.context import Context, FixedClock
from xieshang.models.audit import AuditEntry
from xieshang.models.customer import Customer
from xieshang.models.job import JobRun
from xieshang.models.notification import Notification, NotificationDelivery
from xieshang.notifications.channels import Channel, LogOnlySms, Unconfigured
from xieshang.notifications.delivery import configured_channels
from xieshang.notifications.service import notify
from xieshang.notifications.smtp import SmtpChannel

PARAMS = {"loan_no": "L00000001", "note": "收入证明不足"}


def channels(server: SmtpServer, sms: LogOnlySms | None = None) -> dict[str, Channel]:
    return {
        "email": SmtpChannel(server.host, server.port, "notices@bank.example"),
        "sms": sms or LogOnlySms(),
    }


def person(ctx: Context, **overrides: object) -> Customer:
    customer = factories.customer(ctx, **overrides)
    ctx.session.commit()
    return customer


def deliveries(ctx: Context, notification: Notification) -> dict[str, NotificationDelivery]:
    ctx.session.expire_all()
    rows = ctx.session.scalars(
        select(NotificationDelivery).where(NotificationDelivery.notification_id == notification.id)
    )
    return {row.channel: row for row in rows}


def run(
    sessions: sessionmaker[Session],
    settings: Settings,
    clock: FixedClock,
    outbound: dict[str, Channel],
) -> JobReport:
    return notifications.run(sessions, settings, clock=clock, channels=outbound)


def test_the_inbox_has_it_at_once_and_the_job_sends_email_and_logs_sms(
    ctx: Context,
    sessions: sessionmaker[Session],
    settings: Settings,
    clock: FixedClock,
    smtp_server: SmtpServer,
) -> None:
    customer = person(ctx, email="zhang.wei@example.com", notify_sms=True)
    message = notify(ctx, customer.id, "offer_rejected", PARAMS)
    ctx.session.commit()
    assert (message.channel, message.status, message.language) == ("inbox", "delivered", "zh")
    assert message.subject == "您的协商方案未获批准"
    assert {c: d.status for c, d in deliveries(ctx, message).items()} == {
        "email": "queued",
        "sms": "queued",
    }
    sms = LogOnlySms()

    report = run(sessions, settings, clock, channels(smtp_server, sms))

    assert report.status == "succeeded"
    assert dict(report.counts) == {"sent": 2}
    (mail,) = smtp_server.inbox.messages
    assert mail["Subject"] == "您的协商方案未获批准"
    assert "收入证明不足" in mail.get_content()
    (logged,) = sms.logged
    assert logged.to == ctx.cipher.decrypt(customer.phone_enc)
    assert logged.body == message.body
    sent = deliveries(ctx, message)
    assert sent["email"].status == "sent"
    assert sent["email"].recipient == "z***@example.com"
    assert sent["email"].outcome.startswith(f"accepted by 127.0.0.1:{smtp_server.port} as <")
    assert sent["sms"].status == "sent"
    assert sent["sms"].outcome.startswith("logged, not sent (log-only SMS adapter)")
    assert sent["sms"].recipient is not None
    assert "****" in sent["sms"].recipient
    actions = ctx.session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.subject_type == "notification", AuditEntry.subject_id == str(message.id)
        )
    ).all()
    assert sorted(actions) == ["notification.delivery.sent", "notification.delivery.sent"]

    again = run(sessions, settings, clock, channels(smtp_server, sms))
    assert dict(again.counts) == {}
    assert len(smtp_server.inbox.messages) == 1


def test_an_english_speaking_customer_is_written_to_in_english(
    ctx: Context,
    sessions: sessionmaker[Session],
    settings: Settings,
    clock: FixedClock,
    smtp_server: SmtpServer,
) -> None:
    customer = person(ctx, email="li.na@example.com", language="en")
    message = notify(ctx, customer.id, "offer_rejected", {"loan_no": "L9", "note": "no payslip"})
    ctx.session.commit()
    assert message.language == "en"
    run(sessions, settings, clock, channels(smtp_server))
    (mail,) = smtp_server.inbox.messages
    assert mail["Subject"] == "Your negotiation offer was not approved"
    assert mail["Content-Language"] == "en"
    assert "The offer on loan L9 was not approved: no payslip." in mail.get_content()


def test_no_address_is_skipped_and_says_so(
    ctx: Context,
    sessions: sessionmaker[Session],
    settings: Settings,
    clock: FixedClock,
    smtp_server: SmtpServer,
) -> None:
    customer = person(ctx)  # no e-mail address, e-mail on by default
    message = notify(ctx, customer.id, "offer_rejected", PARAMS)
    ctx.session.commit()
    report = run(sessions, settings, clock, channels(smtp_server))
    assert dict(report.counts) == {"skipped": 1}
    skipped = deliveries(ctx, message)["email"]
    assert (skipped.status, skipped.outcome, skipped.attempts) == (
        "skipped",
        "no e-mail address",
        0,
    )
    assert smtp_server.inbox.messages == []


def test_a_temporary_failure_is_retried_with_a_doubling_wait_then_given_up(
    ctx: Context,
    sessions: sessionmaker[Session],
    settings: Settings,
    clock: FixedClock,
    smtp_server: SmtpServer,
) -> None:
    customer = person(ctx, email="busy@example.com")
    message = notify(ctx, customer.id, "offer_rejected", PARAMS)
    ctx.session.commit()
    smtp_server.inbox.refuse["busy@example.com"] = "451 4.3.0 try again later"
    start = clock.current
    waits = []
    for attempt in range(1, 6):
        report = run(sessions, settings, clock, channels(smtp_server))
        row = deliveries(ctx, message)["email"]
        assert row.attempts == attempt
        if attempt < 5:
            assert dict(report.counts) == {"retrying": 1}
            assert (
                row.outcome
                == f"attempt {attempt} failed: recipient refused: 451 4.3.0 try again later"
            )
            waits.append(row.next_attempt_at - clock.current)
            assert dict(run(sessions, settings, clock, channels(smtp_server)).counts) == {}
            clock.current = row.next_attempt_at
    assert waits == [timedelta(minutes=m) for m in (10, 20, 40, 80)]
    assert dict(report.counts) == {"failed": 1}
    assert row.status == "failed"
    assert row.outcome == "recipient refused: 451 4.3.0 try again later (attempt 5)"
    assert clock.current - start == timedelta(minutes=150)


def test_a_permanent_refusal_fails_at_once_and_the_customer_still_has_the_inbox(
    ctx: Context,
    sessions: sessionmaker[Session],
    settings: Settings,
    clock: FixedClock,
    smtp_server: SmtpServer,
) -> None:
    customer = person(ctx, email="gone@example.com")
    message = notify(ctx, customer.id, "offer_rejected", PARAMS)
    ctx.session.commit()
    smtp_server.inbox.refuse["gone@example.com"] = "550 5.1.1 mailbox unavailable"
    report = run(sessions, settings, clock, channels(smtp_server))
    assert dict(report.counts) == {"failed": 1}
    failed = deliveries(ctx, message)["email"]
    assert failed.outcome == "recipient refused: 550 5.1.1 mailbox unavailable (attempt 1)"
    assert ctx.session.get(Notification, message.id) is not None


def test_email_without_a_server_configured_fails_naming_the_setting(
    ctx: Context, sessions: sessionmaker[Session], settings: Settings, clock: FixedClock
) -> None:
    assert isinstance(configured_channels(settings)["email"], Unconfigured)
    customer = person(ctx, email="a@example.com")
    message = notify(ctx, customer.id, "offer_rejected", PARAMS)
    ctx.session.commit()
    notifications.run(sessions, settings, clock=clock)
    failed = deliveries(ctx, message)["email"]
    assert failed.status == "failed"
    assert failed.outcome == "email is not configured (set XIESHANG_SMTP_HOST) (attempt 1)"


def test_the_settings_configure_smtp(settings: Settings) -> None:
    configured = configured_channels(
        replace_settings(settings, smtp_host="mail.bank.example", smtp_port=587)
    )["email"]
    assert isinstance(configured, SmtpChannel)
    assert (configured.host, configured.port, configured.sender) == (
        "mail.bank.example",
        587,
        "xieshang@localhost",
    )


def replace_settings(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(update=changes)


def test_nothing_goes_out_outside_contact_hours(
    ctx: Context,
    sessions: sessionmaker[Session],
    settings: Settings,
    clock: FixedClock,
    smtp_server: SmtpServer,
) -> None:
    customer = person(ctx, email="night@example.com")
    notify(ctx, customer.id, "offer_rejected", PARAMS)
    ctx.session.commit()
    night = replace(clock, current=clock.current.replace(hour=14))  # 22:00 in Shanghai
    report = run(sessions, settings, night, channels(smtp_server))
    assert dict(report.counts) == {"deferred_outside_contact_hours": 1}
    assert smtp_server.inbox.messages == []


def test_a_customer_who_turns_email_off_before_the_run_gets_none(
    ctx: Context,
    sessions: sessionmaker[Session],
    settings: Settings,
    clock: FixedClock,
    smtp_server: SmtpServer,
) -> None:
    customer = person(ctx, email="quiet@example.com")
    message = notify(ctx, customer.id, "offer_rejected", PARAMS)
    customer.notify_email = False
    ctx.session.commit()
    run(sessions, settings, clock, channels(smtp_server))
    assert deliveries(ctx, message)["email"].outcome == "the customer turned email off"
    assert smtp_server.inbox.messages == []


def test_a_second_run_while_one_holds_the_lock_is_refused_and_recorded(
    ctx: Context, sessions: sessionmaker[Session], settings: Settings, clock: FixedClock
) -> None:
    lock.acquire(ctx.session, notifications.JOB, "someone-else", clock)
    with pytest.raises(lock.JobLocked):
        notifications.run(sessions, settings, clock=clock)
    ctx.session.expire_all()
    last = ctx.session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(1)).one()
    assert (last.job, last.status) == ("notifications", "refused")
