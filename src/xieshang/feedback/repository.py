"""Every query of surveys and of the records the quality report counts (flush only, never commit).

Times are UTC instants; a period is ``[lower, upper)``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import Row, select

from xieshang.kit.context import Context
from xieshang.models.audit import AuditEntry
from xieshang.models.complaint import Complaint
from xieshang.models.contact import ContactAttempt
from xieshang.models.customer import Customer
from xieshang.models.feedback import SurveyInvitation, SurveyResponse
from xieshang.models.negotiation import Agreement, NegotiationCase, NegotiationOffer
from xieshang.models.user import User

# --------------------------------------------------------------------------------------------
# Surveys
# --------------------------------------------------------------------------------------------


def invitation_about(
    ctx: Context, customer_id: int, trigger: str, subject_id: str
) -> SurveyInvitation | None:
    """The customer's invitation about one thing, if they were invited."""
    return ctx.session.scalar(
        select(SurveyInvitation).where(
            SurveyInvitation.customer_id == customer_id,
            SurveyInvitation.trigger == trigger,
            SurveyInvitation.subject_id == subject_id,
        )
    )


def invitation_by_id(ctx: Context, invitation_id: int) -> SurveyInvitation | None:
    return ctx.session.get(SurveyInvitation, invitation_id)


def open_invitations(ctx: Context, customer_id: int, now: datetime) -> Sequence[SurveyInvitation]:
    """The customer's invitations not answered and not expired at ``now``, newest first (100)."""
    return ctx.session.scalars(
        select(SurveyInvitation)
        .where(
            SurveyInvitation.customer_id == customer_id,
            SurveyInvitation.answered_at.is_(None),
            SurveyInvitation.expires_at > now,
        )
        .order_by(SurveyInvitation.id.desc())
        .limit(100)
    ).all()


def known_customer_ids(ctx: Context, ids: Collection[int]) -> set[int]:
    """Those of ``ids`` that are customers."""
    return set(ctx.session.scalars(select(Customer.id).where(Customer.id.in_(ids))))


def customer_ids_by_number(ctx: Context, numbers: Collection[str]) -> dict[str, int]:
    """Customer number → id, for the numbers that exist."""
    rows = ctx.session.execute(
        select(Customer.customer_no, Customer.id).where(Customer.customer_no.in_(numbers))
    )
    return {row.customer_no: row.id for row in rows}


def answers_between(ctx: Context, lower: datetime, upper: datetime) -> Sequence[SurveyResponse]:
    return ctx.session.scalars(
        select(SurveyResponse).where(
            SurveyResponse.answered_at >= lower, SurveyResponse.answered_at < upper
        )
    ).all()


def invitation_times_between(ctx: Context, lower: datetime, upper: datetime) -> Sequence[datetime]:
    """When each invitation of the period was sent."""
    return ctx.session.scalars(
        select(SurveyInvitation.created_at).where(
            SurveyInvitation.created_at >= lower, SurveyInvitation.created_at < upper
        )
    ).all()


def answers_about_between(
    ctx: Context, lower: datetime, upper: datetime, triggers: Collection[str]
) -> Sequence[Row[SurveyResponse, str, str]]:
    """(answer, its invitation's trigger, subject id) for answers given in the period to
    invitations of one of ``triggers``."""
    return ctx.session.execute(
        select(SurveyResponse, SurveyInvitation.trigger, SurveyInvitation.subject_id)
        .join(SurveyInvitation, SurveyInvitation.id == SurveyResponse.invitation_id)
        .where(
            SurveyResponse.answered_at >= lower,
            SurveyResponse.answered_at < upper,
            SurveyInvitation.trigger.in_(triggers),
        )
    ).all()


def subjects_answered_between(
    ctx: Context, trigger: str, lower: datetime, upper: datetime
) -> Sequence[str]:
    """The subject ids of invitations of ``trigger`` answered in the period."""
    return ctx.session.scalars(
        select(SurveyInvitation.subject_id)
        .join(SurveyResponse, SurveyResponse.invitation_id == SurveyInvitation.id)
        .where(
            SurveyInvitation.trigger == trigger,
            SurveyResponse.answered_at >= lower,
            SurveyResponse.answered_at < upper,
        )
    ).all()


# --------------------------------------------------------------------------------------------
# What the quality report counts
# --------------------------------------------------------------------------------------------


def users_by_ids(ctx: Context, ids: Collection[int]) -> dict[int, User]:
    return {u.id: u for u in ctx.session.scalars(select(User).where(User.id.in_(ids)))}


def cases_opened_between(
    ctx: Context, lower: datetime, upper: datetime
) -> Sequence[Row[int, int | None]]:
    """(case id, who opened it) of the cases a person opened in the period."""
    return ctx.session.execute(
        select(NegotiationCase.id, NegotiationCase.created_by).where(
            NegotiationCase.created_by.is_not(None),
            NegotiationCase.created_at >= lower,
            NegotiationCase.created_at < upper,
        )
    ).all()


def offers_made_or_decided_between(
    ctx: Context, lower: datetime, upper: datetime
) -> Sequence[NegotiationOffer]:
    return ctx.session.scalars(
        select(NegotiationOffer).where(
            (NegotiationOffer.created_at >= lower) & (NegotiationOffer.created_at < upper)
            | (NegotiationOffer.decided_at >= lower) & (NegotiationOffer.decided_at < upper)
        )
    ).all()


def agreements_signed_between(
    ctx: Context, lower: datetime, upper: datetime
) -> Sequence[Agreement]:
    return ctx.session.scalars(
        select(Agreement).where(Agreement.consented_at >= lower, Agreement.consented_at < upper)
    ).all()


def case_openers(ctx: Context, case_ids: Collection[int]) -> Sequence[Row[int, int | None]]:
    """(case id, who opened it or None) of the cases."""
    return ctx.session.execute(
        select(NegotiationCase.id, NegotiationCase.created_by).where(
            NegotiationCase.id.in_(case_ids)
        )
    ).all()


def offers_of_cases(ctx: Context, case_ids: Collection[int]) -> Sequence[NegotiationOffer]:
    return ctx.session.scalars(
        select(NegotiationOffer).where(NegotiationOffer.case_id.in_(case_ids))
    ).all()


def consent_recorders(ctx: Context, case_ids: Collection[int]) -> Sequence[Row[int, int | None]]:
    """(case id, who recorded the customer's consent or None) of the cases' agreements."""
    return ctx.session.execute(
        select(Agreement.case_id, Agreement.accepted_by).where(Agreement.case_id.in_(case_ids))
    ).all()


def complaints_decided_between(ctx: Context, start: date, end: date) -> Sequence[Complaint]:
    """Complaints a person decided from ``start`` to ``end`` (local days, both included)."""
    return ctx.session.scalars(
        select(Complaint).where(
            Complaint.decided_by.is_not(None),
            Complaint.decided_on >= start,
            Complaint.decided_on <= end,
        )
    ).all()


def complaint_deciders(ctx: Context, complaint_ids: Collection[int]) -> dict[int, int | None]:
    """Complaint id → who decided it (None before a decision)."""
    rows = ctx.session.execute(
        select(Complaint.id, Complaint.decided_by).where(Complaint.id.in_(complaint_ids))
    )
    return {row.id: row.decided_by for row in rows}


def contact_agents_between(ctx: Context, lower: datetime, upper: datetime) -> Sequence[int | None]:
    """The agent of each contact a person made in the period."""
    return ctx.session.scalars(
        select(ContactAttempt.agent_id).where(
            ContactAttempt.at >= lower,
            ContactAttempt.at < upper,
            ContactAttempt.agent_id.is_not(None),
        )
    ).all()


def actors_between(ctx: Context, action: str, lower: datetime, upper: datetime) -> Sequence[str]:
    """The actor of each audit entry of ``action`` in the period."""
    return ctx.session.scalars(
        select(AuditEntry.actor).where(
            AuditEntry.action == action, AuditEntry.at >= lower, AuditEntry.at < upper
        )
    ).all()
