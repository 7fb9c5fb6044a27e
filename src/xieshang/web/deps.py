"""Request-scoped dependencies: the service context, the signed-in user, typed aliases."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from xieshang.auth.service import authenticate
from xieshang.config import Settings
from xieshang.context import Clock, Context
from xieshang.db import READ_ONLY
from xieshang.errors import NotAuthenticated
from xieshang.pii import PiiCipher


@dataclass
class AppState:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    cipher: PiiCipher
    clock: Clock


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.xieshang
    return state


WRITING_READS = frozenset({"customers.pii"})
"""GET routes that write (an unmasking leaves an audit row): they take the write lock like a POST."""


def public_context(request: Request) -> Iterator[Context]:
    state = app_state(request)
    session = state.sessions()
    route = request.scope.get("route")
    if request.method in ("GET", "HEAD") and getattr(route, "name", None) not in WRITING_READS:
        session.connection(execution_options={READ_ONLY: True})
    try:
        yield Context(session, state.settings, state.cipher, state.clock)
    finally:
        session.close()


def bearer_token(
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("send 'Authorization: Bearer <token>' (POST /api/v1/auth/token)")
    return token.strip()


def user_context(
    ctx: Annotated[Context, Depends(public_context)], token: Annotated[str, Depends(bearer_token)]
) -> Context:
    ctx.user = authenticate(ctx, token)
    return ctx


PublicContext = Annotated[Context, Depends(public_context)]
UserContext = Annotated[Context, Depends(user_context)]
Token = Annotated[str, Depends(bearer_token)]
