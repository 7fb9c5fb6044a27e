from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xieshang.models.base import Base, BigId


class NegotiationCase(Base):
    """A customer's request to negotiate (协商), with the input exactly as the engine saw it."""

    __tablename__ = "negotiation_cases"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"), index=True)
    scenario: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(24))
    input_snapshot: Mapped[str] = mapped_column(Text)
    """The whole case as JSON (loan, finances, history, request, as_of): replayable later."""
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class NegotiationEvaluation(Base):
    """One run of the engine on a case: the policy that decided it and everything it said."""

    __tablename__ = "negotiation_evaluations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("negotiation_cases.id"), index=True)
    as_of: Mapped[date] = mapped_column(Date)
    policy_version: Mapped[str] = mapped_column(String(64))
    policy_digest: Mapped[str] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(Text)
    evaluated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    evaluated_at: Mapped[datetime]
