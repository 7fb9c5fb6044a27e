"""The full terms of an offer as the customer reads them before consenting, in zh-CN or English.

The text is generated from the stored offer and the policy, deterministically: its SHA-256 is what the
consent record keeps, so the bank can show later exactly what the customer agreed to.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from xieshang.domain.money import display_yuan, yuan
from xieshang.negotiations.schemas import InstallationRead, OfferRead

_KIND = {
    "hardship_plan": ("困难还款计划（个性化分期）", "hardship repayment plan"),
    "grace_period": ("宽限期方案（先息后本）", "grace period (interest only first)"),
    "catch_up_plan": ("逾期款项分期补还计划", "catch-up plan for the arrears"),
    "payment_holiday": ("暂缓还款（只还利息）", "payment holiday (interest only)"),
    "settlement": ("一次性结清", "one-off settlement"),
    "due_date_change": ("变更还款日", "due date change"),
    "adjusted_plan": ("经工作人员调整的还款计划", "repayment plan adjusted by staff"),
}
_COMPONENT = {
    "principal": ("本金", "principal"),
    "interest": ("利息", "interest"),
    "penalty": ("罚息", "penalty interest"),
    "compound": ("复利", "compound interest"),
    "fee": ("费用", "fees"),
}


@dataclass(frozen=True)
class TermsContext:
    """What the text needs besides the offer."""

    loan_no: str
    as_of: date
    expires_on: date
    penalty_markup: str
    grace_days: int
    reinstatement: str
    observation_until: date | None


def terms_text(offer: OfferRead, ctx: TermsContext, language: str) -> str:
    plan = offer.installation
    if plan is None or offer.schedule is None:
        raise ValueError("an offer without an installation has no terms to accept")
    zh = language == "zh"
    lines = [
        f"协商还款协议条款 · 贷款 {ctx.loan_no}"
        if zh
        else f"Terms of the repayment agreement · loan {ctx.loan_no}",
        (f"方案：{_KIND[offer.type][0]}" if zh else f"Offer: {_KIND[offer.type][1]}"),
        "",
    ]
    lines += _summary(offer, zh)
    lines += _debt(plan, ctx.as_of, zh)
    lines += _schedule(offer, zh)
    lines += _if_missed(plan, ctx, zh)
    lines.append("")
    lines.append(
        f"本要约有效期至 {ctx.expires_on}（含当日）。"
        if zh
        else f"This offer may be accepted until {ctx.expires_on} (inclusive)."
    )
    return "\n".join(lines) + "\n"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _money(text: str) -> str:
    return display_yuan(yuan(text))


def _summary(offer: OfferRead, zh: bool) -> list[str]:
    rows = offer.schedule.installments if offer.schedule else []
    first = rows[0].due_date if rows else None
    total = sum(yuan(r.payment) for r in rows)
    apr = f"{float(offer.apr) * 100:.2f}%"
    if zh:
        return [
            f"每期还款：{_money(offer.monthly_payment)}，共 {len(rows)} 期，首期还款日 {first}",
            f"按计划共还款：{display_yuan(total)}；年化利率（内部收益率法）：{apr}",
            "",
        ]
    return [
        f"Monthly payment: {_money(offer.monthly_payment)}, {len(rows)} payments, "
        f"the first due on {first}",
        f"Total to pay under the plan: {display_yuan(total)}; APR (internal rate of return): {apr}",
        "",
    ]


def _debt(plan: InstallationRead, as_of: date, zh: bool) -> list[str]:
    i = 0 if zh else 1
    parts = "、".join if zh else ", ".join
    owed = parts(f"{_COMPONENT[c][i]} {_money(v)}" for c, v in plan.debt.items() if yuan(v) > 0)
    total = display_yuan(sum(yuan(v) for v in plan.debt.values()))
    conditional = [(c, v) for c, v in plan.conditional.items() if yuan(v) > 0]
    out = [
        f"截至 {as_of} 结欠：{owed}，合计 {total}"
        if zh
        else f"Owed on {as_of}: {owed}; {total} in all"
    ]
    if yuan(plan.credited) > 0:
        out.append(
            f"依法扣减：合同超出法定标准多收的 {_money(plan.credited)} 已从欠款中扣减，以上为扣减后金额。"
            if zh
            else f"Credited under the law: the {_money(plan.credited)} the contract charged beyond "
            "the lawful amount is taken off what you owe; the figures above are after it."
        )
    if conditional:
        what = parts(f"{_COMPONENT[c][i]} {_money(v)}" for c, v in conditional)
        out.append(
            f"附条件减免：{what}。按期履行完毕后最终免除；协议失效则恢复收取。"
            if zh
            else f"Waived on condition: {what}. Forgiven for good once the agreement is "
            "completed; charged again if it breaks."
        )
    if yuan(plan.forborne) > 0:
        out.append(
            f"停息挂账本金 {_money(plan.forborne)}：不计利息，随最后一期偿还。"
            if zh
            else f"Principal of {_money(plan.forborne)} set aside interest-free, repaid with the "
            "last payment."
        )
    if yuan(plan.carried) > 0:
        out.append(
            f"随首期一并偿还的欠款：{_money(plan.carried)}（不计利息）。"
            if zh
            else f"Arrears of {_money(plan.carried)} are payable with the first payment "
            "(no interest on them)."
        )
    out.append("")
    return out


def _schedule(offer: OfferRead, zh: bool) -> list[str]:
    assert offer.schedule is not None
    head = (
        "期数  还款日       应还        本金        利息        剩余本金"
        if zh
        else "No.   Due date     Payment     Principal   Interest    Balance"
    )
    rows = [
        f"{r.n:<5} {r.due_date}   {r.payment:>10}  {r.principal:>10}  {r.interest:>10}  "
        f"{r.balance:>10}"
        for r in offer.schedule.installments
    ]
    title = "还款计划（元）：" if zh else "Schedule (yuan):"
    return [title, head, *rows, ""]


def _if_missed(plan: InstallationRead, ctx: TermsContext, zh: bool) -> list[str]:
    markup = f"{float(ctx.penalty_markup) * 100:.0f}%"
    conditional = display_yuan(sum(yuan(v) for v in plan.conditional.values()))
    share = ctx.reinstatement == "unpaid_share"
    if zh:
        back = (
            f"附条件减免的 {conditional} 按未还本金比例恢复收取"
            if share
            else f"附条件减免的 {conditional} 全部恢复收取"
        )
        out = [
            "如未按期还款：",
            f"· 逾期本金按协议利率上浮 {markup} 计收罚息，逾期利息计收复利，不对费用计息；",
            f"· 任何一期逾期超过 {ctx.grace_days} 天，协议失效：{back}，并恢复正常催收；",
            "· 逾期信息将如实报送征信。",
        ]
        if ctx.observation_until:
            out.append(
                f"本贷款将标记为重组贷款，观察期至 {ctx.observation_until}"
                "（《商业银行金融资产风险分类办法》第二十条），期间如有逾期，观察期重新计算。"
            )
        out.append("协议履行期间，我行暂停催收联系。")
        return out
    back = (
        f"the {conditional} waived on condition is charged again in proportion to the principal "
        "still unpaid"
        if share
        else f"all {conditional} waived on condition is charged again"
    )
    out = [
        "If a payment is missed:",
        f"· overdue principal bears penalty interest at the agreement rate plus {markup}, overdue "
        "interest bears compound interest, and no interest runs on fees;",
        f"· if any payment is more than {ctx.grace_days} days late the agreement ends: {back}, and "
        "normal collection resumes;",
        "· late payments are reported truthfully to the credit reference centre.",
    ]
    if ctx.observation_until:
        out.append(
            f"The loan is tagged as restructured, with an observation period until "
            f"{ctx.observation_until} (Measures for Risk Classification of Financial Assets, "
            "art. 20); a late payment restarts it."
        )
    out.append("While the agreement is kept, the bank makes no collection contact.")
    return out
