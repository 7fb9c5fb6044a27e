"""Due-date reminders: each installment is announced once, at most ``reminder_days_before`` days
before it is due.

A reminder is a service message, not collection: it goes only to the debtor, asks for nothing not yet
due, and says how to get help. The conduct rules therefore let it through while a plan performs or a
complaint is open (they stop collection contact, not service messages); it is checked against them
all the same, so a rule a bank adds for service messages applies here too. The installments picked
are those due in (as_of, as_of + N], so a day the job did not run is caught up; the notification's
key (loan, schedule segment, installment, due date) makes a second reminder impossible. The use case
is :func:`xieshang.notifications.service.remind_due`.
"""

from __future__ import annotations

from datetime import datetime

from xieshang.domain.conduct import ContactRequest, Relation
from xieshang.domain.money import display_yuan
from xieshang.models.loan import Installment, Loan
from xieshang.notifications.channels import INBOX


def reminder_key(loan: Loan, installment: Installment) -> str:
    return f"reminder:{loan.id}:{loan.segment}:{installment.number}:{installment.due_date}"


def reminder_params(loan: Loan, installment: Installment) -> dict[str, str]:
    """What the ``installment_due`` template says: which loan, which installment, when, how much."""
    return {
        "loan_no": loan.loan_no,
        "number": str(installment.number),
        "due_date": installment.due_date.isoformat(),
        "amount": display_yuan(installment.principal + installment.interest),
    }


def service_message(at: datetime) -> ContactRequest:
    return ContactRequest(
        at=at,
        channel=INBOX,
        relation=Relation.DEBTOR,
        attempts_today_on_channel=0,
        collection=False,
    )
