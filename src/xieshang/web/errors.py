"""The one place where domain errors become HTTP: RFC 9457 problem JSON with a stable ``type``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from xieshang.db import Busy
from xieshang.errors import (
    AlreadyExists,
    Conflict,
    IdempotencyConflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
    VersionConflict,
    XieshangError,
)
from xieshang.web.ui import pages

PROBLEM = "application/problem+json"
BASE = "https://xieshang.dev/problems/"

# (status, type slug, title) for each error, most specific first.
_MAP: list[tuple[type[XieshangError], int, str, str]] = [
    (InvalidInput, 422, "invalid-input", "The request has an invalid value"),
    (NotFound, 404, "not-found", "Not found"),
    (NotAuthenticated, 401, "not-authenticated", "Authentication required"),
    (PermissionDenied, 403, "forbidden", "Not allowed for this role"),
    (TooManyAttempts, 429, "too-many-attempts", "Too many failed logins"),
    (VersionConflict, 412, "version-conflict", "The object changed since you read it"),
    (
        IdempotencyConflict,
        409,
        "idempotency-conflict",
        "Idempotency-Key reused with a different request",
    ),
    (AlreadyExists, 409, "already-exists", "Already exists"),
    (Conflict, 409, "conflict", "Conflict"),
]


def problem(status: int, slug: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": BASE + slug, "title": title, "status": status, "detail": detail, **extra}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(XieshangError)
    async def _domain(request: Request, error: XieshangError) -> Response:
        for cls, status, slug, title in _MAP:
            if isinstance(error, cls):
                if pages.is_page(request):
                    return pages.error_page(request, status, str(error))
                extra: dict[str, Any] = {}
                if isinstance(error, InvalidInput):
                    extra["field"] = error.field
                    many = getattr(error, "problems", None)  # a policy document lists every one
                    if isinstance(many, list):
                        extra["problems"] = [{"field": f, "problem": p} for f, p in many]
                if isinstance(getattr(error, "rule", None), str):
                    extra["rule"] = getattr(error, "rule")  # noqa: B009  (a refusal names its rule)
                response = problem(status, slug, title, str(error), **extra)
                if isinstance(error, TooManyAttempts):
                    response.headers["Retry-After"] = str(error.retry_after)
                return response
        return problem(400, "bad-request", "Bad request", str(error))

    @app.exception_handler(pages.LoginRequired)
    async def _login(request: Request, error: pages.LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(error.next_path)}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> Response:
        errors = error.errors()
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        field = _field(first)
        if pages.is_page(request):
            return pages.error_page(request, 422, error)  # said through the catalogues
        return problem(
            422,
            "invalid-input",
            "The request has an invalid value",
            f"{field}: {_message(first)}",
            field=field,
            errors=[{"field": _field(e), "message": _message(e)} for e in errors[:20]],
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        slug = {404: "not-found", 405: "method-not-allowed", 401: "not-authenticated"}.get(
            error.status_code, "http-error"
        )
        return problem(error.status_code, slug, str(error.detail), str(error.detail))

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, error: StaleDataError) -> Response:
        """Another request changed the same object between our read and our write."""
        detail = (
            "another request changed this at the same moment; nothing was changed, read it again"
        )
        if pages.is_page(request):
            return pages.error_page(request, 409, detail)
        return problem(409, "conflict", "Conflict", detail)

    @app.exception_handler(Busy)
    @app.exception_handler(sqlalchemy.exc.TimeoutError)
    @app.exception_handler(sqlalchemy.exc.OperationalError)
    async def _busy(request: Request, error: Exception) -> Response:
        """No connection came free in time, SQLite's one writer's slot did not, or a row lock
        (another writer of the same loan) was held too long: the request changed nothing, and the
        client may simply retry."""
        if isinstance(error, sqlalchemy.exc.OperationalError) and not _contention(error):
            return await _unexpected(request, error)
        detail = "the service is busy; nothing was changed, try again shortly"
        response: Response
        if pages.is_page(request):
            response = pages.error_page(request, 503, detail)
        else:
            response = problem(503, "busy", "Busy", detail)
        response.headers["Retry-After"] = "1"
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        return problem(
            500,
            "internal-error",
            "Internal error",
            "an unexpected error occurred; it has been logged",
        )


_CONTENTION = frozenset({"55P03", "40P01", "40001"})
"""PostgreSQL's lock_not_available (lock_timeout), deadlock_detected, serialization_failure."""


def _contention(error: sqlalchemy.exc.OperationalError) -> bool:
    state = getattr(error.orig, "sqlstate", None)
    return state in _CONTENTION or "database is locked" in str(error)


def _field(error: Mapping[str, Any]) -> str:
    """The input at fault as a client names it: ``amount``, ``query.page``, ``header.if-match``, or
    ``body`` for the body as a whole (malformed JSON, an array where an object belongs)."""
    if error.get("type") == "json_invalid":  # its loc is ("body", character offset)
        return "body"
    return ".".join(str(part) for part in error.get("loc", ()) if part != "body") or "body"


def _message(error: Mapping[str, Any]) -> str:
    message = str(error.get("msg", "invalid value"))
    if error.get("type") == "json_invalid":
        reason = (error.get("ctx") or {}).get("error", "")
        position = (error.get("loc") or ("body", "?"))[-1]
        message = f"{message}: {reason} at character {position}"
    return message
