"""Compliance: the policy, the audit chain, the portfolio and the complaint statistics export."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from xieshang.audit.service import verify_chain
from xieshang.complaints import statistics as complaint_statistics
from xieshang.errors import InvalidInput
from xieshang.loans.portfolio import Row, portfolio
from xieshang.models.user import Role
from xieshang.negotiations.policy_review import policy_in_force, review_draft
from xieshang.web.ui.charts import bars, columns
from xieshang.web.ui.pages.common import (
    FormPage,
    Page,
    problem,
    render,
)
from xieshang.web.ui.pages.period import DayText, day

router = APIRouter(include_in_schema=False)


@router.get("/app/reports/complaints", name="ui.complaints.statistics")
def complaint_statistics_page(
    request: Request,
    ctx: Page,
    start: Annotated[DayText, Query(alias="from")] = "",
    end: Annotated[DayText, Query(alias="to")] = "",
) -> HTMLResponse:
    """The regulator's complaint statistics for a period (default: this month so far), each table
    with its chart, complaints received per week or month, and the period's XLSX and CSV."""
    period = {"from": start, "to": end}
    try:
        last = day(end, "to") or ctx.today()
        first = day(start, "from") or last.replace(day=1)
        if (last - first).days > MAX_DAYS:
            raise InvalidInput("from", "a report covers at most ten years")
        result = complaint_statistics.complaint_statistics(ctx, first, last)
    except InvalidInput as refused:  # the form again, saying what is wrong; no figures
        return render(
            request,
            ctx,
            "complaint_statistics.html",
            status=422,
            result=None,
            period=period,
            problem=problem(refused),
        )
    unit, series = complaint_statistics.received_series(result)
    return render(
        request,
        ctx,
        "complaint_statistics.html",
        result=result,
        period=period,
        problem=None,
        query=urlencode({"from": result.start.isoformat(), "to": result.end.isoformat()}),
        tables=_tables(result),
        on_time=[
            ("on_time", result.notified_on_time),
            ("late", result.notified - result.notified_on_time),
        ],
        days=complaint_statistics.decision_days_bands(result),
        extensions=[(k, result.extended[k]) for k in ("complex", "special")],
        reviews=[
            ("requested", result.reviews_requested),
            ("decided", result.reviews_decided),
            ("changed", result.reviews_changed),
            ("decided_on_time", result.reviews_on_time),
        ],
        unit=unit,
        series=series,
        bars=bars,
        columns=columns,
    )


MAX_DAYS = 3660
"""The export's own limit (complaints.statistics.report_file): ten years."""

TABLE_PREFIX = {
    "category": "category.",
    "channel": "channel.",
    "product": "product.",
    "status": "cstatus.",
    "root_cause": "rootcause.",
}
"""How each table's keys are named on the page (other keys are shown as they are)."""


def _tables(result: complaint_statistics.ComplaintStatistics) -> list[dict[str, object]]:
    return [
        {
            "name": name,
            "rows": sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])),
            "prefix": TABLE_PREFIX.get(name, ""),
        }
        for name, counts in result.tables().items()
    ]


@router.get("/app/reports/complaints.{file_format}", name="ui.complaints.report")
def complaints_report(
    request: Request,
    ctx: Page,
    file_format: str,
    start: Annotated[DayText, Query(alias="from")] = "",
    end: Annotated[DayText, Query(alias="to")] = "",
) -> Response:
    """The statistics of the period (default: this month so far) as XLSX or CSV."""
    report = complaint_statistics.report_file(ctx, day(start, "from"), day(end, "to"), file_format)
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
    return render(request, ctx, "portfolio.html", report=report, bars=bars, complaints=complaints)
