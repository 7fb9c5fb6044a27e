"""The customer's in-app inbox, and a customer's notifications as staff see them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from xieshang.audit.service import record
from xieshang.domain.errors import NotFound
from xieshang.kit.access import authorize, require_customer_access
from xieshang.kit.context import Context
from xieshang.kit.pagination import page_of
from xieshang.models.customer import Customer
from xieshang.models.notification import Notification
from xieshang.notifications.schemas import (
    DeliveryRead,
    InboxItem,
    InboxPage,
    StaffNotification,
    StaffNotificationPage,
)


def _own_customer_id(ctx: Context) -> int:
    if ctx.user is None or ctx.user.customer_id is None:
        raise NotFound("inbox", "of this user")
    return ctx.user.customer_id


def my_inbox(
    ctx: Context, *, unread_only: bool = False, page: int = 1, page_size: int = 20
) -> InboxPage:
    """The signed-in customer's messages, newest first."""
    authorize(ctx, "notifications.inbox")
    query = select(Notification).where(Notification.customer_id == _own_customer_id(ctx))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    total, rows = page_of(ctx.session, query, page, page_size, Notification.id.desc())
    unread = ctx.session.scalar(
        select(Notification.id)
        .where(Notification.customer_id == _own_customer_id(ctx), Notification.read_at.is_(None))
        .limit(1)
    )
    return InboxPage(
        items=[_item(ctx, n) for n in rows],
        total=total,
        page=page,
        page_size=page_size,
        any_unread=unread is not None,
    )


def mark_read(ctx: Context, notification_id: int) -> InboxItem:
    """Mark one of the signed-in customer's messages read (again is harmless)."""
    authorize(ctx, "notifications.read")
    row = ctx.session.get(Notification, notification_id)
    if row is None or row.customer_id != _own_customer_id(ctx):
        raise NotFound("notification", notification_id)
    if row.read_at is None:
        row.read_at = ctx.now()
        record(ctx, "notification.read", "notification", row.id)
        ctx.session.commit()
    return _item(ctx, row)


def customer_notifications(
    ctx: Context, customer_id: int, *, page: int = 1, page_size: int = 20
) -> StaffNotificationPage:
    """What a customer was told and how each message went out on each channel (staff)."""
    authorize(ctx, "notifications.list")
    require_customer_access(ctx.user, customer_id)
    if ctx.session.get(Customer, customer_id) is None:
        raise NotFound("customer", customer_id)
    query = (
        select(Notification)
        .where(Notification.customer_id == customer_id)
        .options(selectinload(Notification.deliveries))
    )
    total, rows = page_of(ctx.session, query, page, page_size, Notification.id.desc())
    return StaffNotificationPage(
        items=[
            StaffNotification(
                **_item(ctx, n).model_dump(),
                template=n.template,
                deliveries=[
                    DeliveryRead(
                        channel=d.channel,
                        status=d.status,
                        attempts=d.attempts,
                        recipient=d.recipient,
                        outcome=d.outcome,
                        last_attempt_at=ctx.local(d.last_attempt_at) if d.last_attempt_at else None,
                        finished_at=ctx.local(d.finished_at) if d.finished_at else None,
                    )
                    for d in n.deliveries
                ],
            )
            for n in rows
        ],
        total=total,
        page=page,
        page_size=page_size,
    )


def _item(ctx: Context, row: Notification) -> InboxItem:
    return InboxItem(
        id=row.id,
        subject=row.subject,
        body=row.body,
        language=row.language,
        created_at=ctx.local(row.created_at),
        read_at=ctx.local(row.read_at) if row.read_at else None,
    )
