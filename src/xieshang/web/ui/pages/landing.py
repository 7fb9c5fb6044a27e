"""The landing page: what xieshang is, where each kind of user starts, and (in the demo) the logins."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from xieshang.demo.seed import CUSTOMER_LOGINS, DEMO_PASSWORD, STAFF_LOGINS
from xieshang.models.user import Role
from xieshang.web.deps import app_state
from xieshang.web.routing import Router
from xieshang.web.ui.pages.common import render

router = Router(include_in_schema=False)

DEMO_LOGINS: tuple[tuple[str, Role], ...] = (
    *((name, Role.CUSTOMER) for name in CUSTOMER_LOGINS),
    *((name, role) for name, role, _ in STAFF_LOGINS),
)
STARTS = (Role.CUSTOMER, Role.AGENT, Role.SUPERVISOR, Role.COMPLIANCE, Role.ADMIN)
"""The order the landing page introduces the kinds of user in."""


@router.get("/", name="landing")
def landing(request: Request) -> HTMLResponse:
    demo = app_state(request).settings.demo
    return render(
        request,
        None,
        "landing.html",
        starts=[role.value for role in STARTS],
        logins=[(name, role.value) for name, role in DEMO_LOGINS] if demo else [],
        password=DEMO_PASSWORD if demo else None,
    )
