"""The demo's complaints (filed, handled to a decision, reviewed, closed, surveyed) and its
reminder contacts on overdue loans, as staff and customers did them over the last three months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

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
from xieshang.complaints.service import customers_with_complaints
from xieshang.complaints.workflow import acknowledge, classify, close
from xieshang.customers.repository import customer_ids
from xieshang.demo import repository
from xieshang.demo.actor import Activity, Outcome
from xieshang.domain.accrual import ledger_as_of
from xieshang.loans.ledger import to_ledger
from xieshang.loans.repository import active_loan_ids
from xieshang.loans.service import require_loan
from xieshang.models.complaint import Complaint
from xieshang.models.user import User
from xieshang.text.categories import Category


@dataclass(frozen=True)
class ComplaintSpec:
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
    ComplaintSpec(
        88, "web", "提前还款被收了违约金，合同里根本没写清楚，要求退还这笔费用。",
        "fees_interest", ("disclosure",), "agent1", 9, "upheld",
        "合同未明确约定提前还款违约金，收取依据不足。", "退还违约金 ¥600.00。",
        survey=(5, 9, "退款很快，谢谢。"),
    ),
    ComplaintSpec(
        82, "phone", "催收人员打电话给我父母，说我不还钱就要上门，很吓人。",
        "collection_conduct", ("collection_practice", "staff_conduct"), "agent2", 12,
        "partially_upheld", "通话录音显示催收人员联系了非债务相关人并使用不当措辞。",
        "向客户致歉；涉事人员停岗培训。",
    ),
    ComplaintSpec(
        76, "app", "我每期都按时还款了，但是征信报告上显示有逾期记录，请帮我更正。",
        "credit_report", ("credit_reporting_error",), "agent1", 11, "upheld",
        "报送数据有误：第7期实际按时还款，误报为逾期。", "已向征信中心提交更正。",
        survey=(4, 8, "更正了，但等了挺久。"),
    ),
    ComplaintSpec(
        69, "app", "自动扣款失败了两次，银行卡里明明有钱，结果被算逾期还收了罚息。",
        "payment_servicing", ("system_error",), "agent2", 24, "upheld",
        "批量扣款任务延迟，扣款失败非客户原因。", "退还罚息并更正还款记录。",
        survey=(2, 3, "处理太慢了，超过了承诺的时间。"),
    ),
    ComplaintSpec(
        63, "web", "申请提额被拒，没有告诉我原因，而且利率比广告宣传的高。",
        "application", ("disclosure", "pricing"), "agent1", 8, "not_upheld",
        "审批依据内部评分，宣传利率为最低利率并已标注适用条件。",
        survey=(3, 5, "解释清楚了，但还是不满意利率。"),
    ),
    ComplaintSpec(
        57, "phone", "客服电话一直打不通，排队半小时，接通后态度也很差。",
        "service_quality", ("staff_conduct",), "agent2", 6, "partially_upheld",
        "当日来电量超出排班，等候时间过长；录音未见辱骂，但解释不耐心。", "致歉；已调整排班。",
    ),
    ComplaintSpec(
        50, "app", "罚息计算不对，我只逾期了三天，却按一个月收了利息。",
        "fees_interest", ("process_error",), "agent1", 10, "upheld",
        "宽限期内不应计收罚息，系统参数配置错误。", "退还多收罚息 ¥86.40。",
        survey=(4, 7, ""),
    ),
    ComplaintSpec(
        44, "phone", "我没有办过这笔贷款，怀疑有人冒用我的身份信息。",
        "fraud_privacy", ("fraud",), "agent2", 13, "upheld",
        "人脸识别记录与客户本人不符，确认为冒用身份。", "注销贷款、消除征信记录并报案。",
    ),
    ComplaintSpec(
        40, "app", "提前结清之后系统又扣了一期款，状态还显示未结清，请退回多扣的钱。",
        "payment_servicing", ("system_error",), "agent1", 12, "not_upheld",
        "结清日在扣款日之后，扣款时贷款尚未结清。", "多收部分已作为溢缴款退回。",
        review="结清申请是在扣款日之前提交的，系统处理晚了不应由我承担。",
        survey=(4, 8, "复核后改了结果，感谢。"),
    ),
    ComplaintSpec(
        33, "web", "生病住院收入减少，申请延期还款被拒绝，希望重新考虑。",
        "repayment_hardship", ("product_design",), "agent2", 9, "partially_upheld",
        "客户提供了住院证明，符合困难客户认定。", "安排个性化分期评估。",
    ),
    ComplaintSpec(
        27, "phone", "催收短信用词带有威胁，说要通知我单位。",
        "collection_conduct", ("collection_practice",), "agent1", 17, "upheld",
        "短信模板含有不当表述，已下线。", "致歉；模板整改。",
    ),
    ComplaintSpec(
        20, "app", "App 还款页面经常闪退，找不到人工客服入口。",
        "service_quality", ("system_error",), "agent2", 7, "upheld",
        "安卓版本存在兼容问题。", "已发布修复版本。",
    ),
    ComplaintSpec(
        15, "web", "每月账单上的手续费项目看不懂，也没有人解释。",
        "fees_interest", ("disclosure",), "agent1", 5, "not_upheld",
        "手续费按合同约定收取，已电话逐项解释。",
    ),
    ComplaintSpec(
        11, "phone", "还款日临时改了却没有通知我，导致逾期一天。",
        "payment_servicing", ("process_error",), "agent2", 4, "upheld",
        "变更通知未发送成功。", "撤销逾期记录及罚息。",
    ),
)  # fmt: skip


def complaint_customers(act: Activity) -> list[int]:
    """Customers without a case or a demo login, those whose loans are not overdue first (the
    overdue ones get reminder calls), in an order fixed by the seed."""
    busy = repository.customers_negotiating(act.ctx) | act.reserved
    overdue = {
        loan.customer_id
        for loan in (require_loan(act.ctx, loan_id) for loan_id in active_loan_ids(act.ctx))
        if ledger_as_of(to_ledger(loan), act.as_of).days_past_due > 0
    }
    ids = [i for i in customer_ids(act.ctx) if i not in busy]
    act.rng.shuffle(ids)
    return sorted(ids, key=lambda i: i in overdue)


def handle_complaint(act: Activity, spec: ComplaintSpec, customer_id: int) -> None:
    """File the complaint as the customer (or an agent taking a call) did, handle it to a decision,
    and close it once the review period is over, with a survey answer where the spec has one."""
    complaint_id, user = _file(act, spec, customer_id)
    decided, notified = _decide(act, spec, complaint_id)
    closed = None
    if spec.review is not None and user is not None:
        request_review(
            act.at(user, decided - 6, 19, 0),
            complaint_id,
            ReviewRequestIn(reason=spec.review),
        )
        decide_review(
            act.at("supervisor1", decided - 14, 15, 0),
            complaint_id,
            ReviewDecisionIn(
                outcome="changed",
                findings="复核发现扣款失败系系统批量任务延迟所致，改为全额退还罚息并更正记录（演示）",
            ),
        )
        closed = decided - 15
    else:
        last = last_review_request_day(act.ctx, notified)
        if last is not None and (act.as_of - last).days > 1:
            closed = (act.as_of - last).days - 1  # the day after the review period
    if closed is None:
        return
    close(act.at(spec.handler, closed, 10, 0), complaint_id, "核查期已过，结案（演示）")
    if user is not None and spec.survey is not None and closed - 1 >= 1:
        csat, nps, comment = spec.survey
        act.survey(user, "complaint", str(complaint_id), closed - 1, csat, nps, comment)


def _file(act: Activity, spec: ComplaintSpec, customer_id: int) -> tuple[int, User | None]:
    received = spec.days_ago
    user = None
    if spec.channel == "phone":
        recorder = act.at(spec.handler, received, 10, 40)
        data = ComplaintCreate(
            text=spec.text,
            customer_id=customer_id,
            channel="phone",
            received_at=recorder.now() - timedelta(minutes=25),
        )
    else:
        user = act.app_user(customer_id)
        recorder = act.at(user, received, 20, 5)
        data = ComplaintCreate(text=spec.text, channel=spec.channel)
    act.complaints += 1
    return file_complaint(recorder, data).id, user


def _decide(act: Activity, spec: ComplaintSpec, complaint_id: int) -> tuple[int, Complaint]:
    """Acknowledge, classify and decide the complaint, and send the decision; the day decided
    (days ago) and the complaint as notified."""
    handler, received = spec.handler, spec.days_ago
    acknowledge(act.at(handler, received - 1, 9, 30), complaint_id, "已受理，将尽快核实（演示）")
    classify(
        act.at(handler, received - 1, 9, 40),
        complaint_id,
        ClassifyIn(category=spec.category, root_causes=list(spec.root_causes)),
    )
    decided = received - spec.days_to_decide
    decide(
        act.at(handler, decided, 16, 0),
        complaint_id,
        DecideIn(
            decision=spec.decision,
            facts=spec.facts,
            basis="依据借款合同、收费标准及《银行保险机构消费者权益保护管理办法》核实（演示）",
            remedy=spec.remedy,
        ),
    )
    notified = send_decision(
        act.at(handler, decided, 16, 30), complaint_id, NotifyIn(channel="inbox")
    )
    return decided, notified


def contacts(act: Activity) -> None:
    """Reminder calls and messages on overdue loans not in a plan or a complaint."""
    if act.contact is None:
        return
    handled = repository.customers_negotiating(act.ctx)
    handled |= customers_with_complaints(act.ctx) | act.reserved
    overdue = [
        loan
        for loan in (require_loan(act.ctx, loan_id) for loan_id in active_loan_ids(act.ctx))
        if loan.customer_id not in handled
        and ledger_as_of(to_ledger(loan), act.day(25)).days_past_due > 0
    ][:8]
    outcomes: tuple[Outcome, ...] = ("answered", "no_answer", "answered", "left_message")
    for n, loan in enumerate(overdue):
        agent = ("agent1", "agent2")[n % 2]
        days_ago = 24 - 3 * n
        if days_ago < 1:
            break
        channel = "sms" if n % 4 == 3 else "phone"
        made = act.contact(
            act.at(agent, days_ago, 10 + n % 7, 15),
            {
                "customer_id": loan.customer_id,
                "loan_id": loan.id,
                "channel": channel,
                "outcome": "answered" if channel == "sms" else outcomes[n % 4],
                "message": "您好，您的贷款本期还款已逾期。如有困难，可在App申请协商还款。",
                "notes": "提醒还款，告知协商渠道（演示）",
            },
        )
        act.made += int(made)
    if overdue:  # a late call the rules stop (after 21:00 local): audited, not made
        loan = overdue[0]
        late = {"customer_id": loan.customer_id, "loan_id": loan.id, "channel": "phone"}
        if not act.contact(act.at("agent2", 2, 21, 40), late):
            act.refused += 1
