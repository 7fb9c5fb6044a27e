"""What every complaint use case shares: finding a complaint the caller may see, moving it with its
audit row and timeline event, and computing its clock from the policy and the China calendar."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

from xieshang.audit.service import record
from xieshang.complaints import repository
from xieshang.domain.complaint_states import Status, check_move
from xieshang.domain.complaints import ComplaintRules, Extension, decision_due, review_deadlines
from xieshang.domain.errors import NotFound
from xieshang.kit.access import require_customer_access
from xieshang.kit.calendar import ChinaBankCalendar
from xieshang.kit.context import Context
from xieshang.models.complaint import Complaint, ComplaintEvent
from xieshang.policy.in_force import policy_in_force


@cache
def calendar() -> ChinaBankCalendar:
    return ChinaBankCalendar()


def rules(ctx: Context) -> ComplaintRules:
    """The complaint rules of the policy in force."""
    return policy_in_force(ctx).complaints


def policy_version(ctx: Context) -> str:
    policy = policy_in_force(ctx)
    return f"{policy.version}@{policy.digest[:12]}"


def require_complaint(ctx: Context, complaint_id: int) -> Complaint:
    """The complaint, or 404 — also for a customer asking for someone else's."""
    complaint = repository.complaint_by_id(ctx, complaint_id)
    if complaint is None:
        raise NotFound("complaint", complaint_id)
    require_customer_access(ctx.user, complaint.customer_id, "complaint", complaint_id)
    return complaint


def status(complaint: Complaint) -> Status:
    return Status(complaint.status)


def compute_due(ctx: Context, complaint: Complaint) -> date:
    """The decision's due date from receipt (or the restart), extension and paused days."""
    return decision_due(
        complaint.received_on,
        extension=Extension(complaint.extension),
        paused_days=complaint.paused_days,
        restarted_on=complaint.restarted_on,
        calendar=calendar(),
        rules=rules(ctx).clock,
    ).due


def last_review_request_day(ctx: Context, complaint: Complaint) -> date | None:
    """The last day the customer may ask for a review, once they were told the decision."""
    if complaint.notified_on is None or not rules(ctx).review_offered:
        return None
    last, _ = review_deadlines(complaint.notified_on, calendar=calendar(), rules=rules(ctx).clock)
    return last


def event(
    ctx: Context,
    complaint: Complaint,
    kind: str,
    *,
    visible: bool,
    note: str = "",
    details: dict[str, Any] | None = None,
) -> ComplaintEvent:
    """Add one entry to the complaint's timeline (flush only)."""
    row = ComplaintEvent(
        complaint_id=complaint.id,
        at=ctx.now(),
        actor_id=ctx.user_id,
        actor_role=ctx.user.role.value if ctx.user else "system",
        kind=kind,
        status=complaint.status,
        customer_visible=visible,
        note=note,
        details=json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str),
    )
    ctx.session.add(row)
    ctx.session.flush()
    return row


def change(
    ctx: Context,
    complaint: Complaint,
    kind: str,
    *,
    before: dict[str, Any],
    after: dict[str, Any],
    visible: bool,
    note: str = "",
) -> None:
    """A change to the complaint: its audit row and its timeline event, in the caller's
    transaction."""
    ctx.session.flush()  # the version column moves now: a concurrent change fails here
    record(
        ctx,
        f"complaint.{kind}",
        "complaint",
        complaint.id,
        before=before,
        after=after,
        policy_version=policy_version(ctx),
    )
    event(ctx, complaint, kind, visible=visible, note=note, details=after)


def move(
    ctx: Context,
    complaint: Complaint,
    target: Status,
    kind: str,
    *,
    visible: bool = True,
    note: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    """Move the complaint to ``target`` (409 if its life cycle does not allow it)."""
    before = status(complaint)
    check_move(before, target)
    complaint.status = target.value
    after = {"status": target.value, **(details or {})}
    change(
        ctx,
        complaint,
        kind,
        before={"status": before.value},
        after=after,
        visible=visible,
        note=note,
    )
