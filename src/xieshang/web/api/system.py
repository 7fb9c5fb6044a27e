from __future__ import annotations

from typing import Annotated

import anyio
import anyio.to_thread
from fastapi import Form, Request
from pydantic import BaseModel
from sqlalchemy import text

from xieshang import __version__
from xieshang.audit.schemas import AuditReport
from xieshang.audit.service import verify_chain
from xieshang.auth.schemas import Me, TokenRead
from xieshang.auth.service import login, revoke
from xieshang.kit.access import authorize
from xieshang.kit.schemas import Text
from xieshang.web.deps import PublicContext, Token, UserContext, app_state
from xieshang.web.routing import Router

router = Router()


class Health(BaseModel):
    status: str
    version: str
    database: str


@router.get("/health", name="health", tags=["system"])
async def health(request: Request) -> Health:
    """Up, and the database answers. Checked in a thread of its own, so that it answers while every
    worker thread is busy with requests."""
    state = app_state(request)

    def ping() -> str:
        with state.readers() as session:
            session.execute(text("SELECT 1"))
            return session.get_bind().dialect.name

    limiter = getattr(request.app.state, "health_limiter", None)
    if limiter is None:
        limiter = request.app.state.health_limiter = anyio.CapacityLimiter(1)
    database = await anyio.to_thread.run_sync(ping, limiter=limiter)
    return Health(status="ok", version=__version__, database=database)


@router.post("/auth/token", name="auth.token", tags=["auth"])
def token(
    ctx: PublicContext,
    username: Annotated[Text, Form(min_length=1, max_length=64)],
    password: Annotated[str, Form(min_length=1, max_length=256)],
) -> TokenRead:
    """Exchange a username and password (form fields, as OAuth2's password flow) for a bearer token."""
    issued = login(ctx, username, password)
    return TokenRead(access_token=issued.token, expires_at=ctx.local(issued.expires_at).isoformat())


@router.post("/auth/revoke", name="auth.revoke", tags=["auth"], status_code=204)
def revoke_token(ctx: UserContext, bearer: Token) -> None:
    """Revoke the token this request carries."""
    authorize(ctx, "auth.revoke")
    revoke(ctx, bearer)


@router.get("/me", name="me", tags=["auth"])
def me(ctx: UserContext) -> Me:
    authorize(ctx, "me")
    assert ctx.user is not None
    return Me.model_validate(ctx.user)


@router.get("/audit/verify", name="audit.verify", tags=["audit"])
def audit_verify(ctx: UserContext) -> AuditReport:
    """Walk the hash-chained audit log and report the first broken entry, if any."""
    return verify_chain(ctx)
