"""The weeks before the demo day: what the staff did, so the supervisor's quality tables and the
complaint statistics have figures to show.

Everything goes through the services, each call made with the clock set to the day and office hour
it happened (:func:`acting`), so the rows, their deadlines and the audit chain read as if it had
happened then:

- negotiations opened in the app over the last ten weeks, decided by agent1 and agent2 (one
  escalated by agent2 and approved by supervisor1, one adjusted by agent2 and declined by the
  customer), the customer's consent recorded by phone; the kept plans are paid on their due dates,
  one is never paid, so the close of business finds it broken;
- complaints received over the last three months through the app, the web and by phone (recorded by
  an agent), each acknowledged, classified, decided (two of them late) and notified; those past
  their review period are closed, one goes to review and supervisor1 changes the decision;
- collection calls made in allowed hours, and one the conduct rules refuse (after 21:00), through
  the collection service the caller passes in (:data:`MakeContact`);
- survey answers from the customers whose complaints or cases were handled.

Customers who complain in the app or answer a survey have an app login of their own (``app`` and
their customer number, with an unguessable password: the demo's published password is for the
logins the landing page lists). The same seed gives the same activity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from xieshang.demo.actor import Activity, MakeContact
from xieshang.demo.complaint_activity import (
    COMPLAINTS,
    complaint_customers,
    contacts,
    handle_complaint,
)
from xieshang.kit.context import Context


@dataclass(frozen=True)
class DemoActivity:
    """What :func:`seed_activity` made."""

    agreements: int
    complaints: int
    contacts: int
    contacts_refused: int
    survey_answers: int


def seed_activity(
    ctx: Context,
    as_of: date,
    seed: int,
    reserved: list[int],
    contact: MakeContact | None = None,
) -> DemoActivity:
    """Staff activity over the three months before ``as_of`` (see the module); ``reserved`` are the
    customers of the demo logins, whose loans keep the state the landing page describes. Without
    ``contact`` no collection contacts are made."""
    work = Activity(ctx, as_of, seed, set(reserved), contact)
    # Negotiations, oldest first: two signed ten weeks ago (one kept, one broken), then recent ones.
    work.approved_agreement(75, "agent2", kept=True)
    work.approved_agreement(70, "agent1", kept=False)
    work.approved_agreement(26, "supervisor1", kept=True, escalate_by="agent2")
    work.approved_agreement(21, "agent1", kept=True)
    work.approved_agreement(18, "agent2", kept=True)
    work.approved_agreement(13, "agent1", kept=True)
    work.adjusted_and_declined(12, "agent2")
    customers = complaint_customers(work)
    for spec, customer_id in zip(COMPLAINTS, customers, strict=False):
        handle_complaint(work, spec, customer_id)
    contacts(work)
    return DemoActivity(
        agreements=work.agreements,
        complaints=work.complaints,
        contacts=work.made,
        contacts_refused=work.refused,
        survey_answers=work.answers,
    )
