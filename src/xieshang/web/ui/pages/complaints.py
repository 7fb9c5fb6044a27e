"""Complaints: the customer files and follows them; staff acknowledge and answer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xieshang.complaints import intake
from xieshang.complaints import service as complaint_service
from xieshang.complaints import workflow as complaint_workflow
from xieshang.complaints.records import require_complaint
from xieshang.complaints.schemas import ComplaintCreate, NoteIn
from xieshang.domain.conduct import lint_message
from xieshang.errors import XieshangError
from xieshang.models.user import Role
from xieshang.policy_store.in_force import policy_in_force
from xieshang.web.ui.pages.common import (
    FormPage,
    Page,
    problem,
    render,
)

router = APIRouter(include_in_schema=False)


@router.get("/app/complaints", name="ui.complaints")
def complaints_page(request: Request, ctx: Page) -> Response:
    assert ctx.user is not None
    if ctx.user.role is not Role.CUSTOMER:
        return RedirectResponse("/app/complaints/queue", status_code=303)
    mine = complaint_service.list_complaints(ctx, page_size=50)
    about = request.query_params.get("about")
    loan_no = request.query_params.get("loan", "")[:32]
    start = {
        "charge": f"贷款 {loan_no} 的收费有误：",
        "service": f"关于贷款 {loan_no} 的服务问题：",
    }
    text = start.get(about or "", "")
    return render(request, ctx, "complaints.html", complaints=mine.items, text=text, problem=None)


@router.post("/app/complaints", name="ui.complaints.file")
def file_complaint_page(
    request: Request,
    ctx: FormPage,
    text: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    try:
        complaint = intake.file_complaint(ctx, ComplaintCreate(text=text, channel="web"))
    except (XieshangError, ValueError) as error:
        mine = complaint_service.list_complaints(ctx, page_size=50)
        return render(
            request,
            ctx,
            "complaints.html",
            complaints=mine.items,
            text=text,
            problem=problem(error),
        )
    return RedirectResponse(f"/app/complaints/{complaint.id}", status_code=303)


@router.get("/app/complaints/queue", name="ui.complaints.queue")
def complaint_queue_page(request: Request, ctx: Page) -> HTMLResponse:
    waiting = complaint_service.queue(ctx, page_size=100)
    return render(request, ctx, "complaint_queue.html", complaints=waiting.items)


@router.get("/app/complaints/{complaint_id}", name="ui.complaint")
def complaint_page(request: Request, ctx: Page, complaint_id: int) -> HTMLResponse:
    return _complaint(request, ctx, complaint_id)


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
    findings = lint_message(note, policy_in_force(ctx).conduct.lint)
    if findings:
        return _complaint(request, ctx, complaint_id, reply=note, findings=findings)
    try:
        complaint_workflow.add_note(ctx, complaint_id, NoteIn(note=note, customer_visible=True))
    except (XieshangError, ValueError) as error:
        return _complaint(request, ctx, complaint_id, reply=note, problem=problem(error))
    return RedirectResponse(f"/app/complaints/{complaint_id}", status_code=303)


def _complaint(request: Request, ctx: Page, complaint_id: int, **extra: Any) -> HTMLResponse:
    complaint = complaint_service.view(ctx, require_complaint(ctx, complaint_id))
    values = {"reply": "", "findings": (), "problem": None} | extra
    return render(request, ctx, "complaint.html", complaint=complaint, **values)
