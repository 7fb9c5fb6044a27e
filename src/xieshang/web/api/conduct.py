"""Check an agent's message against the policy's conduct linter before it is sent."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from xieshang.auth.access import authorize
from xieshang.domain.conduct import Wording, lint_message
from xieshang.ledger_schemas import Text
from xieshang.policy_store.in_force import policy_in_force
from xieshang.web.deps import UserContext

router = APIRouter(prefix="/conduct", tags=["conduct"])


class LintRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Text = Field(min_length=1, max_length=4000, description="the message the agent drafted")


class Bilingual(BaseModel):
    zh: str
    en: str


class LintFindingRead(BaseModel):
    rule: str = Field(description="e.g. LINT_THREAT")
    matched: str = Field(description="the words that broke the rule")
    why: Bilingual
    rewording: Bilingual = Field(description="what to say instead")
    source: str = Field(description="the regulation behind the rule")


class LintReport(BaseModel):
    allowed: bool = Field(description="false: the message must not be sent as it is")
    findings: list[LintFindingRead]
    policy_version: str


def _bilingual(text: Wording) -> Bilingual:
    return Bilingual(zh=text.zh, en=text.en)


@router.post("/lint", name="conduct.lint")
def lint(ctx: UserContext, request: LintRequest) -> LintReport:
    """Every conduct rule the message breaks (threats, insults, impersonating authorities, false legal
    claims, disclosure to third parties), each with a suggested rewording. Nothing is stored."""
    authorize(ctx, "conduct.lint")
    policy = policy_in_force(ctx)
    findings = lint_message(request.text, policy.conduct.lint)
    return LintReport(
        allowed=not findings,
        findings=[
            LintFindingRead(
                rule=f.code,
                matched=f.matched,
                why=_bilingual(f.why),
                rewording=_bilingual(f.rewording),
                source=f.source,
            )
            for f in findings
        ],
        policy_version=policy.version,
    )
