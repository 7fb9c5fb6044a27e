"""Reading complaints: one complaint (staff see the whole record, the customer their timeline), the
list (a customer's own), the staff queue ordered by deadline and risk.

The changes are use cases beside this module, named for what they do: ``intake``, ``workflow``,
``decisions``, ``attachments``, ``deadlines`` (the nightly pass), ``replies``, ``statistics``."""

from __future__ import annotations

from datetime import date

from xieshang.complaints import reads, repository
from xieshang.complaints.records import require_complaint
from xieshang.complaints.schemas import ComplaintPage, ComplaintRead, TimelineRead
from xieshang.domain.complaint_states import AWAITING_NOTICE, OPEN, Status
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.kit.repository import page_of
from xieshang.models.user import Role

QUEUED = frozenset({*OPEN, *AWAITING_NOTICE, Status.REVIEW_REQUESTED})
"""What staff still owe an answer on."""


def get_complaint(ctx: Context, complaint_id: int) -> ComplaintRead:
    authorize(ctx, "complaints.get")
    return reads.full_read(ctx, require_complaint(ctx, complaint_id))


def timeline(ctx: Context, complaint_id: int) -> TimelineRead:
    """What the customer sees (staff see the same, as the customer does)."""
    authorize(ctx, "complaints.timeline")
    return reads.customer_read(ctx, require_complaint(ctx, complaint_id))


def complaint_view(ctx: Context, complaint_id: int) -> ComplaintRead | TimelineRead:
    """The complaint as the caller may see it (its page): a customer their own timeline, staff the
    whole record."""
    return reads.view(ctx, require_complaint(ctx, complaint_id))


def list_complaints(
    ctx: Context, *, status: str | None = None, page: int = 1, page_size: int = 20
) -> ComplaintPage:
    """Complaints, newest first (a customer's own)."""
    authorize(ctx, "complaints.list")
    own = None
    if ctx.user is not None and ctx.user.role is Role.CUSTOMER:
        own = ctx.user.customer_id
        if own is None:  # a customer login without a customer sees nothing
            return ComplaintPage(items=[], total=0, page=page, page_size=page_size)
    query, order = repository.complaints_query(own, status)
    total, rows = page_of(ctx.session, query, page, page_size, order)
    return ComplaintPage(
        items=[reads.summary(ctx, c) for c in rows], total=total, page=page, page_size=page_size
    )


def queue(
    ctx: Context,
    *,
    group: str | None = None,
    mine: bool = False,
    due_by: date | None = None,
    page: int = 1,
    page_size: int = 20,
) -> ComplaintPage:
    """What staff owe an answer on: the nearest deadline first, then the riskiest (urgency, then
    the number of regulatory-risk flags), then the oldest; paused complaints after running ones."""
    authorize(ctx, "complaints.queue")
    assignee_id = ctx.user.id if mine and ctx.user is not None else None
    query, order = repository.queue_query([s.value for s in QUEUED], group, assignee_id, due_by)
    total, rows = page_of(ctx.session, query, page, page_size, *order)
    return ComplaintPage(
        items=[reads.summary(ctx, c) for c in rows], total=total, page=page, page_size=page_size
    )


def customers_with_complaints(ctx: Context) -> set[int]:
    """The ids of the customers who have filed a complaint (for the bank's own processes: no caller
    to check)."""
    return repository.customers_with_complaints(ctx)
