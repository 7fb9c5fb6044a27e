"""A loan's state as the nightly close of business stores it: days past due, bucket,
five-category classification, principal outstanding, what is owed now, each installment's status,
and whether the loan is paid off."""

from __future__ import annotations

from datetime import timedelta

from xieshang.audit.service import record
from xieshang.domain.accrual import LedgerState
from xieshang.domain.delinquency import LOAN_THRESHOLDS, Buckets
from xieshang.kit.context import Context
from xieshang.models.loan import InstallmentStatus, Loan, LoanStatus

BUCKETS = Buckets()


def store_state(ctx: Context, loan: Loan, state: LedgerState) -> list[str]:
    """Store the loan's state; its audit entries are recorded after it, so the flush that writes
    the loan (and holds its row) comes before the audit chain's lock."""
    events = []
    as_of = state.as_of
    dpd = state.days_past_due
    observing = loan.restructured and (loan.observation_until or as_of) >= as_of
    classification = LOAN_THRESHOLDS.classify(dpd, restructured=observing).value
    was = loan.classification
    loan.days_past_due = dpd
    loan.bucket = BUCKETS.bucket(dpd)
    loan.classification = classification
    loan.principal_outstanding = state.outstanding_principal
    loan.owed_now = sum(s.total_owed for s in state.due())
    grace = timedelta(days=loan.product.grace_days)
    by_number = {s.installment.number: s for s in state.installments}
    for row in loan.installments:
        item = by_number[row.number]
        if item.total_owed == 0 and (item.cleared_on is not None or row.due_date <= as_of):
            status = InstallmentStatus.PAID
        elif row.due_date > as_of:
            status = InstallmentStatus.SCHEDULED
        elif as_of <= row.due_date + grace:
            status = InstallmentStatus.DUE
        else:
            status = InstallmentStatus.LATE
        row.status = status
    paid_off = state.paid_off and loan.status is not LoanStatus.PAID_OFF
    if paid_off:
        loan.status = LoanStatus.PAID_OFF
    loan.closed_through = as_of
    if classification != was:
        record(
            ctx,
            "loan.classification",
            "loan",
            loan.id,
            before={"classification": was},
            after={"classification": classification, "on": as_of.isoformat(), "dpd": dpd},
        )
        events.append("classification_changed")
    if paid_off:
        record(ctx, "loan.paid_off", "loan", loan.id, after={"on": as_of.isoformat()})
        events.append("loans_paid_off")
    return events
