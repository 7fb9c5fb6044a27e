"""Holding an agreement to account each day (the nightly close of business): kept, late within the
grace the policy allows, broken after it — reinstating conditional concessions — or completed."""

from __future__ import annotations

from xieshang.audit.service import record
from xieshang.domain import agreement as domain
from xieshang.domain.accrual import LedgerState
from xieshang.domain.calendar import add_months
from xieshang.domain.money import display_yuan, to_yuan
from xieshang.feedback.service import invite_after_negotiation
from xieshang.kit.context import Context
from xieshang.models.loan import Loan, LoanTransaction, TransactionKind
from xieshang.models.negotiation import (
    Agreement,
    AgreementStatus,
)
from xieshang.negotiations.schemas import InstallationRead
from xieshang.notifications.service import notify
from xieshang.policy.in_force import in_force


def review(ctx: Context, agreement: Agreement, loan: Loan, state: LedgerState) -> str | None:
    """Judge a performing agreement on ``state.as_of`` (the nightly job, one day at a time): kept,
    late within grace, broken after it — reinstating conditional concessions and resuming
    collection — or completed. Returns what changed (``late``, ``broken``, ``completed``,
    ``kept``) or None."""
    policy = in_force(ctx, state.as_of).policy  # the policy of the day judged
    rules = policy.agreements
    verdict = domain.judge(state, rules.grace_days)
    day = state.as_of
    agreement.days_late = verdict.days_late
    agreement.judged_through = day
    before = agreement.status
    if verdict.standing is domain.Standing.COMPLETED:
        agreement.status = AgreementStatus.COMPLETED
        agreement.completed_on = day
        invite_after_negotiation(ctx, agreement.customer_id, agreement.case_id)
        notify(
            ctx,
            agreement.customer_id,
            "agreement_completed",
            {
                "loan_no": loan.loan_no,
                "completed_on": day.isoformat(),
                "conditional": display_yuan(agreement.conditional),
            },
        )
    elif verdict.standing is domain.Standing.BROKEN:
        _break(ctx, agreement, loan, state, domain.Reinstatement(rules.reinstatement))
    elif verdict.standing is domain.Standing.LATE:
        if before == "late":
            return None
        agreement.status = AgreementStatus.LATE
        months = policy.regulatory.observation_period_months
        if loan.restructured:  # a missed payment restarts the observation period (第二十条)
            loan.observation_until = max(loan.observation_until or day, add_months(day, months))
        notify(
            ctx,
            agreement.customer_id,
            "agreement_late",
            {
                "loan_no": loan.loan_no,
                "days_late": verdict.days_late,
                "owed": display_yuan(sum(s.total_owed for s in state.due())),
                "grace_days": rules.grace_days,
            },
        )
    else:
        if before == "active":
            return None
        agreement.status = AgreementStatus.ACTIVE
    record(
        ctx,
        f"agreement.{agreement.status}",
        "agreement",
        agreement.id,
        before={"status": before},
        after={"status": agreement.status, "on": day.isoformat(), "days_late": verdict.days_late},
    )
    return "kept" if agreement.status == "active" else agreement.status


def _break(
    ctx: Context,
    agreement: Agreement,
    loan: Loan,
    state: LedgerState,
    rule: domain.Reinstatement,
) -> None:
    installation = installation_of(agreement)
    back = domain.reinstated(installation, state, rule)
    amount = sum(back.values())
    agreement.status = AgreementStatus.BROKEN
    agreement.broken_on = state.as_of
    agreement.reinstated = amount
    if amount:
        oldest = next(
            (s.installment.number for s in state.installments if s.total_owed > 0),
            state.installments[-1].installment.number,
        )
        parts = ", ".join(f"{c.value} {to_yuan(v)}" for c, v in back.items())
        ctx.session.add(
            LoanTransaction(
                loan_id=loan.id,
                kind=TransactionKind.REINSTATED,
                value_date=state.as_of,
                amount=amount,
                reference=f"agreement-{agreement.id}-reinstated",
                installment=oldest,
                description=f"协议失效，恢复附条件减免 concessions reinstated: {parts}"[:200],
                channel="agreement",
                segment=loan.segment,
                created_by=None,
                created_at=ctx.now(),
            )
        )
    invite_after_negotiation(ctx, agreement.customer_id, agreement.case_id)
    notify(
        ctx,
        agreement.customer_id,
        "agreement_broken",
        {
            "loan_no": loan.loan_no,
            "grace_days": in_force(ctx, state.as_of).policy.agreements.grace_days,
            "broken_on": state.as_of.isoformat(),
            "reinstated": display_yuan(amount),
        },
    )


def installation_of(agreement: Agreement) -> domain.Installation:
    return InstallationRead.model_validate_json(agreement.installation).to_installation()
