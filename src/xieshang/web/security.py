"""Security headers on every response; nothing but the site's own files may be cached. The pages
run no inline script or style, so the Content-Security-Policy allows only this site's own files
(the API docs page, which loads its scripts inline, is the one exception)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
EXEMPT = ("/docs",)
CACHEABLE = ("/static/",)
"""The only responses a browser or proxy may keep: the site's own files. Pages and API answers
carry personal data (and the sign-in answer a token), so nothing else is stored."""
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def install(app: FastAPI) -> None:
    @app.middleware("http")
    async def headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = PERMISSIONS
        if not request.url.path.startswith(CACHEABLE):
            response.headers["Cache-Control"] = "no-store"
        if not request.url.path.startswith(EXEMPT):
            response.headers["Content-Security-Policy"] = CSP
        return response
