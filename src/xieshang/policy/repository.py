"""Every query of stored policy versions and of the decisions made under each (flush only, never
commit)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TypeVarTuple

from sqlalchemy import Select, func, select

from xieshang.domain.errors import NotFound
from xieshang.kit.context import Context
from xieshang.models.negotiation import NegotiationEvaluation
from xieshang.models.policy import PolicyVersion
from xieshang.models.user import User

PROPOSED, APPROVED, REJECTED = "proposed", "approved", "rejected"
"""A stored version's status; it never changes after the decision."""

_Columns = TypeVarTuple("_Columns")


def _in_force_first(query: Select[*_Columns], day: date | None) -> Select[*_Columns]:
    """``query`` narrowed to the version in force on ``day``: the approved version effective by
    then, the latest effective date first, then the latest decision. Without a day, the latest
    approved version, in force or scheduled."""
    query = query.where(PolicyVersion.status == APPROVED)
    if day is not None:
        query = query.where(PolicyVersion.effective_from <= day)
    return query.order_by(
        PolicyVersion.effective_from.desc(),
        PolicyVersion.decided_at.desc(),
        PolicyVersion.id.desc(),
    ).limit(1)


def version_in_force(ctx: Context, day: date) -> tuple[int, str] | None:
    """The id and digest of the stored version in force on ``day``; None while the baseline is."""
    query = _in_force_first(select(PolicyVersion.id, PolicyVersion.digest), day)
    row = ctx.session.execute(query).first()
    return (row.id, row.digest) if row is not None else None


def newest_approved(ctx: Context) -> PolicyVersion | None:
    """The latest approved version, in force or scheduled."""
    return ctx.session.scalars(_in_force_first(select(PolicyVersion), None)).first()


def version_text(ctx: Context, version_id: int) -> str:
    text = ctx.session.scalar(select(PolicyVersion.text).where(PolicyVersion.id == version_id))
    assert text is not None
    return text


def version_named(ctx: Context, version: str) -> PolicyVersion | None:
    return ctx.session.scalars(
        select(PolicyVersion).where(PolicyVersion.version == version)
    ).first()


def version_id_named(ctx: Context, version: str) -> int | None:
    return ctx.session.scalar(select(PolicyVersion.id).where(PolicyVersion.version == version))


def require_version(ctx: Context, version_id: int) -> PolicyVersion:
    row = ctx.session.get(PolicyVersion, version_id)
    if row is None:
        raise NotFound("policy version", version_id)
    return row


def versions_newest_first(ctx: Context) -> Sequence[PolicyVersion]:
    """Every stored version, the newest proposal first."""
    return ctx.session.scalars(
        select(PolicyVersion).order_by(PolicyVersion.proposed_at.desc(), PolicyVersion.id.desc())
    ).all()


def usernames(ctx: Context, user_ids: Iterable[int]) -> dict[int, str]:
    ids = set(user_ids)
    if not ids:
        return {}
    found = ctx.session.execute(select(User.id, User.username).where(User.id.in_(ids)))
    return {row.id: row.username for row in found}


def decisions_by_version(ctx: Context) -> list[tuple[str, str, int, datetime, datetime]]:
    """For each policy version and digest evaluations were made under: how many, the first and
    the last (as stored, UTC), the most recently used first."""
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
    return [(version, digest, count, first, last) for version, digest, count, first, last in rows]
