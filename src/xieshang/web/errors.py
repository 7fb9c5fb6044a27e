"""The one place where domain errors become HTTP: RFC 9457 problem JSON with a stable ``type``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from xieshang.domain.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
    VersionConflict,
    XieshangError,
)
from xieshang.kit.db import Busy
from xieshang.web.ui import pages

PROBLEM = "application/problem+json"
BASE = "https://xieshang.dev/problems/"

_STATUS: dict[type[XieshangError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    NotAuthenticated: 401,
    PermissionDenied: 403,
    TooManyAttempts: 429,
    VersionConflict: 412,
    Conflict: 409,
}
"""Each branch of the error tree's status; a named error takes the status of its nearest branch."""
_SLUG: dict[type[XieshangError], str] = {PermissionDenied: "forbidden"}
"""Problem types that predate the rule "the type is the error's name in kebab case"."""


def status_of(error: XieshangError) -> int:
    return next((_STATUS[cls] for cls in type(error).__mro__ if cls in _STATUS), 400)


def problem_type(error: XieshangError) -> tuple[str, str]:
    """The problem's ``type`` slug (``OfferExpired`` → ``offer-expired``) and its title (the
    first line of the error's docstring)."""
    cls = type(error)
    slug = _SLUG.get(cls) or re.sub(r"(?<!^)(?=[A-Z])", "-", cls.__name__).lower()
    title = (cls.__doc__ or cls.__name__).strip().splitlines()[0].rstrip(".")
    return slug, title


def problem(status: int, slug: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": BASE + slug, "title": title, "status": status, "detail": detail, **extra}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def install(app: FastAPI) -> None:
    """Every error a request can meet becomes problem JSON (or, for a page, an error page)."""
    app.add_exception_handler(XieshangError, _domain)  # type: ignore[arg-type]
    app.add_exception_handler(pages.LoginRequired, _login)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(StaleDataError, _stale)
    for busy in (Busy, sqlalchemy.exc.TimeoutError, sqlalchemy.exc.OperationalError):
        app.add_exception_handler(busy, _busy)
    app.add_exception_handler(Exception, _unexpected)


async def _domain(request: Request, error: XieshangError) -> Response:
    status = status_of(error)
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
    slug, title = problem_type(error)
    response = problem(status, slug, title, str(error), **extra)
    if isinstance(error, TooManyAttempts):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


async def _login(request: Request, error: pages.LoginRequired) -> Response:
    return RedirectResponse(f"/login?next={quote(error.next_path)}", status_code=303)


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


async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
    slug = {404: "not-found", 405: "method-not-allowed", 401: "not-authenticated"}.get(
        error.status_code, "http-error"
    )
    return problem(error.status_code, slug, str(error.detail), str(error.detail))


async def _stale(request: Request, error: Exception) -> Response:
    """Another request changed the same object between our read and our write."""
    detail = "another request changed this at the same moment; nothing was changed, read it again"
    if pages.is_page(request):
        return pages.error_page(request, 409, detail)
    return problem(409, "conflict", "Conflict", detail)


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
