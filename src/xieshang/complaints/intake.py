"""Intake (受理前的登记): a customer files a complaint, an agent records a call, visit or letter with
the real time of receipt, or an import brings one in. The text is kept verbatim; normalisation and
triage (:mod:`xieshang.text`) run at once, and the clock starts from the day of receipt."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from xieshang.complaints import repository
from xieshang.complaints.records import change, compute_due
from xieshang.complaints.schemas import CUSTOMER_CHANNELS, ComplaintCreate
from xieshang.domain.complaint_states import Status
from xieshang.domain.errors import InvalidInput, NotFound
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.loans.service import require_loan
from xieshang.models.complaint import Complaint
from xieshang.models.user import Role
from xieshang.text import TriageResult, triage
from xieshang.text.rules import URGENCY_LEVELS

MAX_BACKDATING = timedelta(days=365)
"""How long before now a recorded complaint may say it was received."""


def file_complaint(ctx: Context, data: ComplaintCreate) -> Complaint:
    """A customer files their own complaint, or staff record one received by phone, visit, letter
    or a regulator's referral (one transaction)."""
    authorize(ctx, "complaints.create")
    if ctx.user is not None and ctx.user.role is Role.CUSTOMER:
        customer_id = _own(ctx, data)
        received_at = ctx.now()
    else:
        if data.customer_id is None:
            raise InvalidInput("customer_id", "is required when staff record a complaint")
        if data.channel == "import":
            raise InvalidInput("channel", "import is for `xieshang import complaints` only")
        customer_id = data.customer_id
        received_at = _received_at(ctx, data.received_at)
    complaint = intake(
        ctx,
        customer_id=customer_id,
        loan_id=data.loan_id,
        channel=data.channel,
        received_at=received_at,
        text=data.text,
    )
    ctx.session.commit()
    return complaint


def intake(
    ctx: Context,
    *,
    customer_id: int,
    loan_id: int | None,
    channel: str,
    received_at: datetime,
    text: str,
    external_ref: str | None = None,
) -> Complaint:
    """Register a complaint with its triage and clock (flush only: the caller commits)."""
    if repository.customer_by_id(ctx, customer_id) is None:
        raise NotFound("customer", customer_id)
    if loan_id is not None and require_loan(ctx, loan_id).customer_id != customer_id:
        raise InvalidInput("loan_id", f"loan {loan_id} is not a loan of customer {customer_id}")
    result = triage(text)
    complaint = Complaint(
        external_ref=external_ref,
        customer_id=customer_id,
        loan_id=loan_id,
        channel=channel,
        received_at=received_at,
        received_on=ctx.local(received_at).date(),
        recorded_by=ctx.user_id,
        created_at=ctx.now(),
        original_text=text,
        normalized_text=result.normalized_text,
        language=result.language,
        category=result.category,
        triage_scores=json.dumps({c: round(s, 4) for c, s in result.scores.items()}),
        urgency=result.urgency,
        urgency_rank=URGENCY_LEVELS.index(result.urgency),
        urgency_reasons=json.dumps(list(result.urgency_reasons), ensure_ascii=False),
        flags=json.dumps([f.name for f in result.flags]),
        sentiment=result.sentiment.label,
        suggested_group=result.group,
        root_causes="[]",
        status=Status.RECEIVED.value,
        assignee_group=result.group,
        extension="none",
        paused_days=0,
        version=1,
    )
    complaint.decision_due = compute_due(ctx, complaint)
    ctx.session.add(complaint)
    ctx.session.flush()
    _received(ctx, complaint, result)
    return complaint


def _received(ctx: Context, complaint: Complaint, result: TriageResult) -> None:
    """The complaint's first timeline event and audit row: how it came and how triage read it."""
    change(
        ctx,
        complaint,
        "receive",
        before={},
        after={
            "status": complaint.status,
            "channel": complaint.channel,
            "received_at": complaint.received_at.isoformat(),
            "category": result.category,
            "urgency": result.urgency,
            "flags": [f.name for f in result.flags],
            "decision_due": complaint.decision_due.isoformat(),
        },
        visible=True,
    )


def _own(ctx: Context, data: ComplaintCreate) -> int:
    assert ctx.user is not None
    own = ctx.user.customer_id
    if own is None:
        raise NotFound("customer", data.customer_id or "?")
    if data.customer_id is not None and data.customer_id != own:
        raise NotFound("customer", data.customer_id)
    if data.channel not in CUSTOMER_CHANNELS:
        raise InvalidInput("channel", "a customer files through app or web")
    if data.received_at is not None:
        raise InvalidInput("received_at", "is set by the bank when you file")
    return own


def _received_at(ctx: Context, given: datetime | None) -> datetime:
    now = ctx.now()
    if given is None:
        return now
    if given > now:
        raise InvalidInput("received_at", "is in the future")
    if given < now - MAX_BACKDATING:
        raise InvalidInput("received_at", f"is more than {MAX_BACKDATING.days} days ago")
    return given
