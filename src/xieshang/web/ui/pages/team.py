"""The supervisor's team page."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse

from xieshang.complaints import service as complaint_service
from xieshang.domain.errors import InvalidInput
from xieshang.feedback.quality import quality_report
from xieshang.feedback.schemas import QualityReport
from xieshang.models.user import Role
from xieshang.negotiations import service as negotiations
from xieshang.policy.in_force import policy_in_force
from xieshang.web.routing import Router
from xieshang.web.ui.pages.common import (
    Page,
    problem,
    render,
)
from xieshang.web.ui.pages.period import DayText, day

router = Router(include_in_schema=False)


@router.get("/app/team", name="ui.team")
def team_page(
    request: Request,
    ctx: Page,
    start: Annotated[DayText, Query(alias="from")] = "",
    end: Annotated[DayText, Query(alias="to")] = "",
) -> HTMLResponse:
    """Supervisors: deadlines at risk, approvals waiting, and each person's quality and outcomes
    for a period (from/to, default the last 30 days)."""
    period = {"from": start, "to": end}
    quality: QualityReport | None = None
    try:
        quality = quality_report(ctx, day(start, "from"), day(end, "to"))
        error, status = None, 200
    except InvalidInput as refused:  # the form again, saying what is wrong; no figures
        error, status = problem(request, refused), 422
    soon = ctx.today() + timedelta(days=max(policy_in_force(ctx).complaints.reminder_days_before))
    at_risk = complaint_service.queue(ctx, due_by=soon, page_size=100)
    approver = ctx.user is not None and ctx.user.role is Role.SUPERVISOR
    waiting = negotiations.list_cases(ctx, awaiting=True, page_size=100).items if approver else []
    return render(
        request,
        ctx,
        "team.html",
        at_risk=at_risk.items,
        soon=soon,
        waiting=waiting,
        quality=quality,
        period=period,
        problem=error,
        status=status,
    )
