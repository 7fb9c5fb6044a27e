"""What every page shares: the templates, the signed-in dependencies, rendering and errors."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import jinja2
from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from xieshang.domain.errors import NotAuthenticated
from xieshang.kit.context import Context
from xieshang.models.user import Role
from xieshang.web.deps import app_state, public_context, signed_in_user
from xieshang.web.ui import i18n, problems
from xieshang.web.ui.session import (
    check_csrf,
    csrf_token,
    language,
    session_token,
)

TEMPLATES = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parents[1] / "templates"),
        autoescape=True,  # everything shown is escaped: complaint text is customer input
    )
)


class LoginRequired(Exception):
    """The page needs a signed-in user; the handler sends the browser to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def page_context(request: Request, ctx: Annotated[Context, Depends(public_context)]) -> Context:
    token = session_token(request)
    if token is None:
        raise LoginRequired(request.url.path)
    try:
        ctx.user = signed_in_user(request, token)
    except NotAuthenticated:
        raise LoginRequired(request.url.path) from None
    return ctx


Page = Annotated[Context, Depends(page_context)]


def form_context(request: Request, ctx: Page, csrf: Annotated[str, Form()]) -> Context:
    """A page's form post: signed in, and carrying this session's CSRF token."""
    check_csrf(ctx.settings, session_token(request) or "", csrf)
    return ctx


FormPage = Annotated[Context, Depends(form_context)]


def render(
    request: Request, ctx: Context | None, name: str, status: int = 200, **values: Any
) -> HTMLResponse:
    lang = language(request)
    token = session_token(request)
    values |= {
        "lang": lang,
        "t": lambda key: i18n.translate(key, lang),
        "user": ctx.user if ctx else None,
        "csrf": csrf_token(app_state(request).settings, token) if token else "",
        "path": request.url.path,
        "yuan": yuan,
        "percent": percent,
        "said": lambda reasons: said_to(reasons, ctx.user if ctx else None),
        "note_text": lambda note: (
            i18n.translate(SYSTEM_NOTES[note], lang) if note in SYSTEM_NOTES else note
        ),
    }
    response: HTMLResponse = TEMPLATES.TemplateResponse(request, name, values, status_code=status)
    return response


SYSTEM_NOTES = {
    "not accepted in time": "note.expired",
    "another offer was accepted": "note.other_accepted",
    "evaluated again": "note.evaluated_again",
}
"""The notes the system itself writes on an offer, said in the reader's language (a person's note
is shown as they wrote it)."""

STAFF_ONLY = ("NPV_", "APPROVAL_", "BEYOND_AUTHORITY", "CHECK_")
"""Reasons that are the bank's own reckoning (its NPV test, who approves, which check passed): shown
to staff, not to customers, who read what the offer does for them."""


def said_to(reasons: Sequence[Any], user: Any) -> list[Any]:
    """The reasons ``user`` reads: all of them for staff, without the bank's own for a customer."""
    if user is not None and user.role is not Role.CUSTOMER:
        return list(reasons)
    return [r for r in reasons if not r.code.startswith(STAFF_ONLY)]


def is_page(request: Request) -> bool:
    """Requests from the web application get HTML errors; the API keeps problem JSON."""
    path = request.url.path
    return path.startswith(("/app", "/login", "/logout", "/lang"))


def error_page(request: Request, status: int, message: str | Exception) -> HTMLResponse:
    """The error page, its ``message`` (a service's words or an error) in the page's language."""
    said = problems.said(message, language(request))
    return render(request, None, "error.html", status=status, message=said)


def safe_next(path: str) -> str:
    """Only a path on this site (never //host or a scheme): no open redirect."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/app"
    return quote(path, safe="/?=&-_.")


def yuan(text: str) -> str:
    value = Decimal(text)
    return f"¥{value:,.2f}"


def percent(text: str) -> str:
    return f"{Decimal(text) * 100:.2f}%"


def problem(request: Request, error: Exception | str) -> str:
    """What is wrong with a form (pydantic's errors, a service's refusal or its words), said in
    the page's language through the catalogues (web/ui/problems.py)."""
    return problems.said(error, language(request)) or ""


def problem_field(error: Exception) -> str:
    """The form field a problem is about — the last part of its path (``finances.verified_income``
    → ``verified_income``, ``charged[0].amount`` → ``amount``), or the ``field`` an error names
    (a refused contact names its input) — so the page can mark that input; "" when none."""
    named = getattr(error, "field", None)
    if isinstance(named, str):
        path = named
    else:
        errors = getattr(error, "errors", None)
        if not callable(errors):
            return ""
        path = ".".join(str(p) for p in errors()[0]["loc"] if not isinstance(p, int))
    return path.rpartition(".")[2].split("[")[0]
