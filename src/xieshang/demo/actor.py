"""The people of the demo at work: who acts when, and the negotiations they carried through (the
complaints are in ``complaint_activity.py``; the whole story is told in ``activity.py``)."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from xieshang.agreements import service as agreements
from xieshang.agreements.schemas import AcceptIn
from xieshang.auth.service import create_user
from xieshang.customers.service import require_customer
from xieshang.demo import repository
from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.errors import Conflict, InvalidInput
from xieshang.feedback.schemas import SurveyAnswerCreate
from xieshang.feedback.service import answer, my_open_surveys
from xieshang.kit.context import Context, FixedClock
from xieshang.loans.ledger import to_ledger
from xieshang.loans.repository import active_loan_ids
from xieshang.loans.schemas import PaymentCreate
from xieshang.loans.service import record_payment, require_loan
from xieshang.models.loan import Loan
from xieshang.models.user import Role, User
from xieshang.negotiations import service
from xieshang.negotiations.schemas import (
    AdjustIn,
    DeclineIn,
    EscalateIn,
    NegotiationCreate,
    NegotiationRead,
    OfferRead,
)

MakeContact = Callable[[Context, dict[str, object]], bool]
"""Makes one collection contact as ``ctx`` through the collection service (the dict holds
``ContactIn``'s fields): True when made, False when the conduct rules refused it. The caller passes it
in (``xieshang.cli.service.demo_contact``): collection is the demo's sibling in the layers, so the
demo does not import it."""
Outcome = Literal["answered", "no_answer", "left_message", "refused_by_customer"]
FINANCES = {
    "verified_income": "5200.00",
    "stated_income": "5600.00",
    "essential_expenses": "3300.00",
    "other_debt_service": "600.00",
}


def acting(ctx: Context, user: User | None, day: date, hour: int, minute: int = 0) -> Context:
    """``ctx`` as ``user`` at ``hour:minute`` on ``day`` in the bank's timezone (stored in UTC)."""
    local = datetime.combine(day, time(hour, minute), ZoneInfo(ctx.settings.timezone))
    when = local.astimezone(UTC)
    assert when <= ctx.now(), f"{when} is after now"
    return Context(ctx.session, ctx.settings, ctx.cipher, FixedClock(when), user)


class Activity:
    def __init__(
        self,
        ctx: Context,
        as_of: date,
        seed: int,
        reserved: set[int],
        contact: MakeContact | None,
    ) -> None:
        self.ctx = ctx
        self.contact = contact
        self.as_of = as_of
        self.rng = random.Random(seed * 7919 + 17)
        self.reserved = set(reserved)
        """Customers whose loans this module leaves alone (the landing page's demo customers)."""
        self.staff = repository.staff(ctx)
        self.app_users: dict[int, User] = {}
        self.agreements = 0
        self.complaints = 0
        self.made = 0
        self.refused = 0
        self.answers = 0

    def day(self, days_ago: int) -> date:
        return self.as_of - timedelta(days=days_ago)

    def at(self, who: str | User | None, days_ago: int, hour: int, minute: int = 0) -> Context:
        user = self.staff[who] if isinstance(who, str) else who
        return acting(self.ctx, user, self.day(days_ago), hour, minute)

    def app_user(self, customer_id: int) -> User:
        """The customer's own app login (made the first time they need it)."""
        if customer_id not in self.app_users:
            customer = require_customer(self.ctx, customer_id)
            self.app_users[customer_id] = create_user(
                self.ctx,
                f"app{customer.customer_no.lower()}",
                secrets.token_urlsafe(24),
                Role.CUSTOMER,
                customer.name,
                customer_id,
            )
            self.ctx.session.commit()
        return self.app_users[customer_id]

    # ---- negotiations ----

    def overdue_loan(self, days_ago: int) -> Loan | None:
        """An active loan overdue on that day, untouched since, of a customer not yet in a case."""
        day = self.day(days_ago)
        busy = repository.customers_negotiating(self.ctx) | self.reserved
        found: list[tuple[int, int, Loan]] = []
        for loan_id in active_loan_ids(self.ctx):
            loan = require_loan(self.ctx, loan_id)
            if loan.customer_id in busy or loan.start_date >= day:
                continue
            if any(t.value_date > day for t in loan.transactions):
                continue
            state = ledger_as_of(to_ledger(loan), day)
            if state.days_past_due >= 15:
                found.append((state.outstanding_principal, loan.id, loan))
        # The smallest balance: a plan for it needs the smallest concessions.
        return min(found, key=lambda f: (f[0], f[1]))[2] if found else None

    def open(
        self, loan: Loan, days_ago: int, user: User | None = None, *, due_day: int | None = None
    ) -> NegotiationRead:
        """The customer asks in the app (the system opens it when they have no login)."""
        return service.open_case(
            self.at(user, days_ago, 9, 20),
            NegotiationCreate.model_validate(
                {
                    "loan_id": loan.id,
                    "as_of": self.day(days_ago).isoformat(),
                    "finances": FINANCES,
                    "new_debts_recent": 3,  # flags: a person decides
                    "request": {
                        "scenario": "hardship",
                        "hardship": "job_loss",
                        "preferred_due_day": due_day,
                    },
                }
            ),
        )

    def consent(self, case: NegotiationRead, offer_id: int, agent: str, days_ago: int) -> bool:
        """The agent reads the terms to the customer by phone and records their consent."""
        ctx = self.at(agent, days_ago, 15, 10)
        sha = agreements.offer_terms(ctx, case.id, offer_id, "zh").sha256
        agreements.accept_offer(
            ctx, case.id, offer_id, AcceptIn(consent=True, terms_sha256=sha, channel="phone"), None
        )
        self.agreements += 1
        return True

    def pay_on_time(self, loan_id: int, since: int) -> None:
        """The customer pays each installment of the agreed schedule in full on its due date."""
        loan = require_loan(self.ctx, loan_id)
        dues = sorted({i.due_date for i in loan.installments})
        for due in dues:
            if due <= self.day(since) or due >= self.as_of:
                continue
            loan = require_loan(self.ctx, loan_id)
            state = ledger_as_of(to_ledger(loan), due)
            owed = sum(s.total_owed for s in state.due())
            if owed <= 0:
                continue
            record_payment(
                acting(self.ctx, None, due, 8, 5),
                loan_id,
                PaymentCreate(
                    amount=f"{owed // 100}.{owed % 100:02d}",
                    value_date=due,
                    reference=f"demo-plan-{loan_id}-{due:%Y%m%d}",
                    channel="auto_debit",
                ),
            )

    def approved_agreement(
        self, days_ago: int, approver: str, *, kept: bool, escalate_by: str | None = None
    ) -> None:
        """Opened in the app, approved by ``approver`` the next day (after ``escalate_by`` sent it
        up, if given; by a supervisor if beyond an agent's authority), consent recorded by phone the
        day after; then paid on time, or never."""
        handler = approver
        loan = self.overdue_loan(days_ago)
        if loan is None:
            return
        loan_id = loan.id
        case = self.open(loan, days_ago)
        waiting = [o for o in case.offers if o.status == "pending_approval"]
        agent_level = [o for o in waiting if o.approval == "agent"]
        if not waiting:
            return
        offer = (agent_level or waiting)[0]
        if escalate_by is not None and offer.approval == "agent":
            service.escalate(
                self.at(escalate_by, days_ago - 1, 10, 30),
                case.id,
                offer.id,
                EscalateIn(
                    reason="other",
                    note="客户另有两家机构逾期，还款能力存疑，请主管判断（演示）",
                ),
            )
        if offer.approval == "supervisor" and escalate_by is None and approver != "supervisor1":
            # Beyond an agent's authority: the agent shapes a plan within it (a rate cut of at
            # most 3 points, a longer term, penalties waived on condition) and offers it.
            adjusted = self.adjust_within_authority(case, offer.offer, loan, approver, days_ago - 1)
            if adjusted is not None:
                self.consent(case, adjusted, approver, days_ago - 2)
                if kept:
                    self.pay_on_time(loan_id, days_ago - 2)
                return
        if offer.approval == "supervisor":
            approver = "supervisor1"
        note = "核实收入证明与支出，方案可负担（演示）"
        case = service.decide(
            self.at(approver, days_ago - 1, 11, 0), case.id, offer.id, approve=True, note=note
        )
        self.consent(case, offer.id, escalate_by or handler, days_ago - 2)
        if kept:
            self.pay_on_time(loan_id, days_ago - 2)

    def adjust_within_authority(
        self, case: NegotiationRead, base: OfferRead, loan: Loan, agent: str, days_ago: int
    ) -> int | None:
        """The agent's own plan, offered at once when the engine finds it within their authority;
        the offer's id, or None (and nothing stored) when it is not."""
        ctx = self.at(agent, days_ago, 14, 0)
        shape = AdjustIn(
            months=min(base.term_months + 12, 60),
            annual_rate=str(max(Decimal(loan.annual_rate) - Decimal("0.03"), Decimal("0.04"))),
            waive=True,
            note="月供超出客户承受能力：延长期限、利率下调3个百分点、罚息附条件减免（演示）",
        )
        try:
            if not service.preview_adjustment(ctx, case.id, shape).direct:
                return None
            adjusted = service.adjust(ctx, case.id, shape)
        except (InvalidInput, Conflict):
            return None
        return max(o.id for o in adjusted.offers if o.key == "adjusted")

    def adjusted_and_declined(self, days_ago: int, agent: str) -> None:
        """A customer with the app asks; the agent shapes a longer plan; the customer declines it
        and says why in the survey."""
        loan = self.overdue_loan(days_ago)
        if loan is None:
            return
        customer = self.app_user(loan.customer_id)
        case = self.open(loan, days_ago, customer)
        offered = [o.offer for o in case.offers if o.offer.term_months > 1]
        if not offered:
            return
        plans = [o for o in offered if o.type == "hardship_plan"]
        base = (plans or offered)[0]  # the agent lengthens the engine's plan
        rate = loan.annual_rate
        try:
            service.adjust(
                self.at(agent, days_ago - 1, 14, 0),
                case.id,
                AdjustIn(
                    months=min(base.term_months + 12, 60),
                    annual_rate=rate,
                    waive=True,
                    note="客户希望月供更低：延长12期、减免罚息（演示）",
                ),
            )
        except (InvalidInput, Conflict):
            return
        service.decline(
            self.at(customer, days_ago - 3, 20, 15),
            case.id,
            DeclineIn(note="月供还是太高，等找到工作再说"),
        )
        self.survey(
            customer,
            "negotiation",
            str(case.id),
            days_ago - 4,
            3,
            6,
            "专员很耐心，但方案还是超出我的能力。",
        )

    # ---- complaints ----

    def survey(
        self,
        user: User,
        trigger: str,
        subject: str,
        days_ago: int,
        csat: int,
        nps: int,
        comment: str,
    ) -> None:
        if days_ago < 1:
            return
        customer = self.at(user, days_ago, 21, 0) if days_ago > 1 else self.at(user, 1, 12, 0)
        invitation = next(
            (
                i
                for i in my_open_surveys(customer)
                if (i.trigger, i.subject_id) == (trigger, subject)
            ),
            None,
        )
        if invitation is None:
            return
        answer(customer, invitation.id, SurveyAnswerCreate(csat=csat, nps=nps, comment=comment))
        self.answers += 1

    # ---- collection contacts ----
