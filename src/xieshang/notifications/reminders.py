"""Due-date reminders: each installment is announced once, at most ``reminder_days_before`` days
before it is due.

A reminder is a service message, not collection: it goes only to the debtor, asks for nothing not yet
due, and says how to get help. The conduct rules therefore let it through while a plan performs or a
complaint is open (they stop collection contact, not service messages); it is checked against them
all the same, so a rule a bank adds for service messages applies here too. The installments picked
are those due in (as_of, as_of + N], so a day the job did not run is caught up; the notification's
key (loan, schedule segment, installment, due date) makes a second reminder impossible.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import select

from xieshang.domain.communication import Communication
from xieshang.domain.conduct import ContactRequest, ContactRules, Relation, check_contact
from xieshang.domain.money import display_yuan
from xieshang.kit.context import Context
from xieshang.models.loan import Installment, InstallmentStatus, Loan, LoanStatus
from xieshang.models.notification import Notification
from xieshang.notifications.channels import INBOX
from xieshang.notifications.service import notify


def reminder_key(loan: Loan, installment: Installment) -> str:
    return f"reminder:{loan.id}:{loan.segment}:{installment.number}:{installment.due_date}"


def remind_due(
    ctx: Context, as_of: date, rules: Communication, contact: ContactRules
) -> Counter[str]:
    """Notify every customer with an installment due soon; each reminder in its own transaction."""
    counts: Counter[str] = Counter()
    horizon = as_of + timedelta(days=rules.reminder_days_before)
    rows = ctx.session.execute(
        select(Loan, Installment)
        .join(Installment, Installment.loan_id == Loan.id)
        .where(
            Loan.status == LoanStatus.ACTIVE,
            Installment.status == InstallmentStatus.SCHEDULED,
            Installment.due_date > as_of,
            Installment.due_date <= horizon,
        )
        .order_by(Installment.due_date, Loan.id)
    ).all()
    sent = set(
        ctx.session.scalars(
            select(Notification.key).where(
                Notification.key.in_([reminder_key(loan, item) for loan, item in rows])
            )
        )
    )
    for loan, item in rows:
        key = reminder_key(loan, item)
        if key in sent:
            counts["reminders_already_sent"] += 1
            continue
        refusal = check_contact(_service_message(ctx.local(ctx.now())), contact)
        if refusal is not None:
            counts[f"reminders_refused_{refusal.rule}"] += 1
            continue
        notify(
            ctx,
            loan.customer_id,
            "installment_due",
            {
                "loan_no": loan.loan_no,
                "number": item.number,
                "due_date": item.due_date.isoformat(),
                "amount": display_yuan(item.principal + item.interest),
            },
            key=key,
        )
        ctx.session.commit()
        counts["reminders_sent"] += 1
    return counts


def _service_message(at: datetime) -> ContactRequest:
    return ContactRequest(
        at=at,
        channel=INBOX,
        relation=Relation.DEBTOR,
        attempts_today_on_channel=0,
        collection=False,
    )
