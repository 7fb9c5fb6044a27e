"""Contact-log rows, and the rows the workbench lists beside them, as read models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from xieshang.contacts.schemas import ContactRead
from xieshang.kit.context import Context
from xieshang.models.contact import ContactAttempt
from xieshang.models.negotiation import NegotiationCase, NegotiationOffer


def contact_read(ctx: Context, row: ContactAttempt) -> ContactRead:
    """A contact, its time in the bank's timezone."""
    return ContactRead(
        id=row.id,
        customer_id=row.customer_id,
        loan_id=row.loan_id,
        agent_id=row.agent_id,
        channel=row.channel,
        party=row.party,
        purpose=row.purpose,
        at=ctx.local(row.at),
        outcome=row.outcome,
        message=row.message,
        notes=row.notes,
    )


@dataclass(frozen=True)
class EarlierCase:
    id: int
    loan_id: int
    scenario: str
    status: str
    created_on: date


def earlier_case(ctx: Context, row: NegotiationCase) -> EarlierCase:
    """A case, opened on its day in the bank's timezone."""
    created_on = ctx.local(row.created_at).date()
    return EarlierCase(row.id, row.loan_id, row.scenario, row.status, created_on)


class AgreementLine(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: int
    case_id: int
    loan_id: int
    kind: str
    status: str
    """active or late (being kept), completed (kept), broken."""
    start_date: date
    broken_on: date | None


@dataclass(frozen=True)
class Escalation:
    offer_id: int
    reason: str
    note: str
    by: str
    at: datetime


def escalation(ctx: Context, row: NegotiationOffer, username: str | None) -> Escalation:
    """An escalated offer: why, by whom (the system when no one), when in the bank's timezone."""
    assert row.escalation_reason is not None
    assert row.escalated_at is not None
    return Escalation(
        offer_id=row.id,
        reason=row.escalation_reason,
        note=row.escalation_note or "",
        by=username or "system",
        at=ctx.local(row.escalated_at),
    )
