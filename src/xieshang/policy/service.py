"""Publishing a policy with four eyes: compliance proposes a complete document, a different
compliance officer or an admin approves or rejects it with a note. Approved versions take effect on
their own ``effective_from``; nothing is ever edited or deleted, so the history is the record.

A draft is written against the latest approved version (``based_on``). Approving refuses a draft
whose base is no longer the latest approved version: approving it would silently undo the change
approved in between. The draft is then rebased and proposed again.
"""

from __future__ import annotations

from collections.abc import Sequence

from xieshang.audit.service import record
from xieshang.domain.errors import (
    InvalidInput,
    NotFound,
    PermissionDenied,
    PolicyDatePassed,
    PolicyDecided,
    PolicyNoLongerValid,
    PolicyOutOfOrder,
    PolicyStale,
)
from xieshang.kit.access import OPERATIONS, authorize
from xieshang.kit.context import Context
from xieshang.models.policy import PolicyVersion
from xieshang.policy import repository
from xieshang.policy.document import (
    PolicyInvalid,
    default_text,
    diff_policies,
    load_policy,
    parse_policy,
)
from xieshang.policy.in_force import forget, in_force
from xieshang.policy.reads import Document, in_force_read, stored_document, version_read
from xieshang.policy.repository import APPROVED, PROPOSED, REJECTED
from xieshang.policy.schemas import (
    PolicyDecision,
    PolicyProposal,
    PolicyVersionDetail,
    PolicyVersionRead,
    PolicyVersions,
)


def baseline() -> Document:
    policy = load_policy()
    return Document(policy.version, default_text(), policy.effective_from, None, policy.digest)


def latest_approved(ctx: Context) -> Document:
    """The newest approved version, in force or scheduled; the baseline when none is approved."""
    row = repository.newest_approved(ctx)
    return baseline() if row is None else stored_document(row)


def document(ctx: Context, version: str) -> Document:
    """A version's document by its version string (the baseline's included)."""
    authorize(ctx, "policy.read")
    row = repository.version_named(ctx, version)
    if row is not None:
        return stored_document(row)
    base = baseline()
    if version == base.version:
        return base
    raise NotFound("policy version", version)


def list_versions(ctx: Context) -> PolicyVersions:
    authorize(ctx, "policy.read")
    rows = repository.versions_newest_first(ctx)
    names = _usernames(ctx, rows)
    current = in_force(ctx)
    return PolicyVersions(
        in_force=in_force_read(current),
        versions=[version_read(ctx, row, names, current.version_id) for row in rows],
    )


def get_version(ctx: Context, version_id: int) -> PolicyVersionDetail:
    authorize(ctx, "policy.get")
    return _detail(ctx, repository.require_version(ctx, version_id))


def propose(ctx: Context, data: PolicyProposal) -> PolicyVersionDetail:
    """Store a draft for a second person to decide: it must parse, name a new version, and take
    effect no earlier than today nor than the latest approved version."""
    authorize(ctx, "policy.propose")
    text = data.text.replace("\r\n", "\n")  # a browser's form sends CRLF; the digest is of LF text
    policy = parse_policy(text)
    if repository.version_id_named(ctx, policy.version):
        raise InvalidInput("version", f"{policy.version} already exists; give the draft a new one")
    base = latest_approved(ctx)
    if policy.version == baseline().version:
        raise InvalidInput(
            "version", f"{policy.version} is the shipped policy; give the draft a new one"
        )
    today = ctx.today()
    if policy.effective_from < today:
        raise InvalidInput(
            "effective_from", f"{policy.effective_from} is in the past (today is {today})"
        )
    if policy.effective_from < base.effective_from:
        raise InvalidInput(
            "effective_from",
            f"{policy.effective_from} is before {base.effective_from}, when {base.version} takes effect",
        )
    row = PolicyVersion(
        version=policy.version,
        digest=policy.digest,
        effective_from=policy.effective_from,
        text=text,
        based_on=base.version,
        status=PROPOSED,
        proposed_by=ctx.user_id,
        proposed_at=ctx.now(),
        proposal_note=data.note,
    )
    ctx.session.add(row)
    ctx.session.flush()
    record(
        ctx,
        "policy.proposed",
        "policy_version",
        row.id,
        after={
            "version": row.version,
            "digest": row.digest,
            "effective_from": str(row.effective_from),
        },
        policy_version=row.version,
        details={
            "based_on": base.version,
            "note": data.note,
            "changes": diff_policies(base.text, text),
        },
    )
    ctx.session.commit()
    return _detail(ctx, row)


def approve(ctx: Context, version_id: int, data: PolicyDecision) -> PolicyVersionDetail:
    """Approve a proposal: from its effective date it is the policy in force."""
    authorize(ctx, "policy.approve")
    row = _pending(ctx, version_id)
    today = ctx.today()
    if row.effective_from < today:
        raise PolicyDatePassed(row.version, row.effective_from)
    base = latest_approved(ctx)
    if base.version != row.based_on:
        raise PolicyStale(row.version, row.based_on, base.version)
    if row.effective_from < base.effective_from:
        raise PolicyOutOfOrder(row.version, base.version)
    try:
        parse_policy(row.text)
    except PolicyInvalid as invalid:
        where, problem = invalid.problems[0]
        raise PolicyNoLongerValid(row.version, where, problem) from None
    return _decide(ctx, row, APPROVED, data.note)


def reject(ctx: Context, version_id: int, data: PolicyDecision) -> PolicyVersionDetail:
    """Refuse a proposal, saying why; it stays in the history."""
    authorize(ctx, "policy.reject")
    return _decide(ctx, _pending(ctx, version_id), REJECTED, data.note)


def _decide(ctx: Context, row: PolicyVersion, status: str, note: str) -> PolicyVersionDetail:
    before = {"status": row.status}
    row.status = status
    row.decided_by = ctx.user_id
    row.decided_at = ctx.now()
    row.decision_note = note
    record(
        ctx,
        f"policy.{status}",
        "policy_version",
        row.id,
        before=before,
        after={"status": status, "version": row.version, "digest": row.digest},
        policy_version=row.version,
        details={"effective_from": str(row.effective_from), "note": note},
    )
    ctx.session.commit()
    forget(ctx)
    return _detail(ctx, row)


def _pending(ctx: Context, version_id: int) -> PolicyVersion:
    row = repository.require_version(ctx, version_id)
    if row.status != PROPOSED:
        raise PolicyDecided(row.version, row.status)
    if ctx.user is not None and row.proposed_by == ctx.user.id:
        raise PermissionDenied(
            f"four-eyes: you proposed policy {row.version}; someone else must approve or reject it"
        )
    return row


def may_propose(ctx: Context) -> bool:
    """Whether the signed-in person may propose a version (pages show the button)."""
    return ctx.user is not None and ctx.user.role in OPERATIONS["policy.propose"]


def may_decide(ctx: Context, row: PolicyVersionRead) -> bool:
    """Whether the signed-in person could approve or reject ``row`` (pages show the buttons)."""
    if row.status != PROPOSED or ctx.user is None:
        return False
    return ctx.user.role in OPERATIONS["policy.approve"] and row.proposed_by != ctx.user.username


def _usernames(ctx: Context, rows: Sequence[PolicyVersion]) -> dict[int, str]:
    return repository.usernames(
        ctx, (i for row in rows for i in (row.proposed_by, row.decided_by) if i is not None)
    )


def _detail(ctx: Context, row: PolicyVersion) -> PolicyVersionDetail:
    read = version_read(ctx, row, _usernames(ctx, [row]), in_force(ctx).version_id)
    try:
        base_text = document(ctx, row.based_on).text
        changes = diff_policies(base_text, row.text)
    except (NotFound, PolicyInvalid):
        changes = []
    return PolicyVersionDetail(**read.model_dump(), text=row.text, changes=changes)
