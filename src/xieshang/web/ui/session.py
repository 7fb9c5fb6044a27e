"""Browser sessions: the access token in an HttpOnly cookie, a CSRF token per session, the language.

The session cookie is HttpOnly and SameSite=Lax, and Secure when the site is served over TLS
(XIESHANG_SECURE_COOKIES). Every form carries a CSRF token derived from the session token with the
server's secret, so another site cannot post on the user's behalf. The sign-in form, which comes
before any session, carries one derived from a random nonce in a SameSite=Strict cookie, so another
site cannot sign a user into an account of its choosing either.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response

from xieshang.domain.errors import PermissionDenied
from xieshang.kit.config import Settings

SESSION_COOKIE = "xs_session"
LANGUAGE_COOKIE = "xs_lang"
LOGIN_COOKIE = "xs_login"


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def language(request: Request) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE, "zh")
    return chosen if chosen in ("zh", "en") else "zh"


def csrf_token(settings: Settings, token: str) -> str:
    mac = hmac.new(settings.secret_key.encode(), f"csrf:{token}".encode(), hashlib.sha256)
    return mac.hexdigest()[:40]


def check_csrf(settings: Settings, token: str, sent: str) -> None:
    if not hmac.compare_digest(csrf_token(settings, token), sent):
        raise PermissionDenied("the form has expired or did not come from this site; reload it")


def set_session(response: Response, token: str, settings: Settings, secure: bool) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.token_ttl_minutes * 60,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def new_login_nonce() -> str:
    """A fresh nonce for a sign-in form: the cookie carries it, the form :func:`login_csrf`."""
    return secrets.token_urlsafe(24)


def set_login_nonce(response: Response, nonce: str, secure: bool) -> None:
    response.set_cookie(
        LOGIN_COOKIE, nonce, max_age=3600, httponly=True, samesite="strict", secure=secure, path="/"
    )


def login_csrf(settings: Settings, nonce: str) -> str:
    mac = hmac.new(settings.secret_key.encode(), f"login:{nonce}".encode(), hashlib.sha256)
    return mac.hexdigest()[:40]


def login_form_is_ours(settings: Settings, request: Request, sent: str) -> bool:
    """Whether a sign-in post carries the token of a form this site gave this browser."""
    nonce = request.cookies.get(LOGIN_COOKIE)
    return bool(nonce) and hmac.compare_digest(login_csrf(settings, nonce or ""), sent)
