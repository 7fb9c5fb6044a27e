"""Notify a customer: render a template in their language, keep what was said, deliver it; the
customer's inbox, and what a customer was told as staff see it; sending what is due and reminding
of installments due soon (the jobs ``notifications`` and ``reminders``).

Every message lands in the in-app inbox at once (the stored notification is the inbox item). For each
other channel the customer takes (``notify_email``, ``notify_sms``) a delivery is queued; the job
``xieshang jobs run notifications`` sends it (:func:`deliver_due`).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml

from xieshang.audit.service import record
from xieshang.domain.communication import Communication
from xieshang.domain.conduct import ContactRules, check_contact, within_contact_hours
from xieshang.domain.errors import InvalidInput, NotFound
from xieshang.kit.access import authorize, require_customer_access
from xieshang.kit.context import Context
from xieshang.kit.repository import page_of
from xieshang.models.customer import Customer
from xieshang.models.notification import Notification, NotificationDelivery
from xieshang.notifications import repository
from xieshang.notifications.channels import EMAIL, INBOX, SMS, Channel
from xieshang.notifications.delivery import configured_channels, deliver_one, describe
from xieshang.notifications.reads import inbox_item, staff_notification
from xieshang.notifications.reminders import reminder_key, reminder_params, service_message
from xieshang.notifications.schemas import InboxItem, InboxPage, StaffNotificationPage

LANGUAGES = ("zh", "en")


@cache
def templates() -> dict[str, dict[str, dict[str, str]]]:
    text = resources.files("xieshang.notifications").joinpath("templates.yaml").read_text("utf-8")
    data: dict[str, dict[str, dict[str, str]]] = yaml.safe_load(text)
    return data


def render(template: str, params: dict[str, str], language: str = "zh") -> tuple[str, str]:
    """The subject and body of ``template`` in ``language`` with ``params`` filled in."""
    found = templates().get(template)
    if found is None:
        raise InvalidInput("template", f"no notification template {template!r}")
    if language not in LANGUAGES:
        raise InvalidInput("language", f"must be one of {', '.join(LANGUAGES)}")
    text = found[language]
    try:
        return text["subject"].format(**params), text["body"].format(**params)
    except KeyError as missing:
        raise InvalidInput("params", f"template {template} needs {missing}") from None


def outbound_channels(customer: Customer) -> list[str]:
    """The channels besides the inbox this customer takes, in the order they are tried."""
    return [
        c for c, wanted in ((EMAIL, customer.notify_email), (SMS, customer.notify_sms)) if wanted
    ]


def notify(
    ctx: Context,
    customer_id: int,
    template: str,
    params: dict[str, Any],
    *,
    key: str | None = None,
) -> Notification:
    """Put a message in the customer's inbox and queue it on their other channels (flush only: it
    commits with the change it tells of). With ``key``, a message already sent under that key is
    returned instead of a second one."""
    if key is not None:
        earlier = repository.notification_with_key(ctx, key)
        if earlier is not None:
            return earlier
    customer = repository.require_customer(ctx, customer_id)
    values = {k: str(v) for k, v in params.items()}
    subject, body = render(template, values, customer.language)
    now = ctx.now()
    row = Notification(
        customer_id=customer_id,
        template=template,
        params=json.dumps(values, ensure_ascii=False, sort_keys=True),
        channel=INBOX,
        subject=subject,
        body=body,
        language=customer.language,
        status="delivered",
        created_at=now,
        read_at=None,
        key=key,
    )
    ctx.session.add(row)
    ctx.session.flush()
    for channel in outbound_channels(customer):
        ctx.session.add(
            NotificationDelivery(
                notification_id=row.id,
                channel=channel,
                status="queued",
                attempts=0,
                next_attempt_at=now,
                last_attempt_at=None,
                recipient=None,
                outcome="",
                created_at=now,
                finished_at=None,
            )
        )
    ctx.session.flush()
    return row


def _own_customer_id(ctx: Context) -> int:
    if ctx.user is None or ctx.user.customer_id is None:
        raise NotFound("inbox", "of this user")
    return ctx.user.customer_id


def my_inbox(
    ctx: Context, *, unread_only: bool = False, page: int = 1, page_size: int = 20
) -> InboxPage:
    """The signed-in customer's messages, newest first."""
    authorize(ctx, "notifications.inbox")
    query = repository.inbox_query(_own_customer_id(ctx), unread_only)
    total, rows = page_of(ctx.session, query, page, page_size, Notification.id.desc())
    return InboxPage(
        items=[inbox_item(ctx, n) for n in rows],
        total=total,
        page=page,
        page_size=page_size,
        any_unread=repository.has_unread(ctx, _own_customer_id(ctx)),
    )


def mark_read(ctx: Context, notification_id: int) -> InboxItem:
    """Mark one of the signed-in customer's messages read (again is harmless)."""
    authorize(ctx, "notifications.read")
    row = repository.notification_of_customer(ctx, notification_id, _own_customer_id(ctx))
    if row.read_at is None:
        row.read_at = ctx.now()
        record(ctx, "notification.read", "notification", row.id)
        ctx.session.commit()
    return inbox_item(ctx, row)


def customer_notifications(
    ctx: Context, customer_id: int, *, page: int = 1, page_size: int = 20
) -> StaffNotificationPage:
    """What a customer was told and how each message went out on each channel (staff)."""
    authorize(ctx, "notifications.list")
    require_customer_access(ctx.user, customer_id)
    repository.require_customer(ctx, customer_id)
    query = repository.notifications_with_deliveries_query(customer_id)
    total, rows = page_of(ctx.session, query, page, page_size, Notification.id.desc())
    return StaffNotificationPage(
        items=[staff_notification(ctx, n) for n in rows],
        total=total,
        page=page,
        page_size=page_size,
    )


def deliver_due(
    ctx: Context,
    rules: Communication,
    hours: ContactRules,
    *,
    channels: dict[str, Channel] | None = None,
    batch: int = 200,
    failures: list[dict[str, object]] | None = None,
) -> Counter[str]:
    """Try every delivery whose time has come, on ``channels`` (by default those the settings
    configure); returns counts by outcome. A delivery that raises something unexpected is rolled
    back, listed in ``failures`` and left queued; the run goes on."""
    outbound = channels if channels is not None else configured_channels(ctx.settings)
    counts: Counter[str] = Counter()
    now = ctx.now()
    if not within_contact_hours(ctx.local(now), hours):
        counts["deferred_outside_contact_hours"] = repository.count_due(ctx, now)
        return counts
    last_id = 0
    while True:
        ids = repository.due_delivery_ids(ctx, now, last_id, batch)
        if not ids:
            return counts
        for delivery_id in ids:
            last_id = delivery_id
            try:
                counts[deliver_one(ctx, delivery_id, outbound, rules)] += 1
                ctx.session.commit()
            except Exception as error:  # one bad delivery is reported, not fatal
                ctx.session.rollback()
                counts["errors"] += 1
                if failures is not None:
                    failures.append({"delivery_id": delivery_id, "error": describe(error)})


def remind_due(
    ctx: Context, as_of: date, rules: Communication, contact: ContactRules
) -> Counter[str]:
    """Notify every customer with an installment due within the policy's days after ``as_of``
    (:mod:`xieshang.notifications.reminders`); each reminder in its own transaction."""
    counts: Counter[str] = Counter()
    horizon = as_of + timedelta(days=rules.reminder_days_before)
    rows = repository.installments_due_between(ctx, as_of, horizon)
    sent = repository.keys_sent(ctx, [reminder_key(loan, item) for loan, item in rows])
    for loan, item in rows:
        key = reminder_key(loan, item)
        if key in sent:
            counts["reminders_already_sent"] += 1
            continue
        refusal = check_contact(service_message(ctx.local(ctx.now())), contact)
        if refusal is not None:
            counts[f"reminders_refused_{refusal.rule}"] += 1
            continue
        notify(ctx, loan.customer_id, "installment_due", reminder_params(loan, item), key=key)
        ctx.session.commit()
        counts["reminders_sent"] += 1
    return counts
