from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from xieshang.kit.schemas import Text

Channel = Literal["phone", "sms", "email", "visit", "app"]
Party = Literal["debtor", "guarantor", "debt_related", "unrelated"]


class ContactIn(BaseModel):
    """A contact an agent is about to make. The rules are checked first; a refused contact is
    never logged as made."""

    model_config = ConfigDict(extra="forbid")

    customer_id: int = Field(ge=1, le=2**62)
    loan_id: int | None = Field(default=None, ge=1, le=2**62)
    channel: Channel
    party: Party = "debtor"
    purpose: Literal["collection", "service"] = "collection"
    debtor_unreachable: bool = Field(
        default=False,
        description="the debtor could not be reached (for a debt-related third party)",
    )
    outcome: Literal["answered", "no_answer", "left_message", "refused_by_customer"] = "answered"
    message: Text = Field(default="", max_length=2000, description="what was said or sent")
    notes: Text = Field(default="", max_length=500)


class ContactRead(BaseModel):
    id: int
    customer_id: int
    loan_id: int | None
    agent_id: int | None
    channel: str
    party: str
    purpose: str
    at: datetime
    outcome: str
    message: str
    notes: str


class ContactPage(BaseModel):
    items: list[ContactRead]
    total: int
    page: int
    page_size: int
