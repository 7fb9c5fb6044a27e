from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xieshang.models.base import Base, BigId, str_enum


class CaseStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    EVALUATED = "evaluated"
    OFFERED = "offered"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    COUNTERED = "countered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


class OfferStatus(enum.StrEnum):
    OFFERED = "offered"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class AgreementStatus(enum.StrEnum):
    ACTIVE = "active"
    LATE = "late"
    """A payment is missed but the grace the policy allows has not run out."""
    BROKEN = "broken"
    COMPLETED = "completed"


class NegotiationCase(Base):
    """A customer's request to negotiate (协商), with the input exactly as the engine saw it."""

    __tablename__ = "negotiation_cases"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"), index=True)
    scenario: Mapped[str] = mapped_column(String(24))
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus))
    input_snapshot: Mapped[str] = mapped_column(Text)
    """The whole case as JSON (loan, finances, history, request, as_of): replayable later."""
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    callback_due: Mapped[date | None] = mapped_column(Date, default=None)
    """The day by which a person has promised to contact the customer (no offer they can afford, a
    vulnerability they told us of, or they asked); owed until a contact that reaches them is
    recorded after ``callback_promised_at``."""
    callback_promised_at: Mapped[datetime | None] = mapped_column(default=None)


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


class NegotiationOffer(Base):
    """An offer made on a case: by the engine, or adjusted by a person; who approved it and until
    when it may be accepted."""

    __tablename__ = "negotiation_offers"
    __table_args__ = (UniqueConstraint("evaluation_id", "offer_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("negotiation_cases.id"), index=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("negotiation_evaluations.id"))
    offer_key: Mapped[str] = mapped_column(String(24))
    """The offer's id within its evaluation (plan, grace, settlement, due_date, adjusted)."""
    approval: Mapped[str] = mapped_column(String(16))
    """The level the engine routed it to: automatic, agent or supervisor."""
    status: Mapped[OfferStatus] = mapped_column(str_enum(OfferStatus))
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    """The person whose proposal this is (who adjusted it, or who entered the case); none: the customer."""
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(String(500), default="")
    expires_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]
    escalated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    """The agent who sent it up to a supervisor by hand (staff only: never shown to the customer)."""
    escalated_at: Mapped[datetime | None]
    escalation_reason: Mapped[str | None] = mapped_column(String(32))
    """outside_authority, suspected_fraud, vulnerable_customer, complaint_open or other."""
    escalation_note: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


class Agreement(Base):
    """An accepted offer installed on the loan: one per case, whatever races to accept it."""

    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("negotiation_cases.id"), unique=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("negotiation_offers.id"))
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    status: Mapped[AgreementStatus] = mapped_column(str_enum(AgreementStatus, 16), index=True)
    """active (kept), late (within grace), broken, completed."""
    segment: Mapped[int] = mapped_column(Integer)
    """The loan segment whose schedule this agreement installed."""
    start_date: Mapped[date] = mapped_column(Date)
    installation: Mapped[str] = mapped_column(Text)
    """What was installed (debt by component, terms, conditional concessions), as JSON."""
    previous: Mapped[str] = mapped_column(Text)
    """The loan as it stood before (loan file and schedule), as JSON."""
    conditional: Mapped[int] = mapped_column(BigInteger)
    """Fen forgiven on condition the agreement is kept."""
    reinstated: Mapped[int] = mapped_column(BigInteger, default=0)
    days_late: Mapped[int] = mapped_column(Integer, default=0)
    judged_through: Mapped[date | None] = mapped_column(Date)
    broken_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    terms_text_sha256: Mapped[str] = mapped_column(String(64))
    """The digest of the terms text the customer consented to."""
    consent_channel: Mapped[str] = mapped_column(String(16))
    consented_at: Mapped[datetime]
    accepted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}
