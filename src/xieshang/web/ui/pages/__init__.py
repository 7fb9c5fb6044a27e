"""The web application's pages, one module per area. Each route reads the request, calls a service,
renders a template; that is all."""

from __future__ import annotations

from xieshang.web.routing import Router
from xieshang.web.ui.pages import (
    account,
    admin,
    cases,
    complaints,
    compliance,
    contacts,
    customer,
    customers,
    landing,
    team,
)
from xieshang.web.ui.pages.common import LoginRequired, error_page, is_page

router = Router(include_in_schema=False)
for area in (
    landing,
    account,
    customer,
    cases,
    contacts,
    customers,
    complaints,
    team,
    compliance,
    admin,
):
    router.include_router(area.router)

__all__ = ["LoginRequired", "error_page", "is_page", "router"]
