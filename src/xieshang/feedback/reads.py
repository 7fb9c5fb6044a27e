"""Survey rows as the read models the API and pages show (times in the bank's time zone)."""

from __future__ import annotations

from xieshang.feedback.schemas import InvitationRead, SurveyAnswerRead
from xieshang.kit.context import Context
from xieshang.models.feedback import SurveyInvitation, SurveyResponse


def invitation_read(ctx: Context, row: SurveyInvitation) -> InvitationRead:
    return InvitationRead(
        id=row.id,
        trigger=row.trigger,
        subject_id=row.subject_id,
        created_at=ctx.local(row.created_at),
        expires_at=ctx.local(row.expires_at),
        answered_at=ctx.local(row.answered_at) if row.answered_at else None,
    )


def answer_read(ctx: Context, row: SurveyResponse) -> SurveyAnswerRead:
    return SurveyAnswerRead(
        invitation_id=row.invitation_id,
        csat=row.csat,
        nps=row.nps,
        comment=row.comment,
        answered_at=ctx.local(row.answered_at),
    )
