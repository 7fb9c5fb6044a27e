"""Request-scoped dependencies: the service context, the signed-in user, typed aliases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request, Response
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from xieshang.auth.service import authenticate
from xieshang.domain.errors import NotAuthenticated
from xieshang.kit.config import Settings
from xieshang.kit.context import Clock, Context
from xieshang.kit.idempotency import Answer, Answered
from xieshang.kit.pii import PiiCipher
from xieshang.models.user import User


@dataclass
class AppState:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    """Sessions for requests that write (SQLite: BEGIN IMMEDIATE)."""
    readers: sessionmaker[Session]
    """Sessions for requests that only read (SQLite: a deferred BEGIN that never waits)."""
    cipher: PiiCipher
    clock: Clock


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.xieshang
    return state


WRITING_READS = frozenset({"customers.pii"})
"""GET routes that write (an unmasking leaves an audit row): they take the write lock like a POST."""


async def public_context(request: Request) -> AsyncIterator[Context]:
    """A session for the request, closed when the request is done.

    Deliberately ``async``: creating a session touches no connection, and closing it here runs on
    the event loop. A sync generator's teardown would need a worker thread, and when every worker
    waits for a pooled connection held by a request whose teardown waits for a worker, the server
    deadlocks (found by 50 parallel accepts: tests/negotiations/test_accept_race.py).
    """
    state = app_state(request)
    route = request.scope.get("route")
    reads = request.method in ("GET", "HEAD") and getattr(route, "name", None) not in WRITING_READS
    session = (state.readers if reads else state.sessions)()
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
    request: Request,
    ctx: Annotated[Context, Depends(public_context)],
    token: Annotated[str, Depends(bearer_token)],
) -> Context:
    ctx.user = signed_in_user(request, token)
    return ctx


def signed_in_user(request: Request, token: str) -> User:
    """The user behind ``token``, looked up in a short read of its own.

    The request's own session is left untouched until the route runs, so no connection (nor, on
    SQLite, the write lock) is held while the request waits for a worker thread to run its route.
    """
    state = app_state(request)
    with state.readers() as session:
        return authenticate(Context(session, state.settings, state.cipher, state.clock), token)


PublicContext = Annotated[Context, Depends(public_context)]
UserContext = Annotated[Context, Depends(user_context)]
Token = Annotated[str, Depends(bearer_token)]


def created(response: Response, answered: Answered[Answer]) -> Answer:
    """201 for work done now, 200 for the stored answer to a repeat with the same key."""
    response.status_code = 200 if answered.replayed else 201
    return answered.answer
