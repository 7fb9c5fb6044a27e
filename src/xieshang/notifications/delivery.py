"""Sending one queued delivery: retried with a doubling wait, its outcome recorded (sent, failed with
the reason, skipped for want of an address) with an audit row. The use case that sends every due
delivery, each in its own transaction, is :func:`xieshang.notifications.service.deliver_due`.

Delivery is at least once: a process killed between the server's acceptance and the commit leaves the
delivery queued, and the next run sends it again. Outbound messages wait for the policy's contact
hours (conduct.contact): service messages are allowed any time by the conduct rules, but nobody needs
an SMS at 23:00 about a payment due in three days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from xieshang.audit.service import record
from xieshang.domain.communication import Communication
from xieshang.domain.masking import mask_email, mask_phone
from xieshang.kit.config import Settings
from xieshang.kit.context import Context
from xieshang.models.customer import Customer
from xieshang.models.notification import NotificationDelivery
from xieshang.notifications import repository
from xieshang.notifications.channels import (
    EMAIL,
    SMS,
    Channel,
    DeliveryFailed,
    LogOnlySms,
    OutgoingMessage,
    Unconfigured,
)
from xieshang.notifications.smtp import SmtpChannel


def configured_channels(settings: Settings) -> dict[str, Channel]:
    """The outbound channels as the settings configure them."""
    email: Channel = (
        SmtpChannel.from_settings(settings)
        if settings.smtp_host
        else Unconfigured(EMAIL, "XIESHANG_SMTP_HOST")
    )
    return {EMAIL: email, SMS: LogOnlySms()}


@dataclass(frozen=True)
class Address:
    clear: str
    masked: str


def address(ctx: Context, customer: Customer, channel: str) -> Address | None:
    """Where ``channel`` reaches the customer, or None if they gave no such address."""
    if channel == EMAIL:
        return Address(customer.email, mask_email(customer.email)) if customer.email else None
    phone = ctx.cipher.decrypt(customer.phone_enc)
    return Address(phone, mask_phone(phone)) if phone else None


def opted_in(customer: Customer, channel: str) -> bool:
    return customer.notify_email if channel == EMAIL else customer.notify_sms


def deliver_one(
    ctx: Context, delivery_id: int, channels: dict[str, Channel], rules: Communication
) -> str:
    """Try one delivery (flush only); returns what happened: sent, failed, skipped or retrying."""
    delivery = repository.delivery_with_message(ctx, delivery_id)
    message = delivery.notification
    customer = repository.require_customer(ctx, message.customer_id)  # a foreign key
    now = ctx.now()
    if not opted_in(customer, delivery.channel):
        return _finish(ctx, delivery, "skipped", f"the customer turned {delivery.channel} off")
    where = address(ctx, customer, delivery.channel)
    if where is None:
        noun = "e-mail address" if delivery.channel == EMAIL else "phone number"
        return _finish(ctx, delivery, "skipped", f"no {noun}")
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.recipient = where.masked
    outgoing = OutgoingMessage(
        to=where.clear,
        subject=message.subject,
        body=message.body,
        language=message.language,
        reference=f"notification-{message.id}",
    )
    try:
        receipt = channels[delivery.channel].send(outgoing)
    except DeliveryFailed as failed:
        if failed.permanent or delivery.attempts >= rules.delivery_max_attempts:
            return _finish(
                ctx, delivery, "failed", f"{failed.reason} (attempt {delivery.attempts})"
            )
        wait = timedelta(minutes=rules.delivery_retry_minutes * 2 ** (delivery.attempts - 1))
        delivery.next_attempt_at = now + wait
        delivery.outcome = f"attempt {delivery.attempts} failed: {failed.reason}"[:300]
        ctx.session.flush()
        return "retrying"
    return _finish(ctx, delivery, "sent", receipt)


def describe(error: Exception) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}"[:300]


def _finish(ctx: Context, delivery: NotificationDelivery, status: str, outcome: str) -> str:
    delivery.status = status
    delivery.outcome = outcome[:300]
    delivery.finished_at = ctx.now()
    ctx.session.flush()
    record(
        ctx,
        f"notification.delivery.{status}",
        "notification",
        delivery.notification_id,
        details={
            "channel": delivery.channel,
            "recipient": delivery.recipient,
            "attempts": delivery.attempts,
            "outcome": delivery.outcome,
        },
    )
    return status
