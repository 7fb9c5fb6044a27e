"""What the API gives about the audit chain."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class AuditReport(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    intact: bool
    checked: int
    first_broken_seq: int | None
    reason: str
