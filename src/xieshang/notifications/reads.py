"""Notifications and their deliveries as the customer's inbox and staff show them (times in the
bank's timezone)."""

from __future__ import annotations

from xieshang.kit.context import Context
from xieshang.models.notification import Notification, NotificationDelivery
from xieshang.notifications.schemas import DeliveryRead, InboxItem, StaffNotification


def inbox_item(ctx: Context, row: Notification) -> InboxItem:
    return InboxItem(
        id=row.id,
        subject=row.subject,
        body=row.body,
        language=row.language,
        created_at=ctx.local(row.created_at),
        read_at=ctx.local(row.read_at) if row.read_at else None,
    )


def delivery_read(ctx: Context, row: NotificationDelivery) -> DeliveryRead:
    return DeliveryRead(
        channel=row.channel,
        status=row.status,
        attempts=row.attempts,
        recipient=row.recipient,
        outcome=row.outcome,
        last_attempt_at=ctx.local(row.last_attempt_at) if row.last_attempt_at else None,
        finished_at=ctx.local(row.finished_at) if row.finished_at else None,
    )


def staff_notification(ctx: Context, row: Notification) -> StaffNotification:
    """The message with its template and each channel's delivery."""
    return StaffNotification(
        **inbox_item(ctx, row).model_dump(),
        template=row.template,
        deliveries=[delivery_read(ctx, d) for d in row.deliveries],
    )
