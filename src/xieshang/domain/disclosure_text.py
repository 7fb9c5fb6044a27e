"""The cost disclosure table (明示表, 金规〔2026〕2号 — UNVERIFIED) in words, zh-CN and en.

Each line is named and said how it is charged, with its rate or amount, so the customer reads the
table, a dispute names the line it reconciles against, and the API and command line show the same
words as the web page.
"""

from __future__ import annotations

from dataclasses import dataclass

from xieshang.domain.disclosure import CostDisclosure, DisclosureLine, LineKind
from xieshang.domain.money import display_yuan as y
from xieshang.domain.rates import DAYS_PER_YEAR_FOR_DAILY_QUOTES, format_rate

NAMES = {
    LineKind.INTEREST: ("利息", "interest"),
    LineKind.PENALTY: ("罚息", "penalty interest"),
    LineKind.COMPOUND: ("复利", "compound interest"),
    LineKind.FEE: ("手续费", "fees"),
    LineKind.LATE_FEE: ("违约金", "late fee"),
    LineKind.CARRIED: ("协议前欠款转入首期", "arrears carried into installment 1"),
    LineKind.REINSTATED: ("违约时恢复的附条件减免", "conditional waivers reinstated on breach"),
}
_METHODS = {
    "equal_installment": ("等额本息", "equal installments"),
    "equal_principal": ("等额本金", "equal principal"),
    "interest_first": ("先息后本", "interest first, principal at the end"),
    "bullet": ("到期一次还本付息", "principal and interest at maturity"),
    "flat": ("等本等息", "flat (interest on the original principal)"),
}
_COLLECTORS = {"bank": ("本行", "the bank")}


@dataclass(frozen=True, slots=True)
class LineText:
    name_zh: str
    name_en: str
    how_zh: str
    how_en: str
    collector_zh: str
    collector_en: str


def line_text(line: DisclosureLine, disclosure: CostDisclosure) -> LineText:
    name_zh, name_en = NAMES[line.kind]
    how_zh, how_en = _how(line, disclosure)
    who_zh, who_en = _COLLECTORS[line.collector.value] if line.charged else ("—", "—")
    return LineText(name_zh, name_en, how_zh, how_en, who_zh, who_en)


def _how(line: DisclosureLine, disclosure: CostDisclosure) -> tuple[str, str]:
    if not line.charged:
        return "不收取", "not charged"
    if line.kind is LineKind.INTEREST:
        return _interest(line)
    if line.kind in (LineKind.PENALTY, LineKind.COMPOUND):
        return _overdue(line, disclosure.grace_days)
    if line.kind is LineKind.CARRIED:
        return (
            f"{y(line.amount)}，随第1期收取；为原有欠款，不计入综合融资成本",
            f"{y(line.amount)}, payable with installment 1; debt already owed, not in the all-in cost",
        )
    if line.kind is LineKind.REINSTATED:
        return (
            f"最多 {y(line.amount)}，仅在协议违约时恢复；不计利息",
            f"at most {y(line.amount)}, only if the agreement is broken; bears no interest",
        )
    on = f"第{line.installment}期" if line.installment else ""
    on_en = f" with installment {line.installment}" if line.installment else ""
    return (
        f"{y(line.amount)}，随{on}收取，不计利息",
        f"{y(line.amount)}, payable{on_en}; no interest",
    )


def _interest(line: DisclosureLine) -> tuple[str, str]:
    assert line.annual_rate is not None
    rate = format_rate(line.annual_rate)
    daily = format_rate(line.annual_rate / DAYS_PER_YEAR_FOR_DAILY_QUOTES, 4)
    method_zh, method_en = _METHODS.get(line.method, (line.method, line.method))
    if line.basis == "days":
        basis_zh = f"按实际天数计息（{line.day_count}）"
        basis_en = f"by actual days ({line.day_count})"
    else:
        basis_zh, basis_en = "按月计息（年利率 ÷ 12）", "by the month (annual rate ÷ 12)"
    return (
        f"年利率 {rate}（单利，日利率 {daily}），{method_zh}，{basis_zh}；按期还款共 {y(line.total)}",
        f"{rate} a year (simple; {daily} a day), {method_en}, {basis_en}; "
        f"{y(line.total)} over the term if paid on time",
    )


def _overdue(line: DisclosureLine, grace_days: int) -> tuple[str, str]:
    assert line.annual_rate is not None
    assert line.markup is not None
    rate, markup = format_rate(line.annual_rate), format_rate(line.markup, 0)
    year = line.day_count.split("/")[-1]
    grace_zh = f"；宽限期 {grace_days} 天" if grace_days else ""
    grace_en = f"; {grace_days} days' grace" if grace_days else ""
    if line.kind is LineKind.PENALTY:
        on_zh, on_en = "逾期本金", "overdue principal"
    else:
        on_zh, on_en = "逾期未付利息", "overdue unpaid interest"
    return (
        f"逾期后按日对{on_zh}计收：合同利率 ×（1 + {markup}）= 年利率 {rate}，÷ {year} 按日计{grace_zh}",
        f"from the day after a due date, daily on {on_en}: contract rate × (1 + {markup}) = "
        f"{rate} a year, ÷ {year} a day{grace_en}",
    )


def summary(disclosure: CostDisclosure) -> tuple[str, str]:
    """The table's headline: the all-in cost and the total cost over the term."""
    rate = format_rate(disclosure.all_in_rate)
    return (
        f"综合融资成本（年化，内部收益率法）{rate}；按期还款共付利息和费用 {y(disclosure.total_cost)}",
        f"All-in annual cost (by IRR) {rate}; {y(disclosure.total_cost)} of interest and fees "
        "over the term if paid on time",
    )
