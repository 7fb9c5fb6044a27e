"""The policy as compliance reviews it: the document in force, the versions that actually decided
cases, and what a draft would change (with its validation problems)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from xieshang.auth.access import authorize
from xieshang.context import Context
from xieshang.models.negotiation import NegotiationEvaluation
from xieshang.policy.loader import (
    PolicyInvalid,
    default_text,
    diff_policies,
    load_policy,
    parse_policy,
)


@dataclass(frozen=True)
class VersionUsed:
    version: str
    digest: str
    decisions: int
    first: datetime
    last: datetime


@dataclass(frozen=True)
class PolicyInForce:
    version: str
    digest: str
    effective_from: str
    text: str
    history: list[VersionUsed]


@dataclass(frozen=True)
class DraftReview:
    changes: list[str]
    problems: list[tuple[str, str]]


def policy_in_force(ctx: Context) -> PolicyInForce:
    authorize(ctx, "policy.read")
    policy = load_policy()
    rows = ctx.session.execute(
        select(
            NegotiationEvaluation.policy_version,
            NegotiationEvaluation.policy_digest,
            func.count(),
            func.min(NegotiationEvaluation.evaluated_at),
            func.max(NegotiationEvaluation.evaluated_at),
        )
        .group_by(NegotiationEvaluation.policy_version, NegotiationEvaluation.policy_digest)
        .order_by(func.max(NegotiationEvaluation.evaluated_at).desc())
    ).all()
    history = [
        VersionUsed(version, digest, count, ctx.local(first), ctx.local(last))
        for version, digest, count, first, last in rows
    ]
    return PolicyInForce(
        policy.version, policy.digest, policy.effective_from.isoformat(), default_text(), history
    )


def review_draft(ctx: Context, draft: str) -> DraftReview:
    """What ``draft`` changes from the policy in force, and why it would be refused, if it would."""
    authorize(ctx, "policy.read")
    try:
        parse_policy(draft)
        problems: list[tuple[str, str]] = []
    except PolicyInvalid as invalid:
        problems = invalid.problems
    try:
        changes = diff_policies(default_text(), draft)
    except PolicyInvalid as invalid:
        return DraftReview([], invalid.problems)
    return DraftReview(changes, problems)
