"""``/api/v1/complaints``: file and follow complaints; handle, decide and review them; statistics."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import Body, Path, Query, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from xieshang.complaints import (
    attachments,
    decisions,
    intake,
    reads,
    service,
    statistics,
    workflow,
)
from xieshang.complaints.schemas import (
    AssignIn,
    AttachmentRead,
    ClassifyIn,
    ComplaintCreate,
    ComplaintPage,
    ComplaintRead,
    DecideIn,
    ExtendIn,
    NewFactsIn,
    NoteIn,
    NotifyIn,
    PauseIn,
    ReviewDecisionIn,
    ReviewRequestIn,
    StepIn,
    TimelineRead,
)
from xieshang.domain.complaint_states import Status
from xieshang.web.deps import UserContext
from xieshang.web.routing import Router

router = Router(prefix="/complaints", tags=["complaints"])
Id = Annotated[int, Path(ge=1, le=2**62)]
View = ComplaintRead | TimelineRead
"""Staff get the whole record; a customer their timeline."""
Step = Annotated[StepIn | None, Body()]
"""A step's optional note: the body may be left out."""


def _note(step: StepIn | None) -> str:
    return step.note if step is not None else ""


@router.post("", name="complaints.create", status_code=201)
def file_complaint(ctx: UserContext, data: ComplaintCreate) -> View:
    """A customer files a complaint (app, web); staff record one received by phone, visit, letter
    or a regulator's referral, with the real time of receipt."""
    return reads.view(ctx, intake.file_complaint(ctx, data))


@router.get("", name="complaints.list")
def list_complaints(
    ctx: UserContext,
    status: Status | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ComplaintPage:
    """Complaints, newest first (a customer sees their own)."""
    return service.list_complaints(
        ctx, status=status.value if status else None, page=page, page_size=page_size
    )


@router.get("/queue", name="complaints.queue")
def queue(
    ctx: UserContext,
    group: Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9_]{1,47}$")] = None,
    mine: bool = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ComplaintPage:
    """Complaints waiting for an answer: nearest deadline first, then the riskiest."""
    return service.queue(ctx, group=group, mine=mine, page=page, page_size=page_size)


@router.get(
    "/statistics",
    name="complaints.statistics",
    response_class=Response,
    responses={
        200: {
            "content": {statistics.XLSX: {}, statistics.CSV: {}},
            "description": "the report as a file",
        }
    },
)
def report(
    ctx: UserContext,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
    file_format: Annotated[Literal["xlsx", "csv"], Query(alias="format")] = "xlsx",
) -> Response:
    """The regulator's statistics for complaints received from ``from`` to ``to`` (both included;
    default: this month so far)."""
    report = statistics.report_file(ctx, start, end, file_format)
    return Response(
        report.content,
        media_type=report.media_type,
        headers={"Content-Disposition": f'attachment; filename="{report.filename}"'},
    )


@router.get("/{complaint_id}", name="complaints.get")
def get_complaint(ctx: UserContext, complaint_id: Id) -> ComplaintRead:
    """The whole record, for staff."""
    return service.get_complaint(ctx, complaint_id)


@router.get("/{complaint_id}/timeline", name="complaints.timeline")
def timeline(ctx: UserContext, complaint_id: Id) -> TimelineRead:
    """What the customer sees: what happened, who holds it, when the decision is due."""
    return service.timeline(ctx, complaint_id)


@router.post("/{complaint_id}/acknowledge", name="complaints.acknowledge")
def acknowledge(ctx: UserContext, complaint_id: Id, step: Step = None) -> ComplaintRead:
    return reads.full_read(ctx, workflow.acknowledge(ctx, complaint_id, _note(step)))


@router.post("/{complaint_id}/investigate", name="complaints.investigate")
def investigate(ctx: UserContext, complaint_id: Id, step: Step = None) -> ComplaintRead:
    return reads.full_read(ctx, workflow.investigate(ctx, complaint_id, _note(step)))


@router.post("/{complaint_id}/assign", name="complaints.assign")
def assign(ctx: UserContext, complaint_id: Id, data: AssignIn) -> ComplaintRead:
    return reads.full_read(ctx, workflow.assign(ctx, complaint_id, data))


@router.post("/{complaint_id}/notes", name="complaints.note")
def add_note(ctx: UserContext, complaint_id: Id, data: NoteIn) -> ComplaintRead:
    """A note on the timeline: internal unless ``customer_visible``."""
    return reads.full_read(ctx, workflow.add_note(ctx, complaint_id, data))


@router.post("/{complaint_id}/classify", name="complaints.classify")
def classify(ctx: UserContext, complaint_id: Id, data: ClassifyIn) -> ComplaintRead:
    """Confirm the category and tag root causes."""
    return reads.full_read(ctx, workflow.classify(ctx, complaint_id, data))


@router.post("/{complaint_id}/extend", name="complaints.extend")
def extend(ctx: UserContext, complaint_id: Id, data: ExtendIn) -> ComplaintRead:
    """complex: 30 days, with the reason; special: 60 days, a supervisor's approval. The customer
    is told."""
    return reads.full_read(ctx, workflow.extend(ctx, complaint_id, data))


@router.post("/{complaint_id}/pause", name="complaints.pause")
def pause(ctx: UserContext, complaint_id: Id, data: PauseIn) -> ComplaintRead:
    """Stop the clock for an outside assessment or mediation."""
    return reads.full_read(ctx, workflow.pause(ctx, complaint_id, data))


@router.post("/{complaint_id}/resume", name="complaints.resume")
def resume(ctx: UserContext, complaint_id: Id, step: Step = None) -> ComplaintRead:
    return reads.full_read(ctx, workflow.resume(ctx, complaint_id, _note(step)))


@router.post("/{complaint_id}/new-facts", name="complaints.new_facts")
def new_facts(ctx: UserContext, complaint_id: Id, data: NewFactsIn) -> View:
    """New facts or reasons: the clock restarts from today."""
    return reads.view(ctx, workflow.new_facts(ctx, complaint_id, data.text))


@router.post("/{complaint_id}/decide", name="complaints.decide")
def decide(ctx: UserContext, complaint_id: Id, data: DecideIn) -> ComplaintRead:
    """Decide, with the facts and the basis: the letters (zh, en) are written and stored."""
    return reads.full_read(ctx, decisions.decide(ctx, complaint_id, data))


@router.post("/{complaint_id}/notify", name="complaints.notify")
def notify(ctx: UserContext, complaint_id: Id, data: NotifyIn) -> ComplaintRead:
    """Send the decision letter; the notice's id, channel and time are kept as proof."""
    return reads.full_read(ctx, decisions.send_decision(ctx, complaint_id, data))


@router.post("/{complaint_id}/review-request", name="complaints.review_request")
def request_review(ctx: UserContext, complaint_id: Id, data: ReviewRequestIn) -> View:
    """Ask for a review (核查) of the decision, within its period."""
    return reads.view(ctx, decisions.request_review(ctx, complaint_id, data))


@router.post("/{complaint_id}/review-decision", name="complaints.review_decide")
def decide_review(ctx: UserContext, complaint_id: Id, data: ReviewDecisionIn) -> ComplaintRead:
    """A supervisor who did not decide the complaint decides the review; the letter is sent."""
    return reads.full_read(ctx, decisions.decide_review(ctx, complaint_id, data))


@router.post("/{complaint_id}/close", name="complaints.close")
def close(ctx: UserContext, complaint_id: Id, step: Step = None) -> ComplaintRead:
    return reads.full_read(ctx, workflow.close(ctx, complaint_id, _note(step)))


@router.post("/{complaint_id}/withdraw", name="complaints.withdraw")
def withdraw(ctx: UserContext, complaint_id: Id, step: Step = None) -> View:
    return reads.view(ctx, workflow.withdraw(ctx, complaint_id, _note(step)))


@router.post("/{complaint_id}/attachments", name="complaints.attachments.create", status_code=201)
async def upload(ctx: UserContext, complaint_id: Id, file: UploadFile) -> AttachmentRead:
    """Add a PDF, PNG, JPEG or plain-text file (at most 5 MiB); its type is judged by its bytes."""
    content = await file.read(attachments.MAX_BYTES + 1)
    row = await run_in_threadpool(
        attachments.add_attachment, ctx, complaint_id, file.filename, content
    )
    return reads.attachment_read(ctx, row)


@router.get(
    "/{complaint_id}/attachments/{attachment_id}",
    name="complaints.attachments.get",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}, "description": "the file"}},
)
def download(ctx: UserContext, complaint_id: Id, attachment_id: Id) -> Response:
    """The file as stored, with the type sniffed at upload, always as a download."""
    row = attachments.get_attachment(ctx, complaint_id, attachment_id)
    return Response(
        row.content,
        media_type=row.media_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.filename)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )
