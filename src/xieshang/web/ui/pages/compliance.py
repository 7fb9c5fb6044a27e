"""Compliance: the policy, the audit chain, the portfolio and the complaint statistics export."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xieshang.audit.service import verify_chain
from xieshang.complaints import statistics as complaint_statistics
from xieshang.domain.errors import Conflict, InvalidInput
from xieshang.kit.context import Context
from xieshang.loans.portfolio import portfolio
from xieshang.loans.schemas import Row
from xieshang.models.user import Role
from xieshang.policy import service as policy_versions
from xieshang.policy.review import compare, policy_overview, review_draft
from xieshang.policy.schemas import PolicyDecision, PolicyProposal
from xieshang.web.routing import Router
from xieshang.web.ui.charts import bars, columns
from xieshang.web.ui.pages.common import (
    FormPage,
    Page,
    problem,
    render,
)
from xieshang.web.ui.pages.period import DayText, day

router = Router(include_in_schema=False)


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
            problem=problem(request, refused),
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
            problem=problem(request, error),
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
            decision_problem=(version_id, problem(request, error)),
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
    return render(request, ctx, "portfolio.html", report=report, bars=bars, complaints=complaints)
