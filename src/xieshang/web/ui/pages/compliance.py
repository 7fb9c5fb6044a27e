"""Compliance: the policy, the audit chain, the portfolio and the complaint statistics export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from xieshang.audit.service import verify_chain
from xieshang.complaints import statistics as complaint_statistics
from xieshang.loans.portfolio import Row, portfolio
from xieshang.models.user import Role
from xieshang.negotiations.policy_review import policy_in_force, review_draft
from xieshang.web.ui.pages.common import (
    FormPage,
    Page,
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
def policy_page(request: Request, ctx: Page) -> HTMLResponse:
    return render(request, ctx, "policy.html", policy=policy_in_force(ctx), review=None, draft="")


@router.post("/app/policy/review", name="ui.policy.review")
def policy_review_page(
    request: Request,
    ctx: FormPage,
    draft: Annotated[str, Form(max_length=200_000)] = "",
) -> HTMLResponse:
    """Paste a draft policy: what it would change, and every problem that would refuse it."""
    review = review_draft(ctx, draft)
    return render(
        request, ctx, "policy.html", policy=policy_in_force(ctx), review=review, draft=draft
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
