from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xieshang.models.base import Base, BigId, str_enum


class ProductKind(enum.StrEnum):
    CONSUMER_INSTALLMENT = "consumer_installment"
    REVOLVING_LINE = "revolving_line"
    WORKING_CAPITAL = "working_capital"


class LoanStatus(enum.StrEnum):
    ACTIVE = "active"
    PAID_OFF = "paid_off"


class TransactionKind(enum.StrEnum):
    PAYMENT = "payment"
    FEE = "fee"
    LATE_FEE = "late_fee"
    REINSTATED = "reinstated"
    """Concessions a broken agreement puts back on the loan."""


class InstallmentStatus(enum.StrEnum):
    """Set by the nightly close of business."""

    SCHEDULED = "scheduled"
    DUE = "due"
    """Due today or within its grace days, not yet paid."""
    LATE = "late"
    PAID = "paid"


class LoanProduct(Base):
    """A product's contract rules: the terms the ledger's ``PenaltyRules`` and schedules come from."""

    __tablename__ = "loan_products"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    kind: Mapped[ProductKind] = mapped_column(str_enum(ProductKind))
    method: Mapped[str] = mapped_column(String(24))
    interest_basis: Mapped[str] = mapped_column(String(16))
    day_count: Mapped[str] = mapped_column(String(16))
    installment_multiple: Mapped[int] = mapped_column(BigInteger)
    penalty_markup: Mapped[str] = mapped_column(String(16))
    grace_days: Mapped[int]
    penalty_enabled: Mapped[bool]
    compound_enabled: Mapped[bool]
    allocation_order: Mapped[str] = mapped_column(String(64))


class Loan(Base):
    """A loan (借据): contract terms in fen and an exact rate, with the schedule in force."""

    __tablename__ = "loans"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    loan_no: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("loan_products.id"))
    principal: Mapped[int] = mapped_column(BigInteger)
    annual_rate: Mapped[str] = mapped_column(String(24))
    months: Mapped[int]
    start_date: Mapped[date] = mapped_column(Date)
    first_due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[LoanStatus] = mapped_column(str_enum(LoanStatus))
    restructured: Mapped[bool] = mapped_column(default=False)
    observation_until: Mapped[date | None] = mapped_column(Date)
    segment: Mapped[int] = mapped_column(Integer, default=0)
    """How many agreements have replaced the schedule: transactions belong to one segment."""
    terms_in_force: Mapped[str | None] = mapped_column(Text)
    """The terms of the schedule in force when an agreement replaced the contract's (loan-file JSON);
    ``principal``, ``annual_rate``, ``months`` and ``start_date`` above stay the original contract's."""
    created_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer)
    # The nightly close of business keeps these true as of ``closed_through``.
    closed_through: Mapped[date | None] = mapped_column(Date)
    days_past_due: Mapped[int] = mapped_column(Integer, default=0)
    bucket: Mapped[str] = mapped_column(String(8), default="M0")
    classification: Mapped[str] = mapped_column(String(24), default="normal")
    principal_outstanding: Mapped[int] = mapped_column(BigInteger, default=0)
    owed_now: Mapped[int] = mapped_column(BigInteger, default=0)
    """Everything due and unpaid at the close (principal, interest, penalty, compound, fees)."""

    product: Mapped[LoanProduct] = relationship(lazy="raise")
    installments: Mapped[list[Installment]] = relationship(
        lazy="raise", order_by="Installment.number", cascade="all, delete-orphan"
    )
    transactions: Mapped[list[LoanTransaction]] = relationship(
        lazy="raise", order_by="LoanTransaction.value_date, LoanTransaction.id"
    )
    disclosures: Mapped[list[LoanDisclosure]] = relationship(
        lazy="raise", order_by="LoanDisclosure.version", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class Installment(Base):
    """One installment of the schedule in force, exactly as the ledger computed it."""

    __tablename__ = "installments"
    __table_args__ = (UniqueConstraint("loan_id", "number"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id", ondelete="CASCADE"))
    number: Mapped[int]
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    principal: Mapped[int] = mapped_column(BigInteger)
    interest: Mapped[int] = mapped_column(BigInteger)
    balance: Mapped[int] = mapped_column(BigInteger)
    interest_base: Mapped[int] = mapped_column(BigInteger)
    interest_months: Mapped[int]
    interest_days: Mapped[int]
    status: Mapped[InstallmentStatus] = mapped_column(
        str_enum(InstallmentStatus), default=InstallmentStatus.SCHEDULED
    )


class LoanTransaction(Base):
    """Money in (payments) or charges put on the loan. ``reference`` is unique per loan: importing
    the same core-banking export twice finds the transaction already there and writes nothing."""

    __tablename__ = "loan_transactions"
    __table_args__ = (UniqueConstraint("loan_id", "reference"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"), index=True)
    kind: Mapped[TransactionKind] = mapped_column(str_enum(TransactionKind))
    value_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str] = mapped_column(String(64))
    installment: Mapped[int | None]
    description: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(16))
    segment: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class DisclosureEvent(enum.StrEnum):
    """Why a version of a loan's disclosure table was written."""

    BOOKED = "booked"
    AGREEMENT = "agreement"
    """An agreement installed a new schedule (new terms in force)."""
    BACKFILL = "backfill"
    """Written for a loan booked before tables were kept (migration 0009)."""


class LoanDisclosure(Base):
    """One version of a loan's cost disclosure table (明示表, 金规〔2026〕2号 — UNVERIFIED): written
    when the loan is booked and each time its terms change, never updated. ``table_json`` is the
    domain's JSON form (``xieshang.domain.disclosure.to_data``); ``digest`` its SHA-256."""

    __tablename__ = "loan_disclosures"
    __table_args__ = (UniqueConstraint("loan_id", "version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    effective_date: Mapped[date] = mapped_column(Date)
    event: Mapped[DisclosureEvent] = mapped_column(str_enum(DisclosureEvent, 16))
    all_in_rate: Mapped[str] = mapped_column(String(24))
    total_cost: Mapped[int] = mapped_column(BigInteger)
    table_json: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
