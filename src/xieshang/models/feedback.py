from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xieshang.models.base import Base, BigId


class SurveyCampaign(Base):
    """A periodic survey sent to a chosen set of customers."""

    __tablename__ = "survey_campaigns"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SurveyInvitation(Base):
    """An invitation to one customer to rate one resolution (a negotiation, a complaint) or a
    campaign; answerable once, until it expires."""

    __tablename__ = "survey_invitations"
    __table_args__ = (UniqueConstraint("customer_id", "trigger", "subject_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    trigger: Mapped[str] = mapped_column(String(16))
    """``negotiation``, ``complaint`` or ``campaign``: what it asks about."""
    subject_id: Mapped[str] = mapped_column(String(64))
    """The case, complaint or campaign id."""
    created_at: Mapped[datetime] = mapped_column(index=True)
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]


class SurveyResponse(Base):
    """A customer's answer: CSAT (1–5), NPS (0–10) and free text, each optional but not all empty."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("survey_invitations.id"), unique=True)
    csat: Mapped[int | None] = mapped_column(Integer)
    nps: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime] = mapped_column(index=True)
