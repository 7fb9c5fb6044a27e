"""Every query of the contact log and of what the conduct rules and the workbench read beside it
(flush only, never commit)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, func, select

from xieshang.agreements.repository import PERFORMING
from xieshang.kit.context import Context
from xieshang.models.complaint import Complaint
from xieshang.models.contact import ContactAttempt
from xieshang.models.customer import Customer
from xieshang.models.loan import Loan, LoanStatus
from xieshang.models.negotiation import (
    Agreement,
    NegotiationCase,
    NegotiationEvaluation,
    NegotiationOffer,
    OfferStatus,
)
from xieshang.models.user import User

# ---- the contact log and the conduct rules' facts ----


def customer_exists(ctx: Context, customer_id: int) -> bool:
    return ctx.session.get(Customer, customer_id) is not None


def loan_by_id(ctx: Context, loan_id: int) -> Loan | None:
    return ctx.session.get(Loan, loan_id)


def loan_ids_of(ctx: Context, customer_id: int) -> list[int]:
    """Every loan of the customer."""
    return list(ctx.session.scalars(select(Loan.id).where(Loan.customer_id == customer_id)))


def attempts_on(ctx: Context, customer_id: int, channel: str, local_day: str) -> int:
    """Contacts made with the customer on the channel on the local day (ISO date)."""
    query = (
        select(func.count())
        .select_from(ContactAttempt)
        .where(
            ContactAttempt.customer_id == customer_id,
            ContactAttempt.channel == channel,
            ContactAttempt.local_day == local_day,
        )
    )
    return ctx.session.scalar(query) or 0


def any_performing_agreement(ctx: Context, loan_ids: Sequence[int]) -> bool:
    """Whether an agreement on one of the loans is being kept (or is late within its grace)."""
    query = select(Agreement.id).where(
        Agreement.loan_id.in_(loan_ids), Agreement.status.in_(PERFORMING)
    )
    return ctx.session.scalar(query) is not None


def complaint_open_in(
    ctx: Context, customer_id: int, category: str, finished: Collection[str]
) -> bool:
    """Whether the customer has a complaint in ``category`` (as confirmed, else as filed) whose
    status is not among ``finished``."""
    filed_as = func.coalesce(Complaint.confirmed_category, Complaint.category)
    query = select(Complaint.id).where(
        Complaint.customer_id == customer_id,
        filed_as == category,
        Complaint.status.not_in(finished),
    )
    return ctx.session.scalar(query) is not None


def contacts_query(customer_id: int) -> Select[Any]:
    """The customer's contact log."""
    return select(ContactAttempt).where(ContactAttempt.customer_id == customer_id)


# ---- the workbench ----


def live_offers_of(ctx: Context, case_id: int, live: Collection[str]) -> list[NegotiationOffer]:
    """The case's offers in one of the ``live`` states."""
    query = select(NegotiationOffer).where(
        NegotiationOffer.case_id == case_id, NegotiationOffer.status.in_(live)
    )
    return list(ctx.session.scalars(query))


def closed_risk_of(ctx: Context, loan_id: int) -> Row[str, LoanStatus, date | None, int, int]:
    """The loan's number and status, and what the last close of business stored on it: the day it
    closed through, days past due and principal outstanding (fen)."""
    query = select(
        Loan.loan_no,
        Loan.status,
        Loan.closed_through,
        Loan.days_past_due,
        Loan.principal_outstanding,
    ).where(Loan.id == loan_id)
    return ctx.session.execute(query).one()


def cases_of(
    ctx: Context, customer_id: int, *, except_case: int | None = None
) -> Sequence[NegotiationCase]:
    """The customer's negotiation cases, newest first, but ``except_case``."""
    query = select(NegotiationCase).where(NegotiationCase.customer_id == customer_id)
    if except_case is not None:
        query = query.where(NegotiationCase.id != except_case)
    return ctx.session.scalars(query.order_by(NegotiationCase.id.desc())).all()


def agreements_of(ctx: Context, customer_id: int) -> Sequence[Agreement]:
    """The customer's agreements, newest first."""
    query = select(Agreement).where(Agreement.customer_id == customer_id)
    return ctx.session.scalars(query.order_by(Agreement.id.desc())).all()


def complaints_in(ctx: Context, customer_id: int, statuses: Collection[str]) -> Sequence[Complaint]:
    """The customer's complaints in one of ``statuses``, soonest decision due first."""
    query = select(Complaint).where(
        Complaint.customer_id == customer_id, Complaint.status.in_(statuses)
    )
    return ctx.session.scalars(query.order_by(Complaint.decision_due)).all()


def complaints_not_in(
    ctx: Context, customer_id: int, statuses: Collection[str]
) -> Sequence[Complaint]:
    """The customer's complaints in none of ``statuses``, latest received first."""
    query = select(Complaint).where(
        Complaint.customer_id == customer_id, Complaint.status.not_in(statuses)
    )
    order = (Complaint.received_at.desc(), Complaint.id.desc())
    return ctx.session.scalars(query.order_by(*order)).all()


def evaluations_of(ctx: Context, case_id: int) -> Sequence[NegotiationEvaluation]:
    """The case's evaluations, latest first."""
    query = select(NegotiationEvaluation).where(NegotiationEvaluation.case_id == case_id)
    return ctx.session.scalars(query.order_by(NegotiationEvaluation.id.desc())).all()


def offer_made_from(ctx: Context, evaluation_id: int, offer_key: str) -> NegotiationOffer | None:
    """The offer not withdrawn that carries the evaluation's offer ``offer_key``."""
    query = select(NegotiationOffer).where(
        NegotiationOffer.evaluation_id == evaluation_id,
        NegotiationOffer.offer_key == offer_key,
        NegotiationOffer.status != OfferStatus.WITHDRAWN,
    )
    return ctx.session.scalar(query)


def escalated_offers(ctx: Context, case_id: int) -> list[tuple[NegotiationOffer, str | None]]:
    """The case's escalated offers, each with the username of who escalated it (none: the
    system)."""
    query = (
        select(NegotiationOffer, User.username)
        .join(User, User.id == NegotiationOffer.escalated_by, isouter=True)
        .where(NegotiationOffer.case_id == case_id, NegotiationOffer.escalation_reason.is_not(None))
    )
    return [(offer, username) for offer, username in ctx.session.execute(query)]
