"""An agreement as the customer and staff read it: "my agreements" and one agreement in full.

What each agreement installed, how it stands (kept, late within grace, broken, completed), what was
waived and on what condition, the next installment and the progress — computed from the ledger of
the schedule the agreement installed — and the terms the customer consented to: the text is
generated again from the stored offer and shown only if its SHA-256 is the one in the consent record.
A customer sees only their own agreements (anyone else's answers "not found"); staff see any.
"""

from __future__ import annotations

from datetime import date

from xieshang.agreements.offer_terms import terms_for
from xieshang.agreements.repository import case_and_offer
from xieshang.agreements.schemas import (
    AgreementDetailRead,
    AgreementInstallmentRead,
    AgreementSummaryRead,
    NextDueRead,
)
from xieshang.domain.accrual import InstallmentState, ledger_as_of
from xieshang.domain.money import to_yuan, yuan
from xieshang.kit.context import Context
from xieshang.loans.ledger import to_ledger
from xieshang.loans.service import require_loan
from xieshang.models.loan import Loan
from xieshang.models.negotiation import Agreement
from xieshang.negotiations.schemas import InstallationRead
from xieshang.policy.in_force import policy_in_force


class AgreementView:
    """One agreement with its loan and the ledger of the schedule it installed, as of today."""

    def __init__(self, ctx: Context, row: Agreement) -> None:
        self.ctx = ctx
        self.row = row
        self.loan: Loan = require_loan(ctx, row.loan_id)
        self.today = ctx.today()
        self.plan = InstallationRead.model_validate_json(row.installation)
        self.rules = policy_in_force(ctx).agreements
        # A later agreement replaced this schedule: its ledger is no longer the loan's.
        self.current = self.loan.segment == row.segment
        self.states: tuple[InstallmentState, ...] = ()
        if self.current:
            day = max(self.today, self.row.start_date)
            self.states = ledger_as_of(to_ledger(self.loan), day).installments

    def installments(self) -> list[AgreementInstallmentRead]:
        if not self.current:
            schedule = self.plan.to_installation().schedule
            return [
                AgreementInstallmentRead(
                    n=i.number,
                    due_date=i.due_date,
                    payment=to_yuan(i.payment),
                    owed=to_yuan(0),
                    mark="replaced",
                )
                for i in schedule.installments
            ]
        rows = []
        next_found = False
        for state in self.states:
            inst = state.installment
            if state.total_owed <= 0:
                mark = "paid"
            elif inst.due_date < self.today:
                mark = "overdue"
            elif not next_found:
                mark, next_found = "due", True
            else:
                mark = "upcoming"
            rows.append(
                AgreementInstallmentRead(
                    n=inst.number,
                    due_date=inst.due_date,
                    payment=to_yuan(inst.payment),
                    owed=to_yuan(max(state.total_owed, 0)),
                    mark=mark,  # type: ignore[arg-type]
                    paid_on=state.cleared_on if mark == "paid" else None,
                )
            )
        return rows

    def _next_due(self) -> NextDueRead | None:
        if self.row.status in ("broken", "completed") or not self.current:
            return None
        for state in self.states:
            if state.total_owed > 0:
                inst = state.installment
                return NextDueRead(
                    n=inst.number, due_date=inst.due_date, amount=to_yuan(state.total_owed)
                )
        return None

    def _kept(self) -> int:
        grace = self.rules.grace_days
        return sum(
            1
            for s in self.states
            if s.total_owed <= 0
            and s.cleared_on is not None
            and (s.cleared_on - s.installment.due_date).days <= grace
        )

    def summary(self) -> AgreementSummaryRead:
        row = self.row
        waived = {c: v for c, v in self.plan.conditional.items() if yuan(v) > 0}
        total = len(self.states) if self.current else len(self.installments())
        return AgreementSummaryRead(
            id=row.id,
            case_id=row.case_id,
            loan_id=row.loan_id,
            loan_no=self.loan.loan_no,
            kind=row.kind,
            status=row.status,  # type: ignore[arg-type]
            signed_on=_local_day(self.ctx, row),
            start_date=row.start_date,
            waived=waived,
            waived_total=to_yuan(row.conditional),
            reinstatement=self.rules.reinstatement,  # type: ignore[arg-type]
            reinstated=to_yuan(row.reinstated),
            grace_days=self.rules.grace_days,
            days_late=row.days_late,
            next_due=self._next_due(),
            kept=self._kept(),
            total=total,
        )

    def detail(self) -> AgreementDetailRead:
        row = self.row
        language, text = self._terms()
        return AgreementDetailRead(
            **self.summary().model_dump(),
            installments=self.installments(),
            forborne=self.plan.forborne,
            carried=self.plan.carried,
            observation_until=self.loan.observation_until if self.loan.restructured else None,
            broken_on=row.broken_on,
            completed_on=row.completed_on,
            terms_sha256=row.terms_text_sha256,
            terms_language=language,  # type: ignore[arg-type]
            terms_text=text,
            consent_channel=row.consent_channel,
            consented_at=self.ctx.local(row.consented_at),
        )

    def _terms(self) -> tuple[str | None, str | None]:
        """The terms text (and its language) whose SHA-256 the customer consented to."""
        case, offer = case_and_offer(self.ctx, self.row)
        for language in ("zh", "en"):
            text, sha = terms_for(self.ctx, case, offer, language)
            if sha == self.row.terms_text_sha256:
                return language, text
        return None, None


def _local_day(ctx: Context, row: Agreement) -> date:
    return ctx.local(row.consented_at).date()
