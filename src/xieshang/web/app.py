"""The application factory: ``create_app(settings)`` builds a fresh app; nothing happens at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from xieshang import __version__
from xieshang.kit.access import OPERATIONS, PUBLIC_OPERATIONS
from xieshang.kit.config import Settings
from xieshang.kit.context import Clock, SystemClock, make_cipher
from xieshang.kit.db import POOL_SIZE, READ_ONLY, make_engine, session_factory
from xieshang.web import errors, security
from xieshang.web.api import (
    agreements,
    complaints,
    conduct,
    contacts,
    customers,
    jobs,
    loans,
    negotiations,
    notifications,
    policy,
    reports,
    surveys,
    system,
    users,
)
from xieshang.web.deps import AppState
from xieshang.web.ui import pages

STATIC = Path(pages.__file__).parents[1] / "static"


THREADS = POOL_SIZE
"""Worker threads for sync routes: no more than the connections in the pool, so no worker ever
waits for a connection (docs/decisions/0003-one-writer-per-loan.md)."""
POOL_WAIT_SECONDS = 0.5
"""A request that gets no connection in this time is answered 503 with Retry-After, not held."""
WRITE_WAIT_SECONDS = 10.0
"""SQLite: how long a write may queue for the one writer's slot before 503 with Retry-After."""
LOCK_WAIT_MS = 5000
"""PostgreSQL: how long a statement may wait for a row lock (another writer of the same loan)."""


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
    yield


def create_app(settings: Settings, clock: Clock | None = None) -> FastAPI:
    engine = make_engine(
        settings.database_url,
        pool_timeout=POOL_WAIT_SECONDS,
        write_wait=WRITE_WAIT_SECONDS,
        lock_timeout_ms=LOCK_WAIT_MS,
    )
    app = FastAPI(
        lifespan=_lifespan,
        title="xieshang 协商 API",
        version=__version__,
        description="Lawful, explained negotiation and complaint handling. Money is a decimal string in "
        "yuan; times are ISO 8601 with offset; errors are application/problem+json.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.xieshang = AppState(
        settings,
        engine,
        session_factory(engine),
        session_factory(engine.execution_options(**{READ_ONLY: True})),
        make_cipher(settings),
        clock or SystemClock(),
    )
    errors.install(app)
    security.install(app)
    check_every_route_has_a_rule()
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    return app


API_PREFIX = "/api/v1"
ROUTERS: tuple[APIRouter, ...] = (
    system.router,
    customers.router,
    loans.router,
    negotiations.router,
    agreements.router,
    complaints.router,
    jobs.router,
    reports.router,
    conduct.router,
    contacts.router,
    notifications.router,
    surveys.router,
    users.router,
    policy.router,
)


def api_routes(routers: tuple[APIRouter, ...] = ROUTERS) -> list[tuple[str, APIRoute]]:
    """Every API route with its full path."""
    return [
        (API_PREFIX + route.path, route)
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute)
    ]


def check_every_route_has_a_rule(routers: tuple[APIRouter, ...] = ROUTERS) -> None:
    """Refuse to start with a route that no access rule covers."""
    for path, route in api_routes(routers):
        if route.name not in OPERATIONS and route.name not in PUBLIC_OPERATIONS:
            raise RuntimeError(f"route {path} ({route.name}) has no rule in xieshang.kit.access")
