"""Every query of complaints, their timelines and attachments (flush only, never commit)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, case, func, select
from sqlalchemy.orm import defer

from xieshang.domain.complaint_states import Status
from xieshang.domain.errors import NotFound
from xieshang.kit.context import Context
from xieshang.models.complaint import Complaint, ComplaintAttachment, ComplaintEvent
from xieshang.models.customer import Customer
from xieshang.models.loan import Loan, LoanProduct
from xieshang.models.user import User


def complaint_by_id(ctx: Context, complaint_id: int) -> Complaint | None:
    return ctx.session.get(Complaint, complaint_id)


def customers_with_complaints(ctx: Context) -> set[int]:
    return set(ctx.session.scalars(select(Complaint.customer_id)))


def complaint_ids_in(ctx: Context, statuses: Collection[str]) -> list[int]:
    """The ids of the complaints in one of ``statuses``, oldest first."""
    return list(
        ctx.session.scalars(
            select(Complaint.id).where(Complaint.status.in_(statuses)).order_by(Complaint.id)
        )
    )


def complaints_query(customer_id: int | None, status: str | None) -> tuple[Select[Complaint], Any]:
    """The complaints to list (a customer's own when ``customer_id`` is given) and their order:
    newest first."""
    query = select(Complaint)
    if customer_id is not None:
        query = query.where(Complaint.customer_id == customer_id)
    if status is not None:
        query = query.where(Complaint.status == status)
    return query, Complaint.id.desc()


def queue_query(
    statuses: Collection[str], group: str | None, assignee_id: int | None, due_by: date | None
) -> tuple[Select[Complaint], tuple[Any, ...]]:
    """The complaints in ``statuses`` waiting in the queue, and their order: paused ones after
    running ones, then the nearest deadline (the review's while one runs), the highest urgency,
    the most regulatory-risk flags, the oldest."""
    query = select(Complaint).where(Complaint.status.in_(statuses))
    if group is not None:
        query = query.where(Complaint.assignee_group == group)
    if assignee_id is not None:
        query = query.where(Complaint.assignee_id == assignee_id)
    due = case(
        (Complaint.status == Status.REVIEW_REQUESTED.value, Complaint.review_due),
        else_=Complaint.decision_due,
    )
    if due_by is not None:  # deadlines at risk: due on or before that day
        query = query.where(due <= due_by)
    paused = case((Complaint.paused_since.is_(None), 0), else_=1)
    order = (
        paused,
        due,
        Complaint.urgency_rank.desc(),
        func.length(Complaint.flags).desc(),
        Complaint.received_at,
        Complaint.id,
    )
    return query, order


def events_of(ctx: Context, complaint_id: int, *, visible_only: bool) -> Sequence[ComplaintEvent]:
    """The complaint's timeline in order; with ``visible_only``, what the customer may see."""
    query = select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint_id)
    if visible_only:
        query = query.where(ComplaintEvent.customer_visible.is_(True))
    return ctx.session.scalars(query.order_by(ComplaintEvent.id)).all()


def attachment_count(ctx: Context, complaint_id: int) -> int:
    found = ctx.session.scalar(
        select(func.count()).where(ComplaintAttachment.complaint_id == complaint_id)
    )
    return found or 0


def attachment_of(ctx: Context, complaint_id: int, attachment_id: int) -> ComplaintAttachment:
    """The complaint's attachment with its content, or NotFound."""
    row = ctx.session.get(ComplaintAttachment, attachment_id)
    if row is None or row.complaint_id != complaint_id:
        raise NotFound("attachment", attachment_id)
    return row


def attachments_of(ctx: Context, complaint_id: int) -> list[ComplaintAttachment]:
    """The complaint's attachments in order, without their content (reading it raises)."""
    return list(
        ctx.session.scalars(
            select(ComplaintAttachment)
            .options(defer(ComplaintAttachment.content, raiseload=True))
            .where(ComplaintAttachment.complaint_id == complaint_id)
            .order_by(ComplaintAttachment.id)
        )
    )


def user_by_id(ctx: Context, user_id: int) -> User | None:
    return ctx.session.get(User, user_id)


def customer_by_id(ctx: Context, customer_id: int) -> Customer | None:
    return ctx.session.get(Customer, customer_id)


def received_between(
    ctx: Context, start: date, end: date
) -> Sequence[Row[Complaint, str, str | None]]:
    """(complaint, the customer's province, the loan's product code or None) for every complaint
    received from ``start`` to ``end`` (both included), in order."""
    return ctx.session.execute(
        select(Complaint, Customer.province, LoanProduct.code)
        .join(Customer, Customer.id == Complaint.customer_id)
        .outerjoin(Loan, Loan.id == Complaint.loan_id)
        .outerjoin(LoanProduct, LoanProduct.id == Loan.product_id)
        .where(Complaint.received_on >= start, Complaint.received_on <= end)
        .order_by(Complaint.id)
    ).all()
