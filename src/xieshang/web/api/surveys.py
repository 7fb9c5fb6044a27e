"""Surveys: a customer's open invitations and their answer; campaigns; the scores report."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Path, Query

from xieshang.feedback import analytics
from xieshang.feedback import service as surveys
from xieshang.feedback.schemas import (
    CampaignCreate,
    CampaignRead,
    InvitationRead,
    SurveyAnswerCreate,
    SurveyAnswerRead,
    SurveyReport,
)
from xieshang.web.deps import UserContext
from xieshang.web.routing import Router

router = Router(tags=["surveys"])
Id = Annotated[int, Path(ge=1, le=2**62)]


@router.get("/me/surveys", name="surveys.mine")
def my_surveys(ctx: UserContext) -> list[InvitationRead]:
    """The signed-in customer's survey invitations still open."""
    return surveys.my_open_surveys(ctx)


@router.post("/me/surveys/{invitation_id}/answer", name="surveys.answer", status_code=201)
def answer(ctx: UserContext, invitation_id: Id, data: SurveyAnswerCreate) -> SurveyAnswerRead:
    """Answer an invitation once: CSAT 1–5, NPS 0–10 and/or a comment. A second answer or an expired
    invitation is a 409."""
    return surveys.answer(ctx, invitation_id, data)


@router.post("/surveys/campaigns", name="surveys.campaigns.create", status_code=201)
def create_campaign(ctx: UserContext, data: CampaignCreate) -> CampaignRead:
    """Invite a set of customers to a periodic survey."""
    return surveys.create_campaign(ctx, data)


@router.get("/surveys/report", name="surveys.report")
def report(
    ctx: UserContext,
    start: Annotated[
        date | None, Query(alias="from", description="first day (twelve months before to)")
    ] = None,
    end: Annotated[date | None, Query(alias="to", description="last day (today)")] = None,
) -> SurveyReport:
    """CSAT and NPS by month, and the words customers use (jieba keywords for Chinese comments)."""
    return analytics.survey_report(ctx, start, end)
