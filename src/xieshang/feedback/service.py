"""Survey use cases: invitations, campaigns and answers.

An invitation asks one customer about one thing — a negotiation case resolved (agreement completed or
broken, case declined or expired), a complaint resolved, or a campaign — at most once per thing; it
can be answered once, until it expires (policy ``communication.survey_valid_days``). The invitation
reaches the customer as a notification (inbox, and their other channels).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from xieshang.audit.service import record
from xieshang.domain.errors import AlreadyAnswered, InvalidInput, InvitationExpired, NotFound
from xieshang.feedback import repository
from xieshang.feedback.reads import answer_read, invitation_read
from xieshang.feedback.schemas import (
    CampaignCreate,
    CampaignRead,
    InvitationRead,
    SurveyAnswerCreate,
    SurveyAnswerRead,
)
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.models.feedback import SurveyCampaign, SurveyInvitation, SurveyResponse
from xieshang.notifications.service import notify
from xieshang.policy.in_force import policy_in_force


def invite_after_negotiation(ctx: Context, customer_id: int, case_id: int) -> SurveyInvitation:
    """Invite the customer to rate a resolved negotiation (flush only: the caller's change commits
    it). Calling it again for the same case returns the first invitation."""
    return _invite(
        ctx, customer_id, "negotiation", str(case_id), "survey_after_negotiation", "case"
    )


def invite_after_complaint(
    ctx: Context, customer_id: int, complaint_id: object
) -> SurveyInvitation:
    """Invite the customer to rate how a complaint was handled (flush only; once per complaint)."""
    return _invite(
        ctx, customer_id, "complaint", str(complaint_id), "survey_after_complaint", "complaint"
    )


def _invite(
    ctx: Context, customer_id: int, trigger: str, subject_id: str, template: str, param: str
) -> SurveyInvitation:
    found = repository.invitation_about(ctx, customer_id, trigger, subject_id)
    if found is not None:
        return found
    now = ctx.now()
    invitation = SurveyInvitation(
        customer_id=customer_id,
        trigger=trigger,
        subject_id=subject_id,
        created_at=now,
        expires_at=now + timedelta(days=policy_in_force(ctx).communication.survey_valid_days),
        answered_at=None,
    )
    ctx.session.add(invitation)
    ctx.session.flush()
    expires_on = ctx.local(invitation.expires_at).date().isoformat()
    notify(ctx, customer_id, template, {param: subject_id, "expires_on": expires_on})
    record(
        ctx,
        "survey.invite",
        "survey_invitation",
        invitation.id,
        details={"customer": customer_id, "trigger": trigger, "subject": subject_id},
    )
    return invitation


def create_campaign(ctx: Context, data: CampaignCreate) -> CampaignRead:
    """A periodic survey: every listed customer is invited once (one commit)."""
    authorize(ctx, "surveys.campaigns.create")
    wanted = list(dict.fromkeys(data.customer_ids))
    known = repository.known_customer_ids(ctx, wanted)
    unknown = [i for i in wanted if i not in known]
    if unknown:
        shown = ", ".join(str(i) for i in unknown[:5])
        raise InvalidInput("customer_ids", f"no such customers: {shown}")
    campaign = SurveyCampaign(name=data.name, created_at=ctx.now(), created_by=ctx.user_id)
    ctx.session.add(campaign)
    ctx.session.flush()
    record(
        ctx,
        "survey.campaign.create",
        "survey_campaign",
        campaign.id,
        details={"customers": len(wanted)},
    )
    expires = ctx.now()
    for customer_id in wanted:
        invitation = _invite(
            ctx, customer_id, "campaign", str(campaign.id), "survey_campaign", "campaign"
        )
        expires = invitation.expires_at
    ctx.session.commit()
    return CampaignRead(
        id=campaign.id,
        name=campaign.name,
        invited=len(wanted),
        already_invited=len(data.customer_ids) - len(wanted),
        expires_at=ctx.local(expires),
    )


def _own_customer_id(ctx: Context) -> int:
    if ctx.user is None or ctx.user.customer_id is None:
        raise NotFound("surveys", "of this user")
    return ctx.user.customer_id


def my_open_surveys(ctx: Context) -> list[InvitationRead]:
    """The signed-in customer's invitations still open (not answered, not expired), newest first."""
    authorize(ctx, "surveys.mine")
    rows = repository.open_invitations(ctx, _own_customer_id(ctx), ctx.now())
    return [invitation_read(ctx, row) for row in rows]


def answer(ctx: Context, invitation_id: int, data: SurveyAnswerCreate) -> SurveyAnswerRead:
    """Record the customer's one answer to an invitation of theirs."""
    authorize(ctx, "surveys.answer")
    invitation = repository.invitation_by_id(ctx, invitation_id)
    if invitation is None or invitation.customer_id != _own_customer_id(ctx):
        raise NotFound("survey invitation", invitation_id)
    now = ctx.now()
    if invitation.answered_at is not None:
        raise AlreadyAnswered(invitation_id)
    if invitation.expires_at <= now:
        expired = ctx.local(invitation.expires_at).date()
        raise InvitationExpired(invitation_id, expired)
    response = SurveyResponse(
        invitation_id=invitation.id,
        csat=data.csat,
        nps=data.nps,
        comment=data.comment,
        answered_at=now,
    )
    invitation.answered_at = now
    ctx.session.add(response)
    try:
        ctx.session.flush()
    except IntegrityError:  # a simultaneous answer won
        ctx.session.rollback()
        raise AlreadyAnswered(invitation_id) from None
    record(
        ctx,
        "survey.answer",
        "survey_invitation",
        invitation.id,
        details={"csat": data.csat, "nps": data.nps, "comment_chars": len(data.comment)},
    )
    ctx.session.commit()
    return answer_read(ctx, response)


def customer_ids(ctx: Context, numbers: list[str]) -> list[int]:
    """The ids of customers by their customer numbers, in order; an unknown number is an error."""
    found = repository.customer_ids_by_number(ctx, numbers)
    unknown = [n for n in numbers if n not in found]
    if unknown:
        raise InvalidInput("customers", f"no such customer numbers: {', '.join(unknown[:5])}")
    return [found[n] for n in numbers]
