"""The application factory: ``create_app(settings)`` builds a fresh app; nothing happens at import."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute

from xieshang import __version__
from xieshang.auth.access import OPERATIONS, PUBLIC_OPERATIONS
from xieshang.config import Settings
from xieshang.context import Clock, SystemClock, make_cipher
from xieshang.db import make_engine, session_factory
from xieshang.web import errors
from xieshang.web.api import customers, loans, system
from xieshang.web.deps import AppState
from xieshang.web.landing import landing_page


def create_app(settings: Settings, clock: Clock | None = None) -> FastAPI:
    engine = make_engine(settings.database_url)
    app = FastAPI(
        title="xieshang 协商 API",
        version=__version__,
        description="Lawful, explained negotiation and complaint handling. Money is a decimal string in "
        "yuan; times are ISO 8601 with offset; errors are application/problem+json.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.xieshang = AppState(
        settings, engine, session_factory(engine), make_cipher(settings), clock or SystemClock()
    )
    errors.install(app)
    for module in (system, customers, loans):
        app.include_router(module.router, prefix="/api/v1")

    @app.get("/", name="landing", include_in_schema=False, response_class=HTMLResponse)
    def landing() -> str:
        return landing_page(settings)

    check_every_route_has_a_rule(app)
    return app


def check_every_route_has_a_rule(app: FastAPI) -> None:
    """Refuse to start with a route that no access rule covers."""
    for route in app.routes:
        if (
            isinstance(route, APIRoute)
            and route.name not in OPERATIONS
            and route.name not in PUBLIC_OPERATIONS
        ):
            raise RuntimeError(
                f"route {route.path} ({route.name}) has no rule in xieshang.auth.access"
            )
