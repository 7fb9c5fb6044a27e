from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xieshang.models.base import Base, BigId


class Notification(Base):
    """A message to a customer from a template, and what became of it on its channel."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    template: Mapped[str] = mapped_column(String(48))
    params: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    """Rendered in the customer's language when it was created: what they were actually told."""
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]
