"""Browser sessions: the access token in an HttpOnly cookie, a CSRF token per session, the language.

The session cookie is HttpOnly and SameSite=Lax, and Secure when the site is served over TLS
(XIESHANG_SECURE_COOKIES). Every form carries a CSRF token derived from the session token with the
server's secret, so another site cannot post on the user's behalf.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request, Response

from xieshang.config import Settings
from xieshang.errors import PermissionDenied

SESSION_COOKIE = "xs_session"
LANGUAGE_COOKIE = "xs_lang"


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
