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

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from xieshang.agreements import service as agreements
from xieshang.agreements.schemas import AcceptIn
from xieshang.auth.service import create_user
from xieshang.complaints.decisions import decide, decide_review, request_review, send_decision
from xieshang.complaints.intake import file_complaint
from xieshang.complaints.records import last_review_request_day
from xieshang.complaints.schemas import (
    Channel,
    ClassifyIn,
    ComplaintCreate,
    DecideIn,
    Decision,
    NotifyIn,
    ReviewDecisionIn,
    ReviewRequestIn,
    RootCause,
)
from xieshang.complaints.workflow import acknowledge, classify, close
from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.errors import Conflict, InvalidInput
from xieshang.feedback.schemas import SurveyAnswerCreate
from xieshang.feedback.surveys import answer
from xieshang.kit.context import Context, FixedClock
from xieshang.loans.schemas import PaymentCreate
from xieshang.loans.service import record_payment, require_loan, to_ledger
from xieshang.models.complaint import Complaint
from xieshang.models.customer import Customer
from xieshang.models.feedback import SurveyInvitation
from xieshang.models.loan import Loan, LoanStatus
from xieshang.models.negotiation import NegotiationCase
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
from xieshang.text.categories import Category

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


@dataclass(frozen=True)
class DemoActivity:
    """What :func:`seed_activity` made."""

    agreements: int
    complaints: int
    contacts: int
    contacts_refused: int
    survey_answers: int


def acting(ctx: Context, user: User | None, day: date, hour: int, minute: int = 0) -> Context:
    """``ctx`` as ``user`` at ``hour:minute`` on ``day`` in the bank's timezone (stored in UTC)."""
    local = datetime.combine(day, time(hour, minute), ZoneInfo(ctx.settings.timezone))
    when = local.astimezone(UTC)
    assert when <= ctx.now(), f"{when} is after now"
    return Context(ctx.session, ctx.settings, ctx.cipher, FixedClock(when), user)


class _Activity:
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
        self.staff = {
            u.username: u
            for u in ctx.session.scalars(select(User).where(User.role != Role.CUSTOMER))
        }
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
            customer = self.ctx.session.get(Customer, customer_id)
            assert customer is not None
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
        session = self.ctx.session
        busy = set(session.scalars(select(NegotiationCase.customer_id))) | self.reserved
        found: list[tuple[int, int, Loan]] = []
        for loan_id in session.scalars(
            select(Loan.id).where(Loan.status == LoanStatus.ACTIVE).order_by(Loan.id)
        ):
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
        base = offered[0]
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

    def complaint_customers(self) -> list[int]:
        """Customers without a case or a demo login, those whose loans are not overdue first (the
        overdue ones get reminder calls), in an order fixed by the seed."""
        session = self.ctx.session
        busy = set(session.scalars(select(NegotiationCase.customer_id))) | self.reserved
        overdue = {
            loan.customer_id
            for loan in (
                require_loan(self.ctx, loan_id)
                for loan_id in session.scalars(
                    select(Loan.id).where(Loan.status == LoanStatus.ACTIVE)
                )
            )
            if ledger_as_of(to_ledger(loan), self.as_of).days_past_due > 0
        }
        ids = [
            i for i in session.scalars(select(Customer.id).order_by(Customer.id)) if i not in busy
        ]
        self.rng.shuffle(ids)
        return sorted(ids, key=lambda i: i in overdue)

    def handle_complaint(self, spec: _ComplaintSpec, customer_id: int) -> None:
        received = spec.days_ago
        if spec.channel == "phone":
            recorder = self.at(spec.handler, received, 10, 40)
            data = ComplaintCreate(
                text=spec.text,
                customer_id=customer_id,
                channel="phone",
                received_at=recorder.now() - timedelta(minutes=25),
            )
            user = None
        else:
            user = self.app_user(customer_id)
            recorder = self.at(user, received, 20, 5)
            data = ComplaintCreate(text=spec.text, channel=spec.channel)
        complaint_id = file_complaint(recorder, data).id
        self.complaints += 1
        handler = spec.handler
        acknowledge(
            self.at(handler, received - 1, 9, 30), complaint_id, "已受理，将尽快核实（演示）"
        )
        classify(
            self.at(handler, received - 1, 9, 40),
            complaint_id,
            ClassifyIn(category=spec.category, root_causes=list(spec.root_causes)),
        )
        decided = received - spec.days_to_decide
        decide(
            self.at(handler, decided, 16, 0),
            complaint_id,
            DecideIn(
                decision=spec.decision,
                facts=spec.facts,
                basis="依据借款合同、收费标准及《银行保险机构消费者权益保护管理办法》核实（演示）",
                remedy=spec.remedy,
            ),
        )
        notified = send_decision(
            self.at(handler, decided, 16, 30), complaint_id, NotifyIn(channel="inbox")
        )
        closed = None
        if spec.review is not None and user is not None:
            request_review(
                self.at(user, decided - 6, 19, 0),
                complaint_id,
                ReviewRequestIn(reason=spec.review),
            )
            decide_review(
                self.at("supervisor1", decided - 14, 15, 0),
                complaint_id,
                ReviewDecisionIn(
                    outcome="changed",
                    findings="复核发现扣款失败系系统批量任务延迟所致，改为全额退还罚息并更正记录（演示）",
                ),
            )
            closed = decided - 15
        else:
            last = last_review_request_day(self.ctx, notified)
            if last is not None and (self.as_of - last).days > 1:
                closed = (self.as_of - last).days - 1  # the day after the review period
        if closed is None:
            return
        close(self.at(handler, closed, 10, 0), complaint_id, "核查期已过，结案（演示）")
        if user is not None and spec.survey is not None and closed - 1 >= 1:
            csat, nps, comment = spec.survey
            self.survey(user, "complaint", str(complaint_id), closed - 1, csat, nps, comment)

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
        invitation = self.ctx.session.scalar(
            select(SurveyInvitation).where(
                SurveyInvitation.trigger == trigger, SurveyInvitation.subject_id == subject
            )
        )
        if invitation is None or days_ago < 1:
            return
        answer(
            self.at(user, days_ago, 21, 0) if days_ago > 1 else self.at(user, 1, 12, 0),
            invitation.id,
            SurveyAnswerCreate(csat=csat, nps=nps, comment=comment),
        )
        self.answers += 1

    # ---- collection contacts ----

    def contacts(self) -> None:
        """Reminder calls and messages on overdue loans not in a plan or a complaint."""
        if self.contact is None:
            return
        session = self.ctx.session
        handled = set(session.scalars(select(NegotiationCase.customer_id)))
        handled |= set(session.scalars(select(Complaint.customer_id))) | self.reserved
        overdue = [
            loan
            for loan in (
                require_loan(self.ctx, loan_id)
                for loan_id in session.scalars(
                    select(Loan.id).where(Loan.status == LoanStatus.ACTIVE).order_by(Loan.id)
                )
            )
            if loan.customer_id not in handled
            and ledger_as_of(to_ledger(loan), self.day(25)).days_past_due > 0
        ][:8]
        outcomes: tuple[Outcome, ...] = ("answered", "no_answer", "answered", "left_message")
        for n, loan in enumerate(overdue):
            agent = ("agent1", "agent2")[n % 2]
            days_ago = 24 - 3 * n
            if days_ago < 1:
                break
            channel = "sms" if n % 4 == 3 else "phone"
            made = self.contact(
                self.at(agent, days_ago, 10 + n % 7, 15),
                {
                    "customer_id": loan.customer_id,
                    "loan_id": loan.id,
                    "channel": channel,
                    "outcome": "answered" if channel == "sms" else outcomes[n % 4],
                    "message": "您好，您的贷款本期还款已逾期。如有困难，可在App申请协商还款。",
                    "notes": "提醒还款，告知协商渠道（演示）",
                },
            )
            self.made += int(made)
        if overdue:  # a late call the rules stop (after 21:00 local): audited, not made
            loan = overdue[0]
            late = {"customer_id": loan.customer_id, "loan_id": loan.id, "channel": "phone"}
            if not self.contact(self.at("agent2", 2, 21, 40), late):
                self.refused += 1


@dataclass(frozen=True)
class _ComplaintSpec:
    days_ago: int
    channel: Channel
    text: str
    category: Category
    root_causes: tuple[RootCause, ...]
    handler: str
    days_to_decide: int
    """Days from receipt to decision: the limit is 15 (later when it falls on a holiday)."""
    decision: Decision
    facts: str
    remedy: str = ""
    review: str | None = None
    survey: tuple[int, int, str] | None = None


COMPLAINTS = (
    _ComplaintSpec(
        88, "web", "提前还款被收了违约金，合同里根本没写清楚，要求退还这笔费用。",
        "fees_interest", ("disclosure",), "agent1", 9, "upheld",
        "合同未明确约定提前还款违约金，收取依据不足。", "退还违约金 ¥600.00。",
        survey=(5, 9, "退款很快，谢谢。"),
    ),
    _ComplaintSpec(
        82, "phone", "催收人员打电话给我父母，说我不还钱就要上门，很吓人。",
        "collection_conduct", ("collection_practice", "staff_conduct"), "agent2", 12,
        "partially_upheld", "通话录音显示催收人员联系了非债务相关人并使用不当措辞。",
        "向客户致歉；涉事人员停岗培训。",
    ),
    _ComplaintSpec(
        76, "app", "我每期都按时还款了，但是征信报告上显示有逾期记录，请帮我更正。",
        "credit_report", ("credit_reporting_error",), "agent1", 11, "upheld",
        "报送数据有误：第7期实际按时还款，误报为逾期。", "已向征信中心提交更正。",
        survey=(4, 8, "更正了，但等了挺久。"),
    ),
    _ComplaintSpec(
        69, "app", "自动扣款失败了两次，银行卡里明明有钱，结果被算逾期还收了罚息。",
        "payment_servicing", ("system_error",), "agent2", 24, "upheld",
        "批量扣款任务延迟，扣款失败非客户原因。", "退还罚息并更正还款记录。",
        survey=(2, 3, "处理太慢了，超过了承诺的时间。"),
    ),
    _ComplaintSpec(
        63, "web", "申请提额被拒，没有告诉我原因，而且利率比广告宣传的高。",
        "application", ("disclosure", "pricing"), "agent1", 8, "not_upheld",
        "审批依据内部评分，宣传利率为最低利率并已标注适用条件。",
        survey=(3, 5, "解释清楚了，但还是不满意利率。"),
    ),
    _ComplaintSpec(
        57, "phone", "客服电话一直打不通，排队半小时，接通后态度也很差。",
        "service_quality", ("staff_conduct",), "agent2", 6, "partially_upheld",
        "当日来电量超出排班，等候时间过长；录音未见辱骂，但解释不耐心。", "致歉；已调整排班。",
    ),
    _ComplaintSpec(
        50, "app", "罚息计算不对，我只逾期了三天，却按一个月收了利息。",
        "fees_interest", ("process_error",), "agent1", 10, "upheld",
        "宽限期内不应计收罚息，系统参数配置错误。", "退还多收罚息 ¥86.40。",
        survey=(4, 7, ""),
    ),
    _ComplaintSpec(
        44, "phone", "我没有办过这笔贷款，怀疑有人冒用我的身份信息。",
        "fraud_privacy", ("fraud",), "agent2", 13, "upheld",
        "人脸识别记录与客户本人不符，确认为冒用身份。", "注销贷款、消除征信记录并报案。",
    ),
    _ComplaintSpec(
        40, "app", "提前结清之后系统又扣了一期款，状态还显示未结清，请退回多扣的钱。",
        "payment_servicing", ("system_error",), "agent1", 12, "not_upheld",
        "结清日在扣款日之后，扣款时贷款尚未结清。", "多收部分已作为溢缴款退回。",
        review="结清申请是在扣款日之前提交的，系统处理晚了不应由我承担。",
        survey=(4, 8, "复核后改了结果，感谢。"),
    ),
    _ComplaintSpec(
        33, "web", "生病住院收入减少，申请延期还款被拒绝，希望重新考虑。",
        "repayment_hardship", ("product_design",), "agent2", 9, "partially_upheld",
        "客户提供了住院证明，符合困难客户认定。", "安排个性化分期评估。",
    ),
    _ComplaintSpec(
        27, "phone", "催收短信用词带有威胁，说要通知我单位。",
        "collection_conduct", ("collection_practice",), "agent1", 17, "upheld",
        "短信模板含有不当表述，已下线。", "致歉；模板整改。",
    ),
    _ComplaintSpec(
        20, "app", "App 还款页面经常闪退，找不到人工客服入口。",
        "service_quality", ("system_error",), "agent2", 7, "upheld",
        "安卓版本存在兼容问题。", "已发布修复版本。",
    ),
    _ComplaintSpec(
        15, "web", "每月账单上的手续费项目看不懂，也没有人解释。",
        "fees_interest", ("disclosure",), "agent1", 5, "not_upheld",
        "手续费按合同约定收取，已电话逐项解释。",
    ),
    _ComplaintSpec(
        11, "phone", "还款日临时改了却没有通知我，导致逾期一天。",
        "payment_servicing", ("process_error",), "agent2", 4, "upheld",
        "变更通知未发送成功。", "撤销逾期记录及罚息。",
    ),
)  # fmt: skip


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
    work = _Activity(ctx, as_of, seed, set(reserved), contact)
    # Negotiations, oldest first: two signed ten weeks ago (one kept, one broken), then recent ones.
    work.approved_agreement(75, "agent2", kept=True)
    work.approved_agreement(70, "agent1", kept=False)
    work.approved_agreement(26, "supervisor1", kept=True, escalate_by="agent2")
    work.approved_agreement(21, "agent1", kept=True)
    work.approved_agreement(18, "agent2", kept=True)
    work.approved_agreement(13, "agent1", kept=True)
    work.adjusted_and_declined(12, "agent2")
    customers = work.complaint_customers()
    for spec, customer_id in zip(COMPLAINTS, customers, strict=False):
        work.handle_complaint(spec, customer_id)
    work.contacts()
    return DemoActivity(
        agreements=work.agreements,
        complaints=work.complaints,
        contacts=work.made,
        contacts_refused=work.refused,
        survey_answers=work.answers,
    )
