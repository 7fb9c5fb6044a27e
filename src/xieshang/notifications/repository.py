"""Every query of notifications, their deliveries and what reminders are due (flush only, never
commit)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from xieshang.domain.errors import NotFound
from xieshang.kit.context import Context
from xieshang.models.customer import Customer
from xieshang.models.loan import Installment, InstallmentStatus, Loan, LoanStatus
from xieshang.models.notification import Notification, NotificationDelivery


def require_customer(ctx: Context, customer_id: int) -> Customer:
    customer = ctx.session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("customer", customer_id)
    return customer


def notification_with_key(ctx: Context, key: str) -> Notification | None:
    return ctx.session.scalar(select(Notification).where(Notification.key == key))


def notification_of_customer(ctx: Context, notification_id: int, customer_id: int) -> Notification:
    """The customer's message (anyone else's is "not found")."""
    row = ctx.session.get(Notification, notification_id)
    if row is None or row.customer_id != customer_id:
        raise NotFound("notification", notification_id)
    return row


def inbox_query(customer_id: int, unread_only: bool) -> Select[Notification]:
    query = select(Notification).where(Notification.customer_id == customer_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query


def has_unread(ctx: Context, customer_id: int) -> bool:
    unread = ctx.session.scalar(
        select(Notification.id)
        .where(Notification.customer_id == customer_id, Notification.read_at.is_(None))
        .limit(1)
    )
    return unread is not None


def notifications_with_deliveries_query(customer_id: int) -> Select[Notification]:
    return (
        select(Notification)
        .where(Notification.customer_id == customer_id)
        .options(selectinload(Notification.deliveries))
    )


def _due(now: datetime) -> Select[int]:
    return select(NotificationDelivery.id).where(
        NotificationDelivery.status == "queued", NotificationDelivery.next_attempt_at <= now
    )


def count_due(ctx: Context, now: datetime) -> int:
    """How many queued deliveries wait for ``now`` or earlier."""
    return ctx.session.scalar(select(func.count()).select_from(_due(now).subquery())) or 0


def due_delivery_ids(ctx: Context, now: datetime, after_id: int, limit: int) -> Sequence[int]:
    """Up to ``limit`` ids of queued deliveries due by ``now``, above ``after_id``, in order."""
    return ctx.session.scalars(
        _due(now)
        .where(NotificationDelivery.id > after_id)
        .order_by(NotificationDelivery.id)
        .limit(limit)
    ).all()


def delivery_with_message(ctx: Context, delivery_id: int) -> NotificationDelivery:
    return ctx.session.scalars(
        select(NotificationDelivery)
        .where(NotificationDelivery.id == delivery_id)
        .options(joinedload(NotificationDelivery.notification))
    ).one()


def installments_due_between(
    ctx: Context, after: date, until: date
) -> Sequence[tuple[Loan, Installment]]:
    """Active loans' scheduled installments due in (``after``, ``until``], by due date and loan."""
    rows = ctx.session.execute(
        select(Loan, Installment)
        .join(Installment, Installment.loan_id == Loan.id)
        .where(
            Loan.status == LoanStatus.ACTIVE,
            Installment.status == InstallmentStatus.SCHEDULED,
            Installment.due_date > after,
            Installment.due_date <= until,
        )
        .order_by(Installment.due_date, Loan.id)
    ).all()
    return [(loan, item) for loan, item in rows]


def keys_sent(ctx: Context, keys: Sequence[str]) -> set[str]:
    """Which of these notification keys a message was already sent under."""
    return set(ctx.session.scalars(select(Notification.key).where(Notification.key.in_(keys))))
