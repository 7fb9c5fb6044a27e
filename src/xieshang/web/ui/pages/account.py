"""Signing in and out, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xieshang.auth.service import login, revoke
from xieshang.context import Context
from xieshang.errors import NotAuthenticated
from xieshang.web.deps import app_state, public_context
from xieshang.web.ui import i18n
from xieshang.web.ui.pages.common import (
    FormPage,
    render,
    safe_next,
)
from xieshang.web.ui.session import (
    LANGUAGE_COOKIE,
    clear_session,
    session_token,
    set_session,
)

router = APIRouter(include_in_schema=False)


@router.get("/login", name="ui.login")
def login_form(
    request: Request, next: str = "/app", changed: str = "", username: str = ""
) -> HTMLResponse:
    return render(
        request,
        None,
        "login.html",
        next=safe_next(next),
        failed=False,
        changed=changed == "1",
        username=username[:64],
    )


@router.post("/login", name="ui.login.submit")
def login_submit(
    request: Request,
    ctx: Annotated[Context, Depends(public_context)],
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form(max_length=200)] = "/app",
) -> Response:
    try:
        issued = login(ctx, username, password)
    except NotAuthenticated:
        return render(request, None, "login.html", status=401, next=safe_next(next), failed=True)
    response = RedirectResponse(safe_next(next), status_code=303)
    state = app_state(request)
    set_session(response, issued.token, state.settings, request.url.scheme == "https")
    return response


@router.post("/logout", name="ui.logout")
def logout(request: Request, ctx: FormPage) -> Response:
    revoke(ctx, session_token(request) or "")
    response = RedirectResponse("/login", status_code=303)
    clear_session(response)
    return response


@router.get("/lang/{code}", name="ui.language")
def switch_language(code: str, next: str = "/app") -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE, code if code in i18n.LANGUAGES else "zh", samesite="lax", path="/"
    )
    return response
