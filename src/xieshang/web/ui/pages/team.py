"""The supervisor's team page."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from xieshang.audit.service import OUTCOMES, activity_by_person
from xieshang.complaints import service as complaint_service
from xieshang.models.user import Role
from xieshang.negotiations import service as negotiations
from xieshang.policy_store.in_force import policy_in_force
from xieshang.web.ui.pages.common import (
    Page,
    render,
)

router = APIRouter(include_in_schema=False)


@router.get("/app/team", name="ui.team")
def team_page(request: Request, ctx: Page) -> HTMLResponse:
    """Supervisors: deadlines at risk and what each person did in the last 30 days."""
    soon = ctx.today() + timedelta(days=max(policy_in_force(ctx).complaints.reminder_days_before))
    at_risk = complaint_service.queue(ctx, due_by=soon, page_size=100)
    approver = ctx.user is not None and ctx.user.role is Role.SUPERVISOR
    waiting = negotiations.list_cases(ctx, awaiting=True, page_size=100).items if approver else []
    outcomes = activity_by_person(ctx, ctx.now() - timedelta(days=30))
    return render(
        request,
        ctx,
        "team.html",
        at_risk=at_risk.items,
        soon=soon,
        waiting=waiting,
        outcomes=outcomes,
        columns=list(OUTCOMES.values()),
    )
