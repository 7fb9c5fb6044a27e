"""Signing in and out, and the language switch."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xieshang.auth.service import login, revoke
from xieshang.domain.errors import NotAuthenticated
from xieshang.kit.context import Context
from xieshang.web.deps import app_state, public_context
from xieshang.web.routing import Router
from xieshang.web.ui import i18n
from xieshang.web.ui.pages.common import (
    FormPage,
    render,
    safe_next,
)
from xieshang.web.ui.session import (
    LANGUAGE_COOKIE,
    LOGIN_COOKIE,
    clear_session,
    login_csrf,
    login_form_is_ours,
    new_login_nonce,
    session_token,
    set_login_nonce,
    set_session,
)

router = Router(include_in_schema=False)


@router.get("/login", name="ui.login")
def login_form(
    request: Request, next: str = "/app", changed: str = "", username: str = ""
) -> HTMLResponse:
    return _sign_in_page(request, next=next, changed=changed == "1", username=username[:64])


@router.post("/login", name="ui.login.submit")
def login_submit(
    request: Request,
    ctx: Annotated[Context, Depends(public_context)],
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form(max_length=200)] = "/app",
    login_token: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    state = app_state(request)
    if not login_form_is_ours(state.settings, request, login_token):
        return _sign_in_page(request, 403, next=next, expired=True, username=username)
    try:
        issued = login(ctx, username, password)
    except NotAuthenticated:
        return _sign_in_page(request, 401, next=next, failed=True, username=username)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session(response, issued.token, state.settings, request.url.scheme == "https")
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


def _sign_in_page(
    request: Request, status: int = 200, next: str = "/app", **values: Any
) -> HTMLResponse:
    """The sign-in form with a fresh token of its own (there is no session yet to derive one)."""
    nonce = new_login_nonce()
    token = login_csrf(app_state(request).settings, nonce)
    response = render(
        request, None, "login.html", status=status, next=safe_next(next), token=token, **values
    )
    set_login_nonce(response, nonce, request.url.scheme == "https")
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
