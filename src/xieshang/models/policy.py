from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xieshang.models.base import Base, BigId


class PolicyVersion(Base):
    """A policy document proposed by compliance and decided by a second person (four eyes).

    The document describes itself: ``version`` and ``effective_from`` are the document's own fields,
    copied here to query them. Status is ``proposed``, ``approved`` or ``rejected`` and never changes
    after the decision; whether an approved version is scheduled, in force or superseded depends on
    the day and is worked out when read (see :mod:`xieshang.policy.in_force`). The document
    shipped with xieshang is not stored: it is the baseline in force while no approved version is.
    """

    __tablename__ = "policy_versions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    version: Mapped[str] = mapped_column(String(32), unique=True)
    digest: Mapped[str] = mapped_column(String(64))
    """SHA-256 of ``text``: evaluations record it, so a decision names the exact document."""
    effective_from: Mapped[date] = mapped_column(Date, index=True)
    text: Mapped[str] = mapped_column(Text)
    based_on: Mapped[str] = mapped_column(String(32))
    """The version in force when the draft was proposed: what its changes are measured against."""
    status: Mapped[str] = mapped_column(String(16), index=True)
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime]
    proposal_note: Mapped[str] = mapped_column(String(2000))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(String(2000))
    row_version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": row_version}
