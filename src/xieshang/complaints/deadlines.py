"""The deadline pass the nightly job runs for each complaint still owed something.

On ``as_of``: a running clock whose due date is near gets a reminder on the policy's days before it
(3 and 1 by default), once each; a due date passed without the decision told (or a review decided)
is escalated to the escalation group, once per due date; a notified complaint whose review period
has ended is closed. Paused clocks are left alone. Every action is an internal timeline event with
its audit row; a second pass on the same day finds nothing to do.
"""

from __future__ import annotations

from datetime import date

from xieshang.complaints import repository
from xieshang.complaints.records import change, last_review_request_day, rules
from xieshang.complaints.workflow import close_complaint
from xieshang.domain.complaint_states import AWAITING_NOTICE, OPEN, Status
from xieshang.domain.complaints import reminder_due
from xieshang.domain.errors import NotFound
from xieshang.kit.context import Context
from xieshang.models.complaint import Complaint

WATCHED = frozenset({*OPEN, *AWAITING_NOTICE, Status.REVIEW_REQUESTED, Status.NOTIFIED})
ESCALATION_GROUP = "complaint_escalation"


def watched_ids(ctx: Context) -> list[int]:
    """The complaints the pass looks at, oldest first."""
    return repository.complaint_ids_in(ctx, [s.value for s in WATCHED])


def check_deadline(ctx: Context, complaint_id: int, as_of: date) -> str | None:
    """Remind, escalate or close the complaint as of ``as_of``; what was done, or None (flush
    only: the caller commits). NotFound if it is gone."""
    complaint = repository.complaint_by_id(ctx, complaint_id)
    if complaint is None:
        raise NotFound("complaint", complaint_id)
    current = Status(complaint.status)
    if current is Status.NOTIFIED:
        last = last_review_request_day(ctx, complaint)
        if last is None or as_of > last:
            close_complaint(ctx, complaint, "review period over", as_of)
            return "closed"
        return None
    if complaint.paused_since is not None:
        return None
    due = complaint.review_due if current is Status.REVIEW_REQUESTED else complaint.decision_due
    if due is None:
        return None
    days_left = (due - as_of).days
    if days_left < 0:
        return _escalate(ctx, complaint, due, -days_left)
    if complaint.reminded_due != due:
        complaint.reminded_due, complaint.reminded_days = due, None
    reminder = reminder_due(days_left, rules(ctx).reminder_days_before, complaint.reminded_days)
    if reminder is None:
        return None
    complaint.reminded_days = reminder
    change(
        ctx,
        complaint,
        "remind",
        before={},
        after={"due": due.isoformat(), "days_left": days_left, "as_of": as_of.isoformat()},
        visible=False,
        note=f"due {due}: {days_left} days left",
    )
    return "reminded"


def _escalate(ctx: Context, complaint: Complaint, due: date, days_late: int) -> str | None:
    if complaint.escalated_due == due:
        return None
    before = {"group": complaint.assignee_group}
    complaint.escalated_due = due
    complaint.assignee_group = ESCALATION_GROUP
    change(
        ctx,
        complaint,
        "escalate",
        before=before,
        after={"due": due.isoformat(), "days_late": days_late, "group": ESCALATION_GROUP},
        visible=False,
        note=f"due {due} passed {days_late} days ago",
    )
    return "escalated"
