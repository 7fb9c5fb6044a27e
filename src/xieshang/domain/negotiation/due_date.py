"""A new due date: the remaining installments moved to the day of the month the customer asks for,
for a loan that is up to date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from xieshang.domain import agreement
from xieshang.domain.calendar import add_months
from xieshang.domain.negotiation.approval import Concessions
from xieshang.domain.negotiation.offers import Appraisal, Offer
from xieshang.domain.negotiation.reasons import Reason, money
from xieshang.domain.schedule import RepaymentMethod


def due_date_offer(appraisal: Appraisal) -> Offer | Reason:
    """The remaining installments moved to the day of the month the customer asked for — for a loan
    that is up to date (moving the dates of an overdue loan would re-spread its arrears: that is a
    restructuring, which only a plan may do)."""
    case, assessment = appraisal.case, appraisal.assessment
    day = case.request.preferred_due_day
    assert day is not None
    if assessment.days_past_due > 0:
        return Reason("DUE_DATE_NEEDS_CURRENT", {"days": str(assessment.days_past_due)})
    first_due = _next_day_of_month(case.as_of, day)
    months = max(1, assessment.remaining_months)
    terms = replace(
        appraisal.lawful.loan.terms,
        months=months,
        start_date=case.as_of,
        first_due_date=first_due,
        principal_grace_periods=0,
        level_amount=None,
    )
    if terms.method is RepaymentMethod.BULLET:
        terms = replace(terms, first_due_date=add_months(first_due, months - 1))
    installation = agreement.rescheduled(assessment.debt, terms)
    rows = installation.schedule.installments
    first = rows[0].payment + installation.carried
    payment = rows[1].payment if len(rows) > 2 else rows[-1].payment  # the first has its own days
    said = {
        "day": str(day),
        "first": money(first),
        "payment": money(payment),
        "installment": money(assessment.installment),
    }
    return Offer(
        id="due_date",
        type="due_date_change",
        monthly_payment=payment,
        term_months=months,
        apr=appraisal.contract_rate,
        total_cost=0,
        npv=round(appraisal.baseline),
        concessions=Concessions(),
        approval="automatic",
        checks=(),
        schedule=installation.schedule,
        due_at_signing=installation.carried,
        reasons=(Reason("DUE_DATE_CHANGE", said), Reason("APPROVAL_AUTOMATIC")),
        installation=installation,
    )


def _next_day_of_month(after: date, day: int) -> date:
    """The first date after ``after`` (by at least a week) that falls on ``day`` of its month."""
    candidate = after.replace(day=day)
    while candidate < after + timedelta(days=7):
        candidate = add_months(candidate, 1)
    return candidate
