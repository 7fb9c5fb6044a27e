"""The policy as compliance reviews it: the document in force and where it comes from, every version
with its standing and how many decisions it made, what separates any two versions (field by field
and line by line), and what a draft would change (with its validation problems)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.policy import repository
from xieshang.policy import service as versions
from xieshang.policy.document import (
    DiffLine,
    PolicyInvalid,
    diff_lines,
    diff_policies,
    parse_policy,
)
from xieshang.policy.in_force import in_force
from xieshang.policy.schemas import PolicyVersionRead


@dataclass(frozen=True)
class VersionUsed:
    version: str
    digest: str
    decisions: int
    first: datetime
    last: datetime


@dataclass(frozen=True)
class VersionEntry:
    """One version in the history; ``stored`` is None for the baseline shipped with xieshang."""

    version: str
    digest: str
    effective_from: date
    standing: str
    decisions: int
    stored: PolicyVersionRead | None
    changes: list[str]
    may_decide: bool


@dataclass(frozen=True)
class PolicyOverview:
    version: str
    digest: str
    effective_from: str
    text: str
    source: VersionEntry
    versions: list[VersionEntry]
    """Newest first; the shipped baseline last."""
    used: list[VersionUsed]
    pending: list[VersionEntry]

    @property
    def comparable(self) -> list[str]:
        """Versions that can be compared (every one has its document)."""
        return [v.version for v in self.versions]

    @property
    def default_comparison(self) -> tuple[str, str]:
        """The newest stored version against the version it was written on ('' when none is)."""
        newest = self.versions[0].stored
        return (newest.based_on, newest.version) if newest is not None else ("", "")


@dataclass(frozen=True)
class Comparison:
    old: str
    new: str
    changes: list[str]
    lines: list[DiffLine]


@dataclass(frozen=True)
class DraftReview:
    changes: list[str]
    problems: list[tuple[str, str]]
    against: str
    """The version the draft is compared with: the latest approved one, as a proposal would be."""


def policy_overview(ctx: Context) -> PolicyOverview:
    authorize(ctx, "policy.read")
    current = in_force(ctx)
    used = _used(ctx)
    by_digest: dict[str, int] = {}
    for row in used:
        by_digest[row.digest] = by_digest.get(row.digest, 0) + row.decisions
    listing = versions.list_versions(ctx)
    entries: list[VersionEntry] = []
    for read in listing.versions:
        changes: list[str] = []
        if read.status == repository.PROPOSED:
            changes = versions.get_version(ctx, read.id).changes
        entries.append(
            VersionEntry(
                read.version,
                read.digest,
                read.effective_from,
                read.standing,
                by_digest.get(read.digest, 0),
                read,
                changes,
                versions.may_decide(ctx, read),
            )
        )
    base = versions.baseline()
    entries.append(
        VersionEntry(
            base.version,
            base.digest,
            base.effective_from,
            "in_force" if current.version_id is None else "baseline",
            by_digest.get(base.digest, 0),
            None,
            [],
            False,
        )
    )
    source = next(e for e in entries if (e.stored.id if e.stored else None) == current.version_id)
    text = versions.document(ctx, current.policy.version).text
    return PolicyOverview(
        current.policy.version,
        current.policy.digest,
        current.policy.effective_from.isoformat(),
        text,
        source,
        entries,
        used,
        [e for e in entries if e.standing == repository.PROPOSED],
    )


def compare(ctx: Context, old: str, new: str) -> Comparison:
    """What changed from version ``old`` to version ``new``: each field, and each line."""
    authorize(ctx, "policy.read")
    old_text, new_text = versions.document(ctx, old).text, versions.document(ctx, new).text
    return Comparison(old, new, diff_policies(old_text, new_text), diff_lines(old_text, new_text))


def review_draft(ctx: Context, draft: str) -> DraftReview:
    """What ``draft`` changes from the latest approved policy, and why it would be refused, if it
    would."""
    authorize(ctx, "policy.read")
    base = versions.latest_approved(ctx)
    try:
        parse_policy(draft)
        problems: list[tuple[str, str]] = []
    except PolicyInvalid as invalid:
        problems = invalid.problems
    try:
        changes = diff_policies(base.text, draft)
    except PolicyInvalid as invalid:
        return DraftReview([], invalid.problems, base.version)
    return DraftReview(changes, problems, base.version)


def _used(ctx: Context) -> list[VersionUsed]:
    return [
        VersionUsed(version, digest, count, ctx.local(first), ctx.local(last))
        for version, digest, count, first, last in repository.decisions_by_version(ctx)
    ]
