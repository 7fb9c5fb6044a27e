"""Compliance: the policy, the audit chain, the portfolio and the complaint statistics export."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xieshang.audit.service import verify_chain
from xieshang.complaints import statistics as complaint_statistics
from xieshang.context import Context
from xieshang.errors import Conflict
from xieshang.loans.portfolio import Row, portfolio
from xieshang.models.user import Role
from xieshang.negotiations.policy_review import compare, policy_overview, review_draft
from xieshang.policy_store import service as policy_versions
from xieshang.policy_store.schemas import PolicyDecision, PolicyProposal
from xieshang.web.ui.pages.common import (
    FormPage,
    Page,
    problem,
    render,
)

router = APIRouter(include_in_schema=False)


@router.get("/app/reports/complaints.{file_format}", name="ui.complaints.report")
def complaints_report(request: Request, ctx: Page, file_format: str) -> Response:
    report = complaint_statistics.report_file(ctx, None, None, file_format)
    return Response(
        report.content,
        media_type=report.media_type,
        headers={"Content-Disposition": f'attachment; filename="{report.filename}"'},
    )


@router.get("/app/policy", name="ui.policy")
def policy_page(
    request: Request,
    ctx: Page,
    old: Annotated[str | None, Query(alias="from", max_length=32)] = None,
    new: Annotated[str | None, Query(alias="to", max_length=32)] = None,
) -> HTMLResponse:
    """The policy in force, its versions, pending proposals, and the difference between two."""
    return _policy(request, ctx, old=old, new=new)


@router.post("/app/policy/review", name="ui.policy.review")
def policy_review_page(
    request: Request,
    ctx: FormPage,
    draft: Annotated[str, Form(max_length=200_000)] = "",
) -> HTMLResponse:
    """Paste a draft policy: what it would change, and every problem that would refuse it."""
    return _policy(request, ctx, review=review_draft(ctx, draft), draft=draft)


@router.post("/app/policy/propose", name="ui.policy.propose")
def policy_propose_page(
    request: Request,
    ctx: FormPage,
    draft: Annotated[str, Form(max_length=200_000)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Propose the reviewed draft; a second person decides it."""
    try:
        proposed = policy_versions.propose(ctx, PolicyProposal(text=draft, note=note))
    except (Conflict, ValueError) as error:  # refusals by role go to the error page (403)
        return _policy(
            request,
            ctx,
            review=review_draft(ctx, draft),
            draft=draft,
            note=note,
            problem=problem(error),
            status=422,
        )
    return RedirectResponse(f"/app/policy#version-{proposed.id}", status_code=303)


@router.post("/app/policy/versions/{version_id}/{decision}", name="ui.policy.decide")
def policy_decide_page(
    request: Request,
    ctx: FormPage,
    version_id: int,
    decision: Literal["approve", "reject"],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Approve or reject a proposal (not your own), with a note."""
    decide = policy_versions.approve if decision == "approve" else policy_versions.reject
    try:
        decide(ctx, version_id, PolicyDecision(note=note))
    except (Conflict, ValueError) as error:
        return _policy(
            request,
            ctx,
            decision_problem=(version_id, problem(error)),
            status=409 if isinstance(error, Conflict) else 422,
        )
    return RedirectResponse(f"/app/policy#version-{version_id}", status_code=303)


def _policy(
    request: Request,
    ctx: Context,
    *,
    old: str | None = None,
    new: str | None = None,
    status: int = 200,
    **extra: Any,
) -> HTMLResponse:
    overview = policy_overview(ctx)
    if old is None or new is None:
        old, new = overview.default_comparison
    comparison = compare(ctx, old, new) if old and new else None
    values: dict[str, Any] = {
        "review": None,
        "draft": "",
        "note": "",
        "problem": None,
        "decision_problem": None,
    } | extra
    return render(
        request,
        ctx,
        "policy.html",
        status=status,
        policy=overview,
        comparison=comparison,
        may_propose=policy_versions.may_propose(ctx),
        **values,
    )


@router.get("/app/audit", name="ui.audit")
def audit_page(request: Request, ctx: Page) -> HTMLResponse:
    return render(request, ctx, "audit.html", report=verify_chain(ctx))


@router.get("/app/portfolio", name="ui.portfolio")
def portfolio_page(request: Request, ctx: Page) -> HTMLResponse:
    report = portfolio(ctx)
    complaints: list[Row] = []
    assert ctx.user is not None
    if ctx.user.role in (Role.COMPLIANCE, Role.ADMIN):
        today = ctx.today()
        month = complaint_statistics.complaint_statistics(ctx, today.replace(day=1), today)
        complaints = [
            Row(key=category, loans=count, principal="0")
            for category, count in month.by_category.most_common()
        ]
    return render(request, ctx, "portfolio.html", report=report, bars=_bars, complaints=complaints)


def _bars(rows: list[Any], width: int = 320) -> list[dict[str, Any]]:
    """Bar lengths for a server-drawn chart (the table beside it carries the same figures)."""
    top = max((r.loans for r in rows), default=0) or 1
    return [
        {"key": r.key, "loans": r.loans, "y": i * 26, "length": round(width * r.loans / top)}
        for i, r in enumerate(rows)
    ]
