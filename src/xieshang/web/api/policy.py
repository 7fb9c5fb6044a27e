"""The negotiation policy: its versions, and publishing a new one with four eyes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from xieshang.policy import service
from xieshang.policy.schemas import (
    PolicyDecision,
    PolicyProposal,
    PolicyVersionDetail,
    PolicyVersions,
)
from xieshang.web.deps import UserContext
from xieshang.web.routing import Router

router = Router(prefix="/policy", tags=["policy"])
Id = Annotated[int, Path(ge=1, le=2**62)]


@router.get("/versions", name="policy.read")
def list_versions(ctx: UserContext) -> PolicyVersions:
    """The policy in force (a stored version, or the shipped baseline when none is approved and
    effective) and every stored version, newest proposal first."""
    return service.list_versions(ctx)


@router.get("/versions/{version_id}", name="policy.get")
def get_version(ctx: UserContext, version_id: Id) -> PolicyVersionDetail:
    """One version: its document and what it changes from the version it was written against."""
    return service.get_version(ctx, version_id)


@router.post("/versions", name="policy.propose", status_code=201)
def propose(ctx: UserContext, data: PolicyProposal) -> PolicyVersionDetail:
    """Propose a complete policy document. It must validate, carry a new version and an
    effective_from no earlier than today; a different compliance officer or an admin decides it.
    A document with problems is a 422 listing each (``problems``)."""
    return service.propose(ctx, data)


@router.post("/versions/{version_id}/approve", name="policy.approve")
def approve(ctx: UserContext, version_id: Id, data: PolicyDecision) -> PolicyVersionDetail:
    """Approve a proposal (not your own): from its effective_from it is the policy in force. A 409
    when it was decided already, its effective date has passed, or another version was approved
    since it was written."""
    return service.approve(ctx, version_id, data)


@router.post("/versions/{version_id}/reject", name="policy.reject")
def reject(ctx: UserContext, version_id: Id, data: PolicyDecision) -> PolicyVersionDetail:
    """Reject a proposal (not your own), saying why."""
    return service.reject(ctx, version_id, data)
