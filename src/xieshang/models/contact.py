from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xieshang.models.base import Base, BigId


class ContactAttempt(Base):
    """One collection or service contact made with a customer (or a third party about their debt),
    after the conduct rules allowed it: the contact log (催收记录)."""

    __tablename__ = "contact_attempts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loans.id"))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(16))
    party: Mapped[str] = mapped_column(String(16))
    """debtor, guarantor, debt_related or unrelated (domain.conduct.Relation)."""
    purpose: Mapped[str] = mapped_column(String(16))
    """collection or service."""
    at: Mapped[datetime]
    local_day: Mapped[str] = mapped_column(String(10), index=True)
    """The customer's local date (YYYY-MM-DD): attempts per day are counted by it."""
    outcome: Mapped[str] = mapped_column(String(16))
    """answered, no_answer, left_message, refused_by_customer."""
    message: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(String(500), default="")
