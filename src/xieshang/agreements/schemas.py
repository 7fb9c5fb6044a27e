"""Agreement I/O: the consent an accept carries, the terms text, and the customer's agreements —
what they signed, how it stands, and the terms consented to."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from xieshang.negotiations.case_input import _In


class TermsRead(BaseModel):
    """The full terms of an offer as the customer reads them before consenting."""

    offer_id: int
    language: Literal["zh", "en"]
    text: str
    sha256: str = Field(
        description="send this back when accepting: it proves what was consented to"
    )


class AcceptIn(_In):
    consent: Literal[True] = Field(description="the customer agrees to the terms")
    terms_sha256: str = Field(min_length=64, max_length=64, pattern="^[0-9a-f]{64}$")
    channel: Literal["app", "web", "phone", "branch"] = "app"


# -- My agreements: what the customer signed, how it stands, and the terms consented to ----------


class AgreementInstallmentRead(BaseModel):
    """One installment of the schedule an agreement installed, and where it stands today."""

    n: int
    due_date: date
    payment: str
    owed: str = Field(description="still owed on it today (all components)")
    mark: Literal["paid", "due", "overdue", "upcoming", "replaced"] = Field(
        description="paid; due (the next one, not yet late); overdue; upcoming; replaced (a "
        "later agreement put another schedule on the loan)"
    )
    paid_on: date | None = None


class NextDueRead(BaseModel):
    n: int
    due_date: date
    amount: str


class AgreementSummaryRead(BaseModel):
    """An agreement as the customer's list shows it."""

    id: int
    case_id: int
    loan_id: int
    loan_no: str
    kind: str = Field(description="hardship_plan, grace_period, settlement, due_date_change, …")
    status: Literal["active", "late", "broken", "completed"]
    signed_on: date
    start_date: date
    waived: dict[str, str] = Field(
        description="forgiven on condition the agreement is kept, by component (yuan)"
    )
    waived_total: str
    reinstatement: Literal["all", "unpaid_share"] = Field(
        description="what comes back if the agreement breaks: all of it, or the unpaid share"
    )
    reinstated: str
    grace_days: int
    days_late: int
    next_due: NextDueRead | None
    kept: int = Field(description="installments paid within the grace days")
    total: int


class AgreementDetailRead(AgreementSummaryRead):
    """An agreement with its installed schedule and the terms the customer consented to."""

    installments: list[AgreementInstallmentRead]
    forborne: str
    carried: str
    observation_until: date | None
    broken_on: date | None
    completed_on: date | None
    terms_sha256: str
    terms_language: Literal["zh", "en"] | None = Field(
        description="the language of the text whose SHA-256 was consented to; None if the text "
        "can no longer be reproduced (the digest is still the record)"
    )
    terms_text: str | None
    consent_channel: str
    consented_at: datetime


class AgreementPage(BaseModel):
    items: list[AgreementSummaryRead]
    total: int
    page: int
    page_size: int
