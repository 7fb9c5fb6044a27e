from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xieshang.models.base import Base, BigId


class Complaint(Base):
    """A customer's complaint (投诉): the words as received, what triage made of them, who holds it,
    its regulatory clock, the decision and its letter, the proof the customer was told, a review."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    external_ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    """The reference of an imported complaint in the system it came from: re-importing is a no-op."""
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loans.id"), index=True)
    channel: Mapped[str] = mapped_column(String(24))
    received_at: Mapped[datetime]
    """When the bank received it: for a call or visit recorded afterwards, the real time of receipt."""
    received_on: Mapped[date] = mapped_column(Date, index=True)
    """The day of receipt in the bank's timezone: the clock counts from the day after it."""
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]

    original_text: Mapped[str] = mapped_column(Text)
    """Exactly what the customer said, never changed (and never rendered as markup)."""
    normalized_text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(32), index=True)
    """Triage's category at intake."""
    triage_scores: Mapped[str] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(16))
    urgency_rank: Mapped[int] = mapped_column(Integer)
    """0 low … 3 critical: the queue sorts on it."""
    urgency_reasons: Mapped[str] = mapped_column(Text)
    flags: Mapped[str] = mapped_column(Text)
    sentiment: Mapped[str] = mapped_column(String(16))
    suggested_group: Mapped[str] = mapped_column(String(48))
    confirmed_category: Mapped[str | None] = mapped_column(String(32))
    """The category staff confirmed; statistics use it when set."""
    root_causes: Mapped[str] = mapped_column(Text, default="[]")

    status: Mapped[str] = mapped_column(String(24), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    assignee_group: Mapped[str] = mapped_column(String(48))

    extension: Mapped[str] = mapped_column(String(16), default="none")
    extension_reason: Mapped[str | None] = mapped_column(Text)
    extension_approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paused_days: Mapped[int] = mapped_column(Integer, default=0)
    paused_since: Mapped[date | None] = mapped_column(Date)
    pause_reason: Mapped[str | None] = mapped_column(String(32))
    restarted_on: Mapped[date | None] = mapped_column(Date)
    decision_due: Mapped[date] = mapped_column(Date, index=True)
    reminded_days: Mapped[int | None] = mapped_column(Integer)
    reminded_due: Mapped[date | None] = mapped_column(Date)
    escalated_due: Mapped[date | None] = mapped_column(Date)
    """The deadline whose breach was escalated (a later deadline can be escalated again)."""

    decision: Mapped[str | None] = mapped_column(String(24))
    decision_facts: Mapped[str | None] = mapped_column(Text)
    decision_basis: Mapped[str | None] = mapped_column(Text)
    decision_remedy: Mapped[str | None] = mapped_column(Text)
    letter_zh: Mapped[str | None] = mapped_column(Text)
    letter_en: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    notified_at: Mapped[datetime | None]
    notified_on: Mapped[date | None] = mapped_column(Date)
    notice_channel: Mapped[str | None] = mapped_column(String(16))
    notice_reference: Mapped[str | None] = mapped_column(String(128))
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id"))

    review_requested_on: Mapped[date | None] = mapped_column(Date)
    review_reason: Mapped[str | None] = mapped_column(Text)
    review_due: Mapped[date | None] = mapped_column(Date)
    review_outcome: Mapped[str | None] = mapped_column(String(24))
    review_letter_zh: Mapped[str | None] = mapped_column(Text)
    review_letter_en: Mapped[str | None] = mapped_column(Text)
    review_decided_on: Mapped[date | None] = mapped_column(Date)
    review_decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_notification_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id"))
    finished_on: Mapped[date | None] = mapped_column(Date)
    """The day it was closed or withdrawn."""
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


class ComplaintEvent(Base):
    """One entry of a complaint's timeline: a move, a note, a notice; who, when, and whether the
    customer sees it."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(16))
    """customer, agent, supervisor, compliance, admin or system."""
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(24))
    """The complaint's status after the event."""
    customer_visible: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[str] = mapped_column(Text, default="{}")


class ComplaintAttachment(Base):
    """A file the customer or staff added, kept in the database. Its type was sniffed from its
    bytes; the name the uploader gave is only shown, never used to store or serve it."""

    __tablename__ = "complaint_attachments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    filename: Mapped[str] = mapped_column(String(128))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime]
