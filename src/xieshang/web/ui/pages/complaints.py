"""Complaints: the customer files and follows them; staff acknowledge and answer."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xieshang.complaints import intake, replies
from xieshang.complaints import service as complaint_service
from xieshang.complaints import workflow as complaint_workflow
from xieshang.complaints.schemas import ComplaintCreate, ComplaintRead, NoteIn
from xieshang.contacts.lint import check_message
from xieshang.domain.errors import XieshangError
from xieshang.models.user import Role
from xieshang.negotiations import service as negotiations
from xieshang.web.routing import Router
from xieshang.web.ui import i18n
from xieshang.web.ui.pages.common import (
    FormPage,
    Page,
    problem,
    problem_field,
    render,
    yuan,
)
from xieshang.web.ui.session import language

router = Router(include_in_schema=False)


@router.get("/app/complaints", name="ui.complaints")
def complaints_page(request: Request, ctx: Page) -> Response:
    assert ctx.user is not None
    if ctx.user.role is not Role.CUSTOMER:
        return RedirectResponse("/app/complaints/queue", status_code=303)
    mine = complaint_service.list_complaints(ctx, page_size=50)
    about = request.query_params.get("about", "")
    loan_no = request.query_params.get("loan", "")[:32]
    case = "".join(c for c in request.query_params.get("case", "")[:12] if c.isdigit())
    loan_id, refund = None, ""
    if about == "dispute" and case:  # the case says which loan, and what the engine found
        disputed = negotiations.get_case(ctx, int(case))
        loan_id = disputed.loan_id
        finding = disputed.evaluation.dispute if disputed.evaluation else None
        if finding is not None and Decimal(finding.refund_due) > 0:
            about, refund = "refund", yuan(finding.refund_due)
    text = ""
    if about in STARTS:  # a start in the customer's language, naming what it is about
        start = i18n.translate(STARTS[about], language(request))
        text = start.format(loan=loan_no, case=case, refund=refund)
    return render(
        request,
        ctx,
        "complaints.html",
        complaints=mine.items,
        text=text,
        problem=None,
        bad="",
        about=about if about in STARTS else "",
        loan_id=loan_id,
    )


STARTS = {
    "charge": "complaint_start.charge",
    "service": "complaint_start.service",
    "dispute": "complaint_start.dispute",
    "refund": "complaint_start.refund",
    "application": "complaint_start.application",
}


@router.post("/app/complaints", name="ui.complaints.file")
def file_complaint_page(
    request: Request,
    ctx: FormPage,
    text: Annotated[str, Form(max_length=20_000)] = "",
    loan_id: Annotated[int | None, Form(ge=1, le=2**62)] = None,
) -> Response:
    """File a complaint (about a loan, when it came from one: a refund claim, say)."""
    try:
        complaint = intake.file_complaint(
            ctx, ComplaintCreate(text=text, channel="web", loan_id=loan_id)
        )
    except (XieshangError, ValueError) as error:
        mine = complaint_service.list_complaints(ctx, page_size=50)
        return render(
            request,
            ctx,
            "complaints.html",
            complaints=mine.items,
            text=text,
            problem=problem(request, error),
            bad=problem_field(error) or "text",
            about="",
            loan_id=loan_id,
        )
    return RedirectResponse(f"/app/complaints/{complaint.id}", status_code=303)


@router.get("/app/complaints/queue", name="ui.complaints.queue")
def complaint_queue_page(request: Request, ctx: Page) -> HTMLResponse:
    waiting = complaint_service.queue(ctx, page_size=100)
    return render(request, ctx, "complaint_queue.html", complaints=waiting.items)


@router.get("/app/complaints/{complaint_id}", name="ui.complaint")
def complaint_page(
    request: Request, ctx: Page, complaint_id: int, template: str = ""
) -> HTMLResponse:
    """The complaint; ``template`` (the picker without JavaScript) fills the reply box."""
    if not template:
        return _complaint(request, ctx, complaint_id)
    try:
        reply = replies.reply_template(ctx, complaint_id, template[:32])
    except (XieshangError, ValueError) as error:
        return _complaint(
            request, ctx, complaint_id, problem=problem(request, error), template=template
        )
    return _complaint(request, ctx, complaint_id, reply=reply, template=template)


@router.get("/app/complaints/{complaint_id}/reply-template", name="ui.complaint.template")
def reply_template_fragment(
    request: Request, ctx: Page, complaint_id: int, template: str = ""
) -> HTMLResponse:
    """The reply box filled with a template (an htmx fragment; stores nothing)."""
    reply = replies.reply_template(ctx, complaint_id, template[:32]) if template else ""
    return render(request, ctx, "_reply_box.html", reply=reply, findings=(), problem=None)


@router.post("/app/complaints/{complaint_id}/acknowledge", name="ui.complaint.acknowledge")
def acknowledge_page(request: Request, ctx: FormPage, complaint_id: int) -> Response:
    complaint_workflow.acknowledge(ctx, complaint_id, "")
    return RedirectResponse(f"/app/complaints/{complaint_id}", status_code=303)


@router.post("/app/complaints/{complaint_id}/reply", name="ui.complaint.reply")
def reply_page(
    request: Request,
    ctx: FormPage,
    complaint_id: int,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """An answer the customer will read: the message linter checks it first."""
    findings = check_message(ctx, note).findings if note.strip() else []
    if findings:
        return _complaint(request, ctx, complaint_id, reply=note, findings=findings)
    try:
        complaint_workflow.add_note(ctx, complaint_id, NoteIn(note=note, customer_visible=True))
    except (XieshangError, ValueError) as error:
        return _complaint(request, ctx, complaint_id, reply=note, problem=problem(request, error))
    return RedirectResponse(f"/app/complaints/{complaint_id}", status_code=303)


def _complaint(request: Request, ctx: Page, complaint_id: int, **extra: Any) -> HTMLResponse:
    complaint = complaint_service.complaint_view(ctx, complaint_id)
    values = {
        "reply": "",
        "findings": (),
        "problem": None,
        "template": "",
        "stages": replies.STAGES,
        "reply_language": replies.reply_language(ctx, complaint.customer_id)
        if isinstance(complaint, ComplaintRead)  # the whole record: staff
        else None,
    } | extra
    return render(request, ctx, "complaint.html", complaint=complaint, **values)
