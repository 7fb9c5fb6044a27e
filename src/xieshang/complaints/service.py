"""Reading complaints: one complaint (staff see the whole record, the customer their timeline), the
list (a customer's own), the staff queue ordered by deadline and risk."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import case, func, select

from xieshang.complaints.attachments import attachments_of
from xieshang.complaints.records import require_complaint
from xieshang.complaints.schemas import (
    AttachmentRead,
    ClockRead,
    ComplaintPage,
    ComplaintRead,
    ComplaintSummary,
    DecisionRead,
    EventRead,
    HolderRead,
    ReviewRead,
    TimelineRead,
    TriageRead,
)
from xieshang.complaints.workflow import holder_name
from xieshang.domain.complaint_states import AWAITING_NOTICE, OPEN, Status
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.kit.pagination import page_of
from xieshang.models.complaint import Complaint, ComplaintAttachment, ComplaintEvent
from xieshang.models.user import Role

QUEUED = frozenset({*OPEN, *AWAITING_NOTICE, Status.REVIEW_REQUESTED})
"""What staff still owe an answer on."""


def get_complaint(ctx: Context, complaint_id: int) -> ComplaintRead:
    authorize(ctx, "complaints.get")
    return full_read(ctx, require_complaint(ctx, complaint_id))


def timeline(ctx: Context, complaint_id: int) -> TimelineRead:
    """What the customer sees (staff see the same, as the customer does)."""
    authorize(ctx, "complaints.timeline")
    return customer_read(ctx, require_complaint(ctx, complaint_id))


def view(ctx: Context, complaint: Complaint) -> ComplaintRead | TimelineRead:
    """The complaint as the caller may see it after a change."""
    if ctx.user is not None and ctx.user.role is Role.CUSTOMER:
        return customer_read(ctx, complaint)
    return full_read(ctx, complaint)


def list_complaints(
    ctx: Context, *, status: str | None = None, page: int = 1, page_size: int = 20
) -> ComplaintPage:
    """Complaints, newest first (a customer's own)."""
    authorize(ctx, "complaints.list")
    query = select(Complaint)
    if ctx.user is not None and ctx.user.role is Role.CUSTOMER:
        query = query.where(Complaint.customer_id == ctx.user.customer_id)
    if status is not None:
        query = query.where(Complaint.status == status)
    total, rows = page_of(ctx.session, query, page, page_size, Complaint.id.desc())
    return ComplaintPage(
        items=[summary(ctx, c) for c in rows], total=total, page=page, page_size=page_size
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
    query = select(Complaint).where(Complaint.status.in_([s.value for s in QUEUED]))
    if group is not None:
        query = query.where(Complaint.assignee_group == group)
    if mine and ctx.user is not None:
        query = query.where(Complaint.assignee_id == ctx.user.id)
    due = case(
        (Complaint.status == Status.REVIEW_REQUESTED.value, Complaint.review_due),
        else_=Complaint.decision_due,
    )
    if due_by is not None:  # deadlines at risk: due on or before that day
        query = query.where(due <= due_by)
    paused = case((Complaint.paused_since.is_(None), 0), else_=1)
    total, rows = page_of(
        ctx.session,
        query,
        page,
        page_size,
        paused,
        due,
        Complaint.urgency_rank.desc(),
        func.length(Complaint.flags).desc(),
        Complaint.received_at,
        Complaint.id,
    )
    return ComplaintPage(
        items=[summary(ctx, c) for c in rows], total=total, page=page, page_size=page_size
    )


def summary(ctx: Context, complaint: Complaint) -> ComplaintSummary:
    running_review = complaint.status == Status.REVIEW_REQUESTED and complaint.review_due
    return ComplaintSummary(
        id=complaint.id,
        customer_id=complaint.customer_id,
        status=complaint.status,
        category=complaint.confirmed_category or complaint.category,
        channel=complaint.channel,
        urgency=complaint.urgency,
        flags=_staff_flags(ctx, complaint),
        received_at=ctx.local(complaint.received_at),
        due=complaint.review_due
        if running_review and complaint.review_due
        else complaint.decision_due,
        paused=complaint.paused_since is not None,
        held_by=_holder(ctx, complaint),
    )


def _staff_flags(ctx: Context, complaint: Complaint) -> list[str]:
    """Triage's risk flags are for staff: a customer's own list shows none."""
    if ctx.user is not None and ctx.user.role is Role.CUSTOMER:
        return []
    flags: list[str] = json.loads(complaint.flags)
    return flags


def customer_read(ctx: Context, complaint: Complaint) -> TimelineRead:
    return TimelineRead(**_shared(ctx, complaint, visible_only=True))


def full_read(ctx: Context, complaint: Complaint) -> ComplaintRead:
    return ComplaintRead(
        **_shared(ctx, complaint, visible_only=False),
        customer_id=complaint.customer_id,
        loan_id=complaint.loan_id,
        external_ref=complaint.external_ref,
        normalized_text=complaint.normalized_text,
        triage=TriageRead(
            category=complaint.category,
            scores=json.loads(complaint.triage_scores),
            urgency=complaint.urgency,
            urgency_reasons=json.loads(complaint.urgency_reasons),
            flags=json.loads(complaint.flags),
            sentiment=complaint.sentiment,
            suggested_group=complaint.suggested_group,
            language=complaint.language,
        ),
        confirmed_category=complaint.confirmed_category,
        root_causes=json.loads(complaint.root_causes),
        clock=ClockRead(
            received_on=complaint.received_on,
            decision_due=complaint.decision_due,
            extension=complaint.extension,
            extension_reason=complaint.extension_reason,
            paused_days=complaint.paused_days,
            paused_since=complaint.paused_since,
            pause_reason=complaint.pause_reason,
            restarted_on=complaint.restarted_on,
            review_due=complaint.review_due,
        ),
        escalated=complaint.escalated_due is not None,
        version=complaint.version,
    )


def _shared(ctx: Context, complaint: Complaint, *, visible_only: bool) -> dict[str, Any]:
    query = select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id)
    if visible_only:
        query = query.where(ComplaintEvent.customer_visible.is_(True))
    events = ctx.session.scalars(query.order_by(ComplaintEvent.id)).all()
    return {
        "id": complaint.id,
        "status": complaint.status,
        "channel": complaint.channel,
        "received_at": ctx.local(complaint.received_at),
        "text": complaint.original_text,
        "decision_due": complaint.decision_due,
        "held_by": _holder(ctx, complaint),
        "decision": _decision(ctx, complaint, visible_only),
        "review": _review(complaint),
        "attachments": [attachment_read(ctx, a) for a in attachments_of(ctx, complaint.id)],
        "events": [
            EventRead(
                at=ctx.local(e.at),
                kind=e.kind,
                status=e.status,
                by=e.actor_role,
                note=e.note,
                customer_visible=e.customer_visible,
            )
            for e in events
        ],
    }


def attachment_read(ctx: Context, row: ComplaintAttachment) -> AttachmentRead:
    return AttachmentRead(
        id=row.id,
        filename=row.filename,
        media_type=row.media_type,
        size=row.size,
        sha256=row.sha256,
        uploaded_at=ctx.local(row.uploaded_at),
    )


def _holder(ctx: Context, complaint: Complaint) -> HolderRead:
    name = holder_name(ctx, complaint)
    return HolderRead(
        group=complaint.assignee_group,
        handler=name if complaint.assignee_id is not None else None,
    )


def _decision(ctx: Context, complaint: Complaint, visible_only: bool) -> DecisionRead | None:
    """The decision and its letters; the customer sees them once they were sent."""
    if complaint.decision is None or complaint.decided_on is None:
        return None
    if visible_only and complaint.notified_at is None:
        return None
    return DecisionRead(
        decision=complaint.decision,
        decided_on=complaint.decided_on,
        letter_zh=complaint.letter_zh or "",
        letter_en=complaint.letter_en or "",
        notified_at=ctx.local(complaint.notified_at) if complaint.notified_at else None,
        notice_channel=complaint.notice_channel,
        notice_reference=complaint.notice_reference,
        notification_id=complaint.notification_id,
    )


def _review(complaint: Complaint) -> ReviewRead | None:
    if complaint.review_requested_on is None or complaint.review_due is None:
        return None
    return ReviewRead(
        requested_on=complaint.review_requested_on,
        reason=complaint.review_reason or "",
        due=complaint.review_due,
        outcome=complaint.review_outcome,
        decided_on=complaint.review_decided_on,
        letter_zh=complaint.review_letter_zh,
        letter_en=complaint.review_letter_en,
        notification_id=complaint.review_notification_id,
    )
