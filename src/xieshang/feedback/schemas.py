"""Survey and report I/O: what a customer answers, a campaign, and the survey and quality reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from xieshang.kit.schemas import Text


class SurveyAnswerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    csat: int | None = Field(default=None, ge=1, le=5, description="satisfaction, 1 (very poor)–5")
    nps: int | None = Field(
        default=None, ge=0, le=10, description="how likely to recommend us, 0–10"
    )
    comment: Text = Field(default="", max_length=2000, description="in the customer's own words")

    @model_validator(mode="after")
    def _something_answered(self) -> Self:
        if self.csat is None and self.nps is None and not self.comment:
            raise ValueError("give at least one of csat, nps or comment")
        return self


class InvitationRead(BaseModel):
    id: int
    trigger: str = Field(description="negotiation, complaint or campaign")
    subject_id: str
    created_at: datetime
    expires_at: datetime
    answered_at: datetime | None


class SurveyAnswerRead(BaseModel):
    invitation_id: int
    csat: int | None
    nps: int | None
    comment: str
    answered_at: datetime


class CampaignCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Text = Field(min_length=1, max_length=100)
    customer_ids: list[Annotated[int, Field(ge=1, le=2**62)]] = Field(
        min_length=1, max_length=10_000
    )


class CampaignRead(BaseModel):
    id: int
    name: str
    invited: int = Field(description="customers invited")
    already_invited: int = Field(description="customers listed twice, invited once")
    expires_at: datetime


class MonthScores(BaseModel):
    month: str = Field(description="YYYY-MM, by the bank's time zone")
    invitations: int
    responses: int
    csat_average: str | None = Field(description="mean of 1–5 answers, two decimals")
    csat_answers: int
    nps: float | None = Field(description="promoters % − detractors %, −100…100")
    nps_answers: int
    promoters: int
    passives: int
    detractors: int


class WordCount(BaseModel):
    word: str
    answers: int = Field(description="answers that use the word")


class SurveyReport(BaseModel):
    start: date
    end: date
    months: list[MonthScores]
    overall: MonthScores
    keywords_zh: list[WordCount] = Field(description="jieba keywords of the Chinese comments")
    words_en: list[WordCount] = Field(description="most used words of the English comments")


class PersonQuality(BaseModel):
    """One member of staff's figures for the period (:mod:`xieshang.feedback.quality` says what
    each counts)."""

    user_id: int
    username: str
    display_name: str
    role: str
    cases_handled: int = 0
    offers_approved: int = 0
    offers_rejected: int = 0
    offers_adjusted: int = 0
    offers_escalated: int = 0
    agreements: int = 0
    agreements_active: int = 0
    agreements_late: int = 0
    agreements_completed: int = 0
    agreements_broken: int = 0
    keep_rate: str | None = None
    """Agreements not broken ÷ agreements, 4 decimals; none without agreements."""
    complaints_decided: int = 0
    complaints_on_time: int = 0
    on_time_share: str | None = None
    """Complaints decided on time ÷ complaints decided, 4 decimals."""
    days_to_decision_mean: str | None = None
    """Mean days from receipt to decision, 1 decimal."""
    complaints_reviewed: int = 0
    complaints_changed_on_review: int = 0
    survey_answers: int = 0
    csat_average: str | None = None
    csat_answers: int = 0
    nps: float | None = None
    nps_answers: int = 0
    contacts_made: int = 0
    contacts_refused: int = 0


class QualityReport(BaseModel):
    start: date
    end: date
    people: list[PersonQuality]
