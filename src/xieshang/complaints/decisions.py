"""The decision and its notice, the review (核查) and its decision.

A decision is stored with its letters (zh and en); the notice sends the letter through the customer's
inbox (and records any other channel used), keeping the notification's id, channel and time as the
proof 第二十一条 asks for. A review may be asked within its period after the notice (第二十条) and is
decided by a supervisor who did not make the decision.
"""

from __future__ import annotations

from xieshang.complaints.letters import decision_letters, review_letters
from xieshang.complaints.records import calendar, move, require_complaint, rules
from xieshang.complaints.schemas import DecideIn, NotifyIn, ReviewDecisionIn, ReviewRequestIn
from xieshang.domain.complaint_states import Status
from xieshang.domain.complaints import review_deadlines
from xieshang.domain.errors import (
    ComplaintPaused,
    ComplaintStatus,
    InvalidInput,
    NoReviewOffered,
    PermissionDenied,
)
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.models.complaint import Complaint
from xieshang.models.user import Role
from xieshang.notifications.service import notify


def decide(ctx: Context, complaint_id: int, data: DecideIn) -> Complaint:
    authorize(ctx, "complaints.decide")
    complaint = require_complaint(ctx, complaint_id)
    if complaint.paused_since is not None:
        raise ComplaintPaused(complaint.id)
    complaint.decision = data.decision
    complaint.decision_facts = data.facts
    complaint.decision_basis = data.basis
    complaint.decision_remedy = data.remedy
    complaint.decided_on = ctx.today()
    complaint.decided_by = ctx.user_id
    complaint.letter_zh, complaint.letter_en = decision_letters(complaint, None, rules(ctx))
    move(
        ctx,
        complaint,
        Status.DECIDED,
        "decide",
        visible=False,
        details={"decision": data.decision, "decided_on": complaint.decided_on.isoformat()},
    )
    ctx.session.commit()
    return complaint


def send_decision(ctx: Context, complaint_id: int, data: NotifyIn) -> Complaint:
    """告知: send the decision letter, dated for the review period, and keep the proof."""
    authorize(ctx, "complaints.notify")
    complaint = require_complaint(ctx, complaint_id)
    if complaint.status != Status.DECIDED:
        raise ComplaintStatus(complaint.id, complaint.status, "only a decision is sent")
    if data.channel != "inbox" and not data.reference:
        raise InvalidInput("reference", f"say how the {data.channel} notice can be traced")
    today = ctx.today()
    complaint.letter_zh, complaint.letter_en = decision_letters(complaint, today, rules(ctx))
    sent = notify(
        ctx,
        complaint.customer_id,
        "complaint_decision",
        {
            "complaint": complaint.id,
            "letter": complaint.letter_zh,
            "letter_en": complaint.letter_en,
        },
    )
    complaint.notification_id = sent.id
    complaint.notified_at = ctx.now()
    complaint.notified_on = today
    complaint.notice_channel = data.channel
    complaint.notice_reference = data.reference
    on_time = today <= complaint.decision_due
    move(
        ctx,
        complaint,
        Status.NOTIFIED,
        "notify",
        note=complaint.letter_zh,
        details={
            "notification_id": sent.id,
            "channel": data.channel,
            "reference": data.reference,
            "on_time": on_time,
        },
    )
    ctx.session.commit()
    return complaint


def request_review(ctx: Context, complaint_id: int, data: ReviewRequestIn) -> Complaint:
    """申请核查: within the period after the customer was told (第二十条)."""
    authorize(ctx, "complaints.review_request")
    complaint = require_complaint(ctx, complaint_id)
    if not rules(ctx).review_offered:
        raise NoReviewOffered()
    if complaint.status != Status.NOTIFIED or complaint.notified_on is None:
        raise ComplaintStatus(complaint.id, complaint.status, "a review follows a notice")
    today = ctx.today()
    requested_on = today
    if data.requested_on is not None:
        if ctx.user is not None and ctx.user.role is Role.CUSTOMER:
            raise InvalidInput("requested_on", "is the day you ask: leave it out")
        if not complaint.notified_on <= data.requested_on <= today:
            raise InvalidInput("requested_on", f"must be between {complaint.notified_on} and today")
        requested_on = data.requested_on
    _, due = review_deadlines(
        complaint.notified_on, requested_on, calendar=calendar(), rules=rules(ctx).clock
    )
    assert due is not None
    complaint.review_requested_on = requested_on
    complaint.review_reason = data.reason
    complaint.review_due = due
    complaint.assignee_group = "complaint_escalation"
    complaint.assignee_id = None
    move(
        ctx,
        complaint,
        Status.REVIEW_REQUESTED,
        "review_request",
        note=data.reason,
        details={"requested_on": requested_on.isoformat(), "review_due": due.isoformat()},
    )
    ctx.session.commit()
    return complaint


def decide_review(ctx: Context, complaint_id: int, data: ReviewDecisionIn) -> Complaint:
    """核查决定: by a supervisor who did not decide the complaint, letter sent, proof kept."""
    authorize(ctx, "complaints.review_decide")
    complaint = require_complaint(ctx, complaint_id)
    if ctx.user is not None and ctx.user.id == complaint.decided_by:
        raise PermissionDenied(
            "the review must be decided by someone other than the decision-maker"
        )
    if complaint.status != Status.REVIEW_REQUESTED:
        raise ComplaintStatus(complaint.id, complaint.status, "no review is waiting")
    complaint.review_outcome = data.outcome
    complaint.review_decided_on = ctx.today()
    complaint.review_decided_by = ctx.user_id
    complaint.review_letter_zh, complaint.review_letter_en = review_letters(
        complaint, data.findings
    )
    sent = notify(
        ctx,
        complaint.customer_id,
        "complaint_review_decision",
        {
            "complaint": complaint.id,
            "letter": complaint.review_letter_zh,
            "letter_en": complaint.review_letter_en,
        },
    )
    complaint.review_notification_id = sent.id
    assert complaint.review_due is not None
    move(
        ctx,
        complaint,
        Status.REVIEW_DECIDED,
        "review_decide",
        note=complaint.review_letter_zh,
        details={
            "outcome": data.outcome,
            "notification_id": sent.id,
            "on_time": complaint.review_decided_on <= complaint.review_due,
        },
    )
    ctx.session.commit()
    return complaint
