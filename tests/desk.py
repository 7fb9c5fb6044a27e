"""An agent's desk for the workbench tests: three customers with loans in arrears, a negotiation case
on each waiting for an agent's approval (deadlines and risk set apart), and three complaints (one
overdue, one with a regulator threat, one plain)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from tests import factories
from xieshang.complaints.intake import file_complaint
from xieshang.complaints.schemas import ComplaintCreate
from xieshang.kit.context import Context
from xieshang.loans.schemas import PaymentCreate
from xieshang.loans.service import record_payment
from xieshang.models.negotiation import NegotiationOffer
from xieshang.models.user import Role
from xieshang.negotiations import service
from xieshang.negotiations.schemas import NegotiationCreate

PHONE = "13912345678"
FINANCES = {
    "verified_income": "5000.00",
    "stated_income": "5000.00",
    "essential_expenses": "3300.00",
    "other_debt_service": "600.00",
}
OLD = "银行重复收取了手续费，请退还"
THREAT = "催收人员每天打电话骚扰我，再不处理我就打12378投诉"
PLAIN = "我的还款记录显示有误，请核实"


@dataclass
class Desk:
    customer_id: int
    id_number: str
    loan_id: int
    soon: int
    """The case whose offers expire first (lowest risk)."""
    risky: int
    """Later deadline, the most days past due."""
    calm: int
    """The same later deadline, fewer days past due."""
    overdue_complaint: int
    threat_complaint: int
    plain_complaint: int


def _case(ctx: Context, loan_id: int) -> int:
    case = service.open_case(
        ctx,
        NegotiationCreate.model_validate(
            {
                "loan_id": loan_id,
                "as_of": "2026-06-20",
                "finances": FINANCES,
                "new_debts_recent": 3,
                "request": {"scenario": "hardship", "hardship": "job_loss"},
            }
        ),
    )
    assert any(o.status == "pending_approval" and o.approval == "agent" for o in case.offers)
    return case.id


def build_desk(ctx: Context) -> Desk:
    factories.product(ctx)
    owner = factories.customer(ctx, name="张伟", phone=PHONE)
    second = factories.customer(ctx, name="李娜")
    third = factories.customer(ctx, name="王强")
    # Risky: nothing paid for a year. Calm: paid until spring. Soon: paid until last month.
    risky_loan = factories.loan(
        ctx, owner, principal="12000.00", annual_rate="12%", months=12, start_date=date(2025, 6, 1)
    )
    record_payment(ctx, risky_loan.id, PaymentCreate(amount="1066.19", value_date=date(2025, 7, 1)))
    calm_loan = factories.loan(
        ctx, second, principal="12000.00", annual_rate="12%", months=24, start_date=date(2025, 6, 1)
    )
    soon_loan = factories.loan(
        ctx, third, principal="6000.00", annual_rate="12%", months=24, start_date=date(2025, 6, 1)
    )
    for loan, paid, amount in ((calm_loan, 9, "564.88"), (soon_loan, 11, "282.44")):
        for n in range(paid):
            month = 7 + n
            day = date(2025 + (month - 1) // 12, (month - 1) % 12 + 1, 1)
            record_payment(ctx, loan.id, PaymentCreate(amount=amount, value_date=day))
    factories.user(ctx, Role.CUSTOMER, "wb-customer", owner.id)
    agent = factories.user(ctx, Role.AGENT, "wb-agent")
    factories.user(ctx, Role.AGENT, "wb-agent2")
    factories.user(ctx, Role.SUPERVISOR, "wb-super")
    ctx.session.commit()
    ctx.user = agent  # the agent entered the cases: another agent decides them (four-eyes)
    risky, calm, soon = (_case(ctx, loan.id) for loan in (risky_loan, calm_loan, soon_loan))
    for row in ctx.session.scalars(
        select(NegotiationOffer).where(NegotiationOffer.case_id == soon)
    ):
        row.expires_on = ctx.today() + timedelta(days=2)
    ctx.session.commit()
    ctx.user = None
    complaints = [
        file_complaint(
            ctx,
            ComplaintCreate(text=text, customer_id=owner.id, channel="phone", received_at=received),
        )
        for text, received in (
            (OLD, datetime(2026, 5, 4, 2, 0, tzinfo=UTC)),
            (THREAT, datetime(2026, 6, 19, 2, 0, tzinfo=UTC)),
            (PLAIN, datetime(2026, 6, 19, 2, 0, tzinfo=UTC)),
        )
    ]
    ctx.session.commit()
    return Desk(
        customer_id=owner.id,
        id_number=ctx.cipher.decrypt(owner.id_number_enc),
        loan_id=risky_loan.id,
        soon=soon,
        risky=risky,
        calm=calm,
        overdue_complaint=complaints[0].id,
        threat_complaint=complaints[1].id,
        plain_complaint=complaints[2].id,
    )
