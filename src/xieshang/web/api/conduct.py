"""Check an agent's message against the policy's conduct linter before it is sent."""

from __future__ import annotations

from xieshang.contacts.lint import LintReport, LintRequest, check_message
from xieshang.web.deps import UserContext
from xieshang.web.routing import Router

router = Router(prefix="/conduct", tags=["conduct"])


@router.post("/lint", name="conduct.lint")
def lint(ctx: UserContext, request: LintRequest) -> LintReport:
    """Every conduct rule the message breaks (threats, insults, impersonating authorities, false legal
    claims, disclosure to third parties), each with a suggested rewording. Nothing is stored."""
    return check_message(ctx, request.text)
