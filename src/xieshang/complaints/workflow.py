"""Handling a complaint before its decision: acknowledge, investigate, assign, note, classify,
extend the clock, pause and resume it, restart it on new facts, withdraw; close at the end.

Each use case checks the caller's role, moves or changes the complaint with its audit row and
timeline event, tells the customer what the rules say they must be told, and commits once.
"""

from __future__ import annotations

import json
from datetime import date

from xieshang.complaints import repository
from xieshang.complaints.reads import holder_name
from xieshang.complaints.records import (
    change,
    compute_due,
    last_review_request_day,
    move,
    require_complaint,
    status,
)
from xieshang.complaints.schemas import AssignIn, ClassifyIn, ExtendIn, NoteIn, PauseIn
from xieshang.domain.complaint_states import OPEN, Status
from xieshang.domain.complaints import Extension
from xieshang.domain.errors import (
    AlreadyExtended,
    AlreadyPaused,
    ComplaintStatus,
    InvalidInput,
    NotPaused,
    PermissionDenied,
    ReviewPeriodOpen,
)
from xieshang.feedback.service import invite_after_complaint
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.models.complaint import Complaint
from xieshang.models.user import Role
from xieshang.notifications.service import notify

HANDLERS = frozenset({Role.AGENT, Role.SUPERVISOR})
APPROVERS = frozenset({Role.SUPERVISOR})
"""Who may approve a special extension (第十八条: 上级机构 or a head-office senior manager)."""
PAUSE_REASONS = {
    "external_assessment": ("外部机构鉴定、检测或评估", "an outside assessment or test"),
    "mediation": ("调解", "mediation"),
}


def acknowledge(ctx: Context, complaint_id: int, note: str) -> Complaint:
    """受理: the bank takes the complaint on and tells the customer who holds it and the due date."""
    authorize(ctx, "complaints.acknowledge")
    complaint = require_complaint(ctx, complaint_id)
    if complaint.assignee_id is None and ctx.user is not None and ctx.user.role in HANDLERS:
        complaint.assignee_id = ctx.user.id
    move(ctx, complaint, Status.ACKNOWLEDGED, "acknowledge", note=note)
    notify(
        ctx,
        complaint.customer_id,
        "complaint_acknowledged",
        {
            "complaint": complaint.id,
            "received_on": complaint.received_on.isoformat(),
            "holder": holder_name(ctx, complaint),
            "decision_due": complaint.decision_due.isoformat(),
        },
    )
    ctx.session.commit()
    return complaint


def investigate(ctx: Context, complaint_id: int, note: str) -> Complaint:
    authorize(ctx, "complaints.investigate")
    complaint = require_complaint(ctx, complaint_id)
    move(ctx, complaint, Status.INVESTIGATING, "investigate", note=note)
    ctx.session.commit()
    return complaint


def assign(ctx: Context, complaint_id: int, data: AssignIn) -> Complaint:
    authorize(ctx, "complaints.assign")
    complaint = require_complaint(ctx, complaint_id)
    _not_finished(complaint)
    if data.assignee_id is None and data.group is None:
        raise InvalidInput("assignee_id", "name an assignee, a group or both")
    before = {"assignee_id": complaint.assignee_id, "group": complaint.assignee_group}
    if data.assignee_id is not None:
        user = repository.user_by_id(ctx, data.assignee_id)
        if user is None or not user.is_active or user.role not in HANDLERS:
            raise InvalidInput("assignee_id", "is not an active agent or supervisor")
        complaint.assignee_id = user.id
    if data.group is not None:
        complaint.assignee_group = data.group
    after = {"assignee_id": complaint.assignee_id, "group": complaint.assignee_group}
    change(
        ctx,
        complaint,
        "assign",
        before=before,
        after=after,
        visible=True,
        note=holder_name(ctx, complaint),
    )
    ctx.session.commit()
    return complaint


def add_note(ctx: Context, complaint_id: int, data: NoteIn) -> Complaint:
    authorize(ctx, "complaints.note")
    complaint = require_complaint(ctx, complaint_id)
    change(
        ctx,
        complaint,
        "note",
        before={},
        after={"visible": data.customer_visible},
        visible=data.customer_visible,
        note=data.note,
    )
    ctx.session.commit()
    return complaint


def classify(ctx: Context, complaint_id: int, data: ClassifyIn) -> Complaint:
    """Staff confirm the category and tag root causes (溯源整改, 第二十六条); allowed at any stage."""
    authorize(ctx, "complaints.classify")
    complaint = require_complaint(ctx, complaint_id)
    if data.category is None and data.root_causes is None:
        raise InvalidInput("category", "give a category, root causes or both")
    before = {"category": complaint.confirmed_category, "root_causes": complaint.root_causes}
    if data.category is not None:
        complaint.confirmed_category = data.category
    if data.root_causes is not None:
        complaint.root_causes = json.dumps(sorted(set(data.root_causes)))
    after = {"category": complaint.confirmed_category, "root_causes": complaint.root_causes}
    change(ctx, complaint, "classify", before=before, after=after, visible=False)
    ctx.session.commit()
    return complaint


def extend(ctx: Context, complaint_id: int, data: ExtendIn) -> Complaint:
    """情况复杂 → 30 days, with the reason, the customer told; 特别复杂 → 60 days, only with a
    supervisor's approval and notice (第十八条)."""
    authorize(ctx, "complaints.extend")
    complaint = require_complaint(ctx, complaint_id)
    _before_decision(complaint, "extended")
    target = Extension(data.extension)
    current = Extension(complaint.extension)
    if target is Extension.SPECIAL and ctx.user is not None and ctx.user.role not in APPROVERS:
        raise PermissionDenied(
            "a special extension (to 60 days) needs a supervisor's approval (投诉办法 第十八条): "
            "ask a supervisor to extend it"
        )
    if current is target or current is Extension.SPECIAL:
        raise AlreadyExtended(complaint.id, str(current))
    before = {"extension": current.value, "decision_due": complaint.decision_due.isoformat()}
    complaint.extension = target.value
    complaint.extension_reason = data.reason
    if target is Extension.SPECIAL:
        complaint.extension_approved_by = ctx.user_id
    complaint.decision_due = compute_due(ctx, complaint)
    after = {
        "extension": target.value,
        "decision_due": complaint.decision_due.isoformat(),
        "reason": data.reason,
    }
    change(ctx, complaint, "extend", before=before, after=after, visible=True, note=data.reason)
    special = target is Extension.SPECIAL
    notify(
        ctx,
        complaint.customer_id,
        "complaint_extended",
        {
            "complaint": complaint.id,
            "kind": "情况特别复杂，经上级审批" if special else "情况复杂",
            "kind_en": "is especially complex and a senior manager approved more time"
            if special
            else "is complex",
            "decision_due": complaint.decision_due.isoformat(),
            "reason": data.reason,
        },
    )
    ctx.session.commit()
    return complaint


def pause(ctx: Context, complaint_id: int, data: PauseIn) -> Complaint:
    """Stop the clock for an outside assessment or mediation; the customer is told (第十八条)."""
    authorize(ctx, "complaints.pause")
    complaint = require_complaint(ctx, complaint_id)
    _before_decision(complaint, "paused")
    if complaint.paused_since is not None:
        raise AlreadyPaused(complaint.id, complaint.paused_since)
    complaint.paused_since = ctx.today()
    complaint.pause_reason = data.reason
    after = {"paused_since": complaint.paused_since.isoformat(), "reason": data.reason}
    change(
        ctx,
        complaint,
        "pause",
        before={"paused_since": None},
        after=after,
        visible=True,
        note=data.note,
    )
    zh, en = PAUSE_REASONS[data.reason]
    notify(
        ctx,
        complaint.customer_id,
        "complaint_paused",
        {"complaint": complaint.id, "reason": zh, "reason_en": en, "since": ctx.today()},
    )
    ctx.session.commit()
    return complaint


def resume(ctx: Context, complaint_id: int, note: str) -> Complaint:
    """Start the clock again: the days paused are added to the period."""
    authorize(ctx, "complaints.resume")
    complaint = require_complaint(ctx, complaint_id)
    if complaint.paused_since is None:
        raise NotPaused(complaint.id)
    days = max(0, (ctx.today() - complaint.paused_since).days)
    before = {"paused_days": complaint.paused_days, "decision_due": str(complaint.decision_due)}
    complaint.paused_days += days
    complaint.paused_since = None
    complaint.pause_reason = None
    complaint.decision_due = compute_due(ctx, complaint)
    after = {"paused_days": complaint.paused_days, "decision_due": str(complaint.decision_due)}
    change(ctx, complaint, "resume", before=before, after=after, visible=True, note=note)
    notify(
        ctx,
        complaint.customer_id,
        "complaint_resumed",
        {
            "complaint": complaint.id,
            "paused_days": days,
            "decision_due": complaint.decision_due.isoformat(),
        },
    )
    ctx.session.commit()
    return complaint


def new_facts(ctx: Context, complaint_id: int, text: str) -> Complaint:
    """New facts or reasons on the same complaint: the clock restarts from today (第十八条第三款);
    days paused before no longer count, a pause still running runs on from today."""
    authorize(ctx, "complaints.new_facts")
    complaint = require_complaint(ctx, complaint_id)
    _before_decision(complaint, "given new facts")
    today = ctx.today()
    before = {
        "restarted_on": str(complaint.restarted_on),
        "decision_due": str(complaint.decision_due),
    }
    complaint.restarted_on = max(today, complaint.received_on)
    complaint.paused_days = 0
    if complaint.paused_since is not None:
        complaint.paused_since = today
    complaint.decision_due = compute_due(ctx, complaint)
    after = {
        "restarted_on": str(complaint.restarted_on),
        "decision_due": str(complaint.decision_due),
    }
    change(ctx, complaint, "new_facts", before=before, after=after, visible=True, note=text)
    ctx.session.commit()
    return complaint


def withdraw(ctx: Context, complaint_id: int, note: str) -> Complaint:
    """撤回: the procedure ends on the day the withdrawal is received (第十五条)."""
    authorize(ctx, "complaints.withdraw")
    complaint = require_complaint(ctx, complaint_id)
    complaint.finished_on = ctx.today()
    move(ctx, complaint, Status.WITHDRAWN, "withdraw", note=note)
    notify(
        ctx,
        complaint.customer_id,
        "complaint_withdrawn",
        {"complaint": complaint.id, "on": complaint.finished_on.isoformat()},
    )
    ctx.session.commit()
    return complaint


def close(ctx: Context, complaint_id: int, note: str) -> Complaint:
    authorize(ctx, "complaints.close")
    complaint = require_complaint(ctx, complaint_id)
    close_complaint(ctx, complaint, note, ctx.today())
    ctx.session.commit()
    return complaint


def close_complaint(ctx: Context, complaint: Complaint, note: str, on: date) -> None:
    """Close a notified complaint once its review period is over, or a reviewed one (flush only)."""
    last = last_review_request_day(ctx, complaint)
    if status(complaint) is Status.NOTIFIED and last is not None and on <= last:
        raise ReviewPeriodOpen(complaint.id, last)
    complaint.finished_on = on
    move(ctx, complaint, Status.CLOSED, "close", note=note)
    invite_after_complaint(ctx, complaint.customer_id, complaint.id)


def _before_decision(complaint: Complaint, what: str) -> None:
    if status(complaint) not in OPEN:
        raise ComplaintStatus(complaint.id, complaint.status, f"it can no longer be {what}")


def _not_finished(complaint: Complaint) -> None:
    if complaint.status in (Status.CLOSED, Status.WITHDRAWN):
        raise ComplaintStatus(complaint.id, complaint.status)
