"""Complaint I/O: what a customer, an agent or an import sends, and what each of them reads back.

The complaint's text is returned exactly as received, as JSON data; nothing here renders markup.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from xieshang.kit.schemas import Text
from xieshang.text.categories import Category

Channel = Literal["app", "web", "phone", "visit", "letter", "regulator_referral", "import"]
CUSTOMER_CHANNELS = ("app", "web")
RootCause = Literal[
    "product_design",
    "disclosure",
    "pricing",
    "staff_conduct",
    "process_error",
    "system_error",
    "third_party_partner",
    "collection_practice",
    "credit_reporting_error",
    "fraud",
    "customer_misunderstanding",
    "other",
]
"""Root-cause tags (溯源整改, 投诉办法 第二十六条): what the bank must fix, counted in the report."""
Decision = Literal["upheld", "partially_upheld", "not_upheld"]
NoticeChannel = Literal["inbox", "sms", "email", "letter", "phone"]
"""第二十一条: a letter posted, an SMS or e-mail sent, a call made — the in-app notice is always sent
and its id kept; another channel used besides is recorded with its reference."""
Id = Annotated[int, Field(ge=1, le=2**62)]
Note = Annotated[Text, Field(max_length=2000)]
ComplaintText = Annotated[Text, Field(min_length=1, max_length=20_000)]
Group = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,47}$")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ComplaintCreate(_In):
    text: ComplaintText = Field(description="the complaint in the customer's words (kept verbatim)")
    customer_id: Id | None = Field(
        default=None, description="staff recording a complaint: whose it is"
    )
    loan_id: Id | None = None
    channel: Channel = Field(default="app", description="customers file through app or web")
    received_at: AwareDatetime | None = Field(
        default=None,
        description="staff recording a call, visit or letter: when it was really received (not "
        "in the future); default now",
    )

    @field_validator("received_at")
    @classmethod
    def _plausible(cls, value: datetime | None) -> datetime | None:
        if value is not None and not 2000 <= value.year <= 2100:
            raise ValueError("must be a time between the years 2000 and 2100")
        return value


class NoteIn(_In):
    note: Note = Field(min_length=1)
    customer_visible: bool = False


class StepIn(_In):
    note: Note = ""


class AssignIn(_In):
    assignee_id: Id | None = Field(default=None, description="an agent or supervisor")
    group: Group | None = None


class ExtendIn(_In):
    extension: Literal["complex", "special"]
    reason: Annotated[Text, Field(min_length=1, max_length=1000)] = Field(
        description="why: the customer is told (第十八条)"
    )


class PauseIn(_In):
    reason: Literal["external_assessment", "mediation"]
    note: Note = ""


class NewFactsIn(_In):
    text: ComplaintText = Field(description="the new facts or reasons: the clock restarts today")


class ClassifyIn(_In):
    category: Category | None = Field(default=None, description="the category staff confirm")
    root_causes: list[RootCause] | None = Field(default=None, max_length=12)


class DecideIn(_In):
    decision: Decision
    facts: Annotated[Text, Field(min_length=1, max_length=4000)] = Field(
        description="the facts as verified (核实情况)"
    )
    basis: Annotated[Text, Field(min_length=1, max_length=2000)] = Field(
        description="the contract clause, policy or regulation the decision rests on, and why"
    )
    remedy: Annotated[Text, Field(max_length=2000)] = Field(
        default="", description="what the bank will do (a refund, a correction), if anything"
    )


class NotifyIn(_In):
    channel: NoticeChannel = "inbox"
    reference: Annotated[Text, Field(max_length=128)] | None = Field(
        default=None, description="the letter's tracking number, the SMS id, the call record"
    )


class ReviewRequestIn(_In):
    reason: Annotated[Text, Field(min_length=1, max_length=4000)]
    requested_on: date | None = Field(
        default=None, description="staff recording a written request: the day it was received"
    )


class ReviewDecisionIn(_In):
    outcome: Literal["upheld", "changed"]
    findings: Annotated[Text, Field(min_length=1, max_length=4000)] = Field(
        description="what the review found about the process, the time limit and the outcome"
    )


class HolderRead(BaseModel):
    group: str
    handler: str | None = Field(description="the named person who holds it (首问负责制)")


class EventRead(BaseModel):
    at: datetime
    kind: str
    status: str
    by: str = Field(description="customer, agent, supervisor, compliance, admin or system")
    note: str
    customer_visible: bool


class AttachmentRead(BaseModel):
    id: int
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class ClockRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    received_on: date
    decision_due: date
    extension: str
    extension_reason: str | None
    paused_days: int
    paused_since: date | None
    pause_reason: str | None
    restarted_on: date | None
    review_due: date | None


class TriageRead(BaseModel):
    category: str
    scores: dict[str, float]
    urgency: str
    urgency_reasons: list[str]
    flags: list[str]
    sentiment: str
    suggested_group: str
    language: str


class DecisionRead(BaseModel):
    decision: str
    decided_on: date
    letter_zh: str
    letter_en: str
    notified_at: datetime | None
    notice_channel: str | None
    notice_reference: str | None
    notification_id: int | None


class ReviewRead(BaseModel):
    requested_on: date
    reason: str
    due: date
    outcome: str | None
    decided_on: date | None
    letter_zh: str | None
    letter_en: str | None
    notification_id: int | None


class ComplaintSummary(BaseModel):
    id: int
    customer_id: int
    status: str
    category: str
    channel: str
    urgency: str
    flags: list[str] = Field(
        description="triage's regulatory-risk flags (a regulator threat…); staff only, empty for "
        "a customer"
    )
    received_at: datetime
    due: date = Field(description="the decision's due date, or the review's while one runs")
    paused: bool
    held_by: HolderRead


class ComplaintPage(BaseModel):
    items: list[ComplaintSummary]
    total: int
    page: int
    page_size: int


class TimelineRead(BaseModel):
    """What the customer sees: what happened, who holds it, when the decision is due."""

    id: int
    status: str
    channel: str
    received_at: datetime
    text: str = Field(description="the complaint exactly as received")
    decision_due: date
    held_by: HolderRead
    decision: DecisionRead | None
    review: ReviewRead | None
    attachments: list[AttachmentRead]
    events: list[EventRead]


class ComplaintRead(TimelineRead):
    """The whole record, for staff."""

    customer_id: int
    loan_id: int | None
    external_ref: str | None
    normalized_text: str
    triage: TriageRead
    confirmed_category: str | None
    root_causes: list[str]
    clock: ClockRead
    escalated: bool
    version: int
