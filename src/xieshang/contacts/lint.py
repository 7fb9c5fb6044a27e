"""The message linter as a service: every conduct rule a drafted message breaks, with a rewording.
Agents call it before they send anything (the API, the reply box and the contact form, live)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from xieshang.domain.conduct import Wording, lint_message
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.kit.schemas import Text
from xieshang.policy.in_force import policy_in_force


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


def check_message(ctx: Context, text: str) -> LintReport:
    """Every conduct rule the message breaks (threats, insults, impersonating authorities, false legal
    claims, disclosure to third parties), each with a suggested rewording. Nothing is stored."""
    authorize(ctx, "conduct.lint")
    policy = policy_in_force(ctx)
    findings = lint_message(text, policy.conduct.lint)
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
