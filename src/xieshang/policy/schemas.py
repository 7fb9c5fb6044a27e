"""What the API reads and writes about policy versions."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from xieshang.kit.schemas import Text


class PolicyProposal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Text = Field(
        min_length=1,
        max_length=200_000,
        description="the whole policy document (YAML); its version and effective_from say what it "
        "is and when it takes effect",
    )
    note: Text = Field(min_length=1, max_length=2000, description="why the policy changes")


class PolicyDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Text = Field(min_length=1, max_length=2000, description="what was checked, or why not")


class PolicyVersionRead(BaseModel):
    id: int
    version: str
    digest: str = Field(description="SHA-256 of the document text, as evaluations record it")
    effective_from: date
    based_on: str = Field(description="the version the draft was written against")
    status: str = Field(description="proposed, approved or rejected")
    standing: str = Field(
        description="proposed, rejected, scheduled (approved, not yet effective), in_force or "
        "superseded"
    )
    proposed_by: str | None
    proposed_at: datetime
    proposal_note: str
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None


class PolicyVersionDetail(PolicyVersionRead):
    text: str
    changes: list[str] = Field(
        description="what the document changes from based_on, field by field"
    )


class PolicyInForceRead(BaseModel):
    version: str
    digest: str
    effective_from: date
    version_id: int | None = Field(description="the stored version; null for the shipped baseline")


class PolicyVersions(BaseModel):
    in_force: PolicyInForceRead
    versions: list[PolicyVersionRead] = Field(description="newest proposal first")
