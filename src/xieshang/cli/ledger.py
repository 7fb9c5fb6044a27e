"""Ledger commands that need no database: ``schedule``, ``statement`` and the ``tour``."""

from __future__ import annotations

import json
import unicodedata
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from xieshang import __version__
from xieshang.cli.app import app
from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.errors import InvalidInput
from xieshang.domain.money import display_yuan
from xieshang.domain.rates import apr, format_rate
from xieshang.domain.schedule import LoanTerms, Schedule, build_schedule
from xieshang.domain.statement import Statement, itemised_statement
from xieshang.kit.calendar import ChinaBankCalendar
from xieshang.kit.parse import parse_date
from xieshang.loans.loanfile import parse_terms, read_loan_file
from xieshang.loans.schemas import ScheduleRead, StatementRead

SHANGHAI = ZoneInfo("Asia/Shanghai")

Lang = Annotated[str, typer.Option("--lang", help="zh-CN (default) or en.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _today() -> date:
    return datetime.now(SHANGHAI).date()


def _check_lang(lang: str) -> str:
    if lang not in ("zh-CN", "en"):
        raise InvalidInput("lang", f"{lang!r} is not one of: zh-CN, en")
    return lang


@app.command()
def schedule(
    principal: Annotated[str, typer.Option(help="Amount lent, in yuan (e.g. 10000 or 10000.00).")],
    months: Annotated[str, typer.Option(help="Number of monthly installments.")],
    annual_rate: Annotated[str | None, typer.Option(help="Annual rate: '10%' or '0.10'.")] = None,
    monthly_rate: Annotated[str | None, typer.Option(help="Monthly rate: '0.8%'.")] = None,
    daily_rate: Annotated[str | None, typer.Option(help="Daily rate: '0.05%' (万分之五).")] = None,
    method: Annotated[
        str,
        typer.Option(help="equal_installment, equal_principal, interest_first, bullet or flat."),
    ] = "equal_installment",
    start: Annotated[
        str | None, typer.Option(help="Start (disbursement) date, YYYY-MM-DD; default today.")
    ] = None,
    first_due_date: Annotated[
        str | None, typer.Option(help="First due date (broken first period).")
    ] = None,
    interest_basis: Annotated[str, typer.Option(help="periodic (rate/12) or days.")] = "periodic",
    day_count: Annotated[
        str, typer.Option(help="actual/360, actual/365 or 30/360.")
    ] = "actual/360",
    round_to: Annotated[
        str, typer.Option(help="Round the level installment to a multiple of this (yuan).")
    ] = "0.01",
    principal_grace: Annotated[str, typer.Option(help="Interest-only periods at the start.")] = "0",
    business_days: Annotated[
        bool, typer.Option(help="Move due dates to the next China business day.")
    ] = False,
    holiday_overrides: Annotated[
        Path | None, typer.Option(help="CSV of bank calendar overrides.")
    ] = None,
    as_json: AsJson = False,
    lang: Lang = "zh-CN",
) -> None:
    """Print a repayment schedule (no database needed)."""
    _check_lang(lang)
    options: dict[str, Any] = {
        "principal": principal,
        "months": months,
        "annual_rate": annual_rate,
        "monthly_rate": monthly_rate,
        "daily_rate": daily_rate,
        "method": method,
        "start_date": start or _today().isoformat(),
        "first_due_date": first_due_date,
        "interest_basis": interest_basis,
        "day_count": day_count,
        "installment_multiple": round_to,
        "principal_grace_periods": principal_grace,
        "business_days": business_days,
    }
    terms, _ = parse_terms(options)
    calendar = _calendar(holiday_overrides) if business_days else None
    plan = build_schedule(terms, calendar)
    if as_json:
        _print_json(ScheduleRead.from_schedule(plan).model_dump(mode="json"))
    else:
        typer.echo(schedule_text(terms, plan, lang))


@app.command()
def statement(
    loan: Annotated[Path, typer.Option(help="Loan file (JSON; see docs/loan-file.md).")],
    as_of: Annotated[
        str | None, typer.Option(help="Statement date, YYYY-MM-DD; default today.")
    ] = None,
    holiday_overrides: Annotated[
        Path | None, typer.Option(help="CSV of bank calendar overrides.")
    ] = None,
    as_json: AsJson = False,
    lang: Lang = "zh-CN",
) -> None:
    """Print the itemised statement of a loan as of a date, each line with its formula."""
    _check_lang(lang)
    day = parse_date(as_of, "as_of") if as_of else _today()
    parsed = read_loan_file(loan, _calendar(holiday_overrides) if holiday_overrides else None)
    result = itemised_statement(ledger_as_of(parsed, day))
    if as_json:
        _print_json(StatementRead.from_statement(result).model_dump(mode="json"))
    else:
        typer.echo(statement_text(result, lang))


@app.command()
def tour(lang: Lang = "zh-CN") -> None:
    """A guided tour of the ledger: a schedule, then an overdue loan's statement with every formula."""
    _check_lang(lang)
    source = resources.files("xieshang").joinpath("data/demo_loan.json")
    with resources.as_file(source) as path:
        loan = read_loan_file(path)
    zh = lang == "zh-CN"
    typer.echo(
        "xieshang 协商 — "
        + (
            "演示：一笔贷款的还款计划与逐项账单"
            if zh
            else "demo: a loan's schedule and itemised statement"
        )
    )
    typer.echo(f"(xieshang {__version__}; " + ("数据来自" if zh else "data from") + f" {source})\n")
    typer.echo(schedule_text(loan.terms, loan.schedule, lang))
    typer.echo("")
    typer.echo(statement_text(itemised_statement(ledger_as_of(loan, date(2026, 6, 20))), lang))
    typer.echo(
        "\n"
        + ("试试：" if zh else "Try: ")
        + "xieshang schedule --principal 10000 --annual-rate 10% --months 12 --json"
    )


def _calendar(overrides: Path | None) -> ChinaBankCalendar:
    return ChinaBankCalendar.from_file(overrides) if overrides else ChinaBankCalendar()


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


_HEAD = {
    "zh-CN": ("期数", "还款日", "期供", "本金", "利息", "剩余本金", "合计", "年化利率（IRR）"),
    "en": ("No.", "Due date", "Payment", "Principal", "Interest", "Balance", "Total", "APR (IRR)"),
}
_METHOD_ZH = {
    "equal_installment": "等额本息",
    "equal_principal": "等额本金",
    "interest_first": "先息后本",
    "bullet": "到期一次还本付息",
    "flat": "等本等息",
}


def schedule_text(terms: LoanTerms, plan: Schedule, lang: str) -> str:
    head = _HEAD[lang]
    method = (
        _METHOD_ZH[terms.method.value] if lang == "zh-CN" else terms.method.value.replace("_", " ")
    )
    title = (
        f"{method} · 本金 {display_yuan(terms.principal)} · 年利率 {format_rate(terms.annual_rate)} · "
        f"{terms.months} 期 · 放款日 {terms.start_date}"
        if lang == "zh-CN"
        else f"{method} · principal {display_yuan(terms.principal)} · {format_rate(terms.annual_rate)} a year · "
        f"{terms.months} months · from {terms.start_date}"
    )
    rows = [title, _row(head[:6])]
    for i in plan.installments:
        rows.append(
            _row(
                (
                    str(i.number),
                    i.due_date.isoformat(),
                    *(display_yuan(v) for v in (i.payment, i.principal, i.interest, i.balance)),
                )
            )
        )
    rows.append(
        _row(
            (
                head[6],
                "",
                display_yuan(plan.total_payment),
                display_yuan(plan.principal),
                display_yuan(plan.total_interest),
                "",
            )
        )
    )
    rows.append(f"{head[7]}: {format_rate(apr(plan.cash_flows(), plan.start_date))}")
    return "\n".join(rows)


def _row(cells: tuple[str, ...]) -> str:
    widths = (4, 11, 13, 13, 11, 14)
    padded = [
        _pad(cell, width, left=n == 0)
        for n, (cell, width) in enumerate(zip(cells, widths, strict=True))
    ]
    return "  ".join(padded).rstrip()


def _pad(text: str, width: int, *, left: bool) -> str:
    """Pad to a terminal width, counting CJK characters as two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    fill = " " * max(0, width - used)
    return text + fill if left else fill + text


_LABELS = {
    "zh-CN": {
        "title": "逐项账单 截至 {as_of}",
        "owed": "今日应还",
        "dpd": "逾期天数 {dpd} 天 · 账龄 {bucket} · 五级分类 {cls}",
        "payoff": "提前结清需还 {payoff}（含未到期本金 {principal}、本期已计利息 {accrued}）",
        "principal": "本金",
        "interest": "利息",
        "penalty": "罚息",
        "compound": "复利",
        "fee": "费用",
        "normal": "正常",
        "special_mention": "关注",
        "substandard": "次级",
        "doubtful": "可疑",
        "loss": "损失",
    },
    "en": {
        "title": "Itemised statement as of {as_of}",
        "owed": "Owed today",
        "dpd": "{dpd} days past due · bucket {bucket} · classification {cls}",
        "payoff": "Pay off today: {payoff} (principal not yet due {principal}, interest earned this period {accrued})",
        "principal": "principal",
        "interest": "interest",
        "penalty": "penalty interest",
        "compound": "compound interest",
        "fee": "fees",
        "normal": "normal",
        "special_mention": "special mention",
        "substandard": "substandard",
        "doubtful": "doubtful",
        "loss": "loss",
    },
}


def statement_text(result: Statement, lang: str) -> str:
    t = _LABELS[lang]
    zh = lang == "zh-CN"
    out = [t["title"].format(as_of=result.as_of)]
    for line in result.lines:
        amount = display_yuan(line.amount).rjust(12)
        out.append(f"  {line.on}  {amount}  {line.formula_zh if zh else line.formula_en}")
    parts = ", ".join(f"{t[c.value]} {display_yuan(v)}" for c, v in result.owed_now.items() if v)
    out.append(
        f"{t['owed']}: {display_yuan(result.total_owed_now)}" + (f" ({parts})" if parts else "")
    )
    out.append(
        t["dpd"].format(
            dpd=result.days_past_due, bucket=result.bucket, cls=t[result.classification]
        )
    )
    out.append(
        t["payoff"].format(
            payoff=display_yuan(result.payoff_amount),
            principal=display_yuan(result.outstanding_principal),
            accrued=display_yuan(result.accrued_interest),
        )
    )
    return "\n".join(out)
