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
