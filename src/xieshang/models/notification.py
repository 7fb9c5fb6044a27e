from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xieshang.models.base import Base, BigId


class Notification(Base):
    """A message to a customer from a template. The row is the customer's in-app inbox item (channel
    ``inbox``, delivered when it is written); each other channel it goes by is a ``NotificationDelivery``."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    template: Mapped[str] = mapped_column(String(48))
    params: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    """Rendered in the customer's language when it was created: what they were actually told."""
    language: Mapped[str] = mapped_column(String(2), default="zh", server_default="zh")
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]
    key: Mapped[str | None] = mapped_column(String(120), unique=True, index=True)
    """Set for messages that must go at most once (``reminder:…``): a second one is refused."""

    deliveries: Mapped[list[NotificationDelivery]] = relationship(
        lazy="raise", order_by="NotificationDelivery.id", back_populates="notification"
    )


class NotificationDelivery(Base):
    """One notification on one outbound channel (e-mail, SMS) and what became of it: ``queued`` until
    the delivery job tries it, then ``sent``, ``failed`` (with the reason, after the retries) or
    ``skipped`` (no address to send to). The proof of notification the complaint rules ask for."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (Index("ix_notification_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_attempt_at: Mapped[datetime | None]
    recipient: Mapped[str | None] = mapped_column(String(254))
    """Masked (``z***@example.com``, ``138****5678``): the clear address stays encrypted on the customer."""
    outcome: Mapped[str] = mapped_column(String(300), default="")
    """The server's answer when sent, the reason when failed or skipped, the last error while retrying."""
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]

    notification: Mapped[Notification] = relationship(lazy="raise", back_populates="deliveries")
