"""Complaint rows as the read models the API and pages show: the whole record for staff, the
timeline for the customer, a line of a list."""

from __future__ import annotations

import json
from typing import Any

from xieshang.complaints import repository
from xieshang.complaints.schemas import (
    AttachmentRead,
    ClockRead,
    ComplaintRead,
    ComplaintSummary,
    DecisionRead,
    EventRead,
    HolderRead,
    ReviewRead,
    TimelineRead,
    TriageRead,
)
from xieshang.domain.complaint_states import Status
from xieshang.kit.context import Context
from xieshang.models.complaint import Complaint, ComplaintAttachment, ComplaintEvent
from xieshang.models.user import Role


def view(ctx: Context, complaint: Complaint) -> ComplaintRead | TimelineRead:
    """The complaint as the caller may see it: a customer their timeline, staff the whole record."""
    if ctx.user is not None and ctx.user.role is Role.CUSTOMER:
        return customer_read(ctx, complaint)
    return full_read(ctx, complaint)


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
        triage=_triage(complaint),
        confirmed_category=complaint.confirmed_category,
        root_causes=json.loads(complaint.root_causes),
        clock=ClockRead.model_validate(complaint),
        escalated=complaint.escalated_due is not None,
        version=complaint.version,
    )


def _triage(complaint: Complaint) -> TriageRead:
    return TriageRead(
        category=complaint.category,
        scores=json.loads(complaint.triage_scores),
        urgency=complaint.urgency,
        urgency_reasons=json.loads(complaint.urgency_reasons),
        flags=json.loads(complaint.flags),
        sentiment=complaint.sentiment,
        suggested_group=complaint.suggested_group,
        language=complaint.language,
    )


def _shared(ctx: Context, complaint: Complaint, *, visible_only: bool) -> dict[str, Any]:
    events = repository.events_of(ctx, complaint.id, visible_only=visible_only)
    attachments = repository.attachments_of(ctx, complaint.id)
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
        "attachments": [attachment_read(ctx, a) for a in attachments],
        "events": [_event(ctx, e) for e in events],
    }


def _event(ctx: Context, row: ComplaintEvent) -> EventRead:
    return EventRead(
        at=ctx.local(row.at),
        kind=row.kind,
        status=row.status,
        by=row.actor_role,
        note=row.note,
        customer_visible=row.customer_visible,
    )


def attachment_read(ctx: Context, row: ComplaintAttachment) -> AttachmentRead:
    return AttachmentRead(
        id=row.id,
        filename=row.filename,
        media_type=row.media_type,
        size=row.size,
        sha256=row.sha256,
        uploaded_at=ctx.local(row.uploaded_at),
    )


def holder_name(ctx: Context, complaint: Complaint) -> str:
    """Who holds the complaint, as the customer is told: the handler's name, else the group."""
    if complaint.assignee_id is not None:
        user = repository.user_by_id(ctx, complaint.assignee_id)
        if user is not None:
            return user.display_name
    return complaint.assignee_group


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
