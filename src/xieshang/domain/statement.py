"""The itemised statement: every amount a customer is asked for, with its formula in words.

This is what a customer disputing a charge reads, so each line carries the formula and its inputs in
zh-CN and en: "逾期本金 ¥802.46 × 罚息年利率 15.00% ÷ 360 = 每日 ¥0.33，× 17 天 = ¥5.61".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from xieshang.domain.allocation import Component
from xieshang.domain.delinquency import LOAN_THRESHOLDS, Buckets, ClassificationThresholds
from xieshang.domain.ledger_state import AccrualLine, InstallmentState, LedgerState, PaymentRecord
from xieshang.domain.loan import ChargeKind
from xieshang.domain.money import Fen
from xieshang.domain.money import display_yuan as y
from xieshang.domain.rates import format_rate
from xieshang.domain.schedule import RepaymentMethod

_ONE_DAY = timedelta(days=1)
_NAMES_ZH = {
    Component.PRINCIPAL: "本金",
    Component.INTEREST: "利息",
    Component.PENALTY: "罚息",
    Component.COMPOUND: "复利",
    Component.FEE: "费用",
}


@dataclass(frozen=True, slots=True)
class StatementLine:
    kind: str
    """``principal``, ``interest``, ``penalty``, ``compound``, ``fee``, ``payment`` or ``settlement``."""
    on: date
    amount: Fen
    installment: int | None
    formula_zh: str
    formula_en: str


@dataclass(frozen=True, slots=True)
class Statement:
    as_of: date
    lines: tuple[StatementLine, ...]
    owed_now: dict[Component, Fen]
    paid: Fen
    outstanding_principal: Fen
    accrued_interest: Fen
    payoff_amount: Fen
    credit: Fen
    days_past_due: int
    bucket: str
    classification: str

    @property
    def total_owed_now(self) -> Fen:
        return sum(self.owed_now.values())


def itemised_statement(
    state: LedgerState,
    *,
    buckets: Buckets | None = None,
    thresholds: ClassificationThresholds = LOAN_THRESHOLDS,
) -> Statement:
    """The statement as of ``state.as_of``: installments due so far and the next one, charges,
    penalty and compound interest stretch by stretch, and every payment with where it went."""
    lines: list[StatementLine] = []
    upcoming = [s for s in state.installments if s.installment.due_date > state.as_of][:1]
    for item in (*state.due(), *upcoming):
        lines += _installment_lines(state, item)
        lines += [_accrual_line(line) for line in item.accruals]
    lines += [
        _charge_line(state, index)
        for index, charge in enumerate(state.loan.charges)
        if charge.on <= state.as_of  # a charge dated later is not on this statement yet
    ]
    lines += [_payment_line(record.payment.on, record) for record in state.payments]
    if state.settled_on is not None:
        lines.append(_settlement_line(state, state.settled_on))
    lines.sort(key=lambda line: (line.on, line.installment or 0))
    dpd = state.days_past_due
    return Statement(
        as_of=state.as_of,
        lines=tuple(lines),
        owed_now={c: state.owed_now(c) for c in Component},
        paid=sum(r.payment.amount for r in state.payments),
        outstanding_principal=state.outstanding_principal,
        accrued_interest=state.accrued_interest,
        payoff_amount=state.payoff_amount,
        credit=state.credit,
        days_past_due=dpd,
        bucket=(buckets or Buckets()).bucket(dpd),
        classification=thresholds.classify(dpd).value,
    )


def _installment_lines(state: LedgerState, item: InstallmentState) -> list[StatementLine]:
    inst, terms = item.installment, state.loan.terms
    n, count = inst.number, len(state.installments)
    rate, base = format_rate(terms.annual_rate), y(inst.interest_base)
    if inst.interest_days:
        year = terms.day_count.days_in_year
        i_zh = f"{base} × 年利率 {rate} × {inst.interest_days} 天 ÷ {year}"
        i_en = f"{base} × {rate} a year × {inst.interest_days} days ÷ {year}"
    elif inst.interest_months > 1:
        i_zh = f"{base} × 年利率 {rate} ÷ 12 × {inst.interest_months} 个月"
        i_en = f"{base} × {rate} a year ÷ 12 × {inst.interest_months} months"
    else:
        i_zh = f"{base} × 年利率 {rate} ÷ 12"
        i_en = f"{base} × {rate} a year ÷ 12"
    what_zh = "原始本金" if terms.method is RepaymentMethod.FLAT else "期初本金余额"
    what_en = "original principal" if terms.method is RepaymentMethod.FLAT else "opening balance"
    lines = [
        StatementLine(
            "interest",
            inst.due_date,
            inst.interest,
            n,
            f"第{n}期利息 = {what_zh} {i_zh} = {y(inst.interest)}",
            f"Installment {n} interest = {what_en} {i_en} = {y(inst.interest)}",
        )
    ]
    if n == count or terms.method in (RepaymentMethod.INTEREST_FIRST, RepaymentMethod.BULLET):
        p_zh, p_en = f"剩余本金 {y(inst.principal)}", f"the remaining principal {y(inst.principal)}"
    elif inst.principal == 0:
        p_zh, p_en = "宽限期内只付利息，本金 ¥0.00", "interest-only period, principal ¥0.00"
    elif terms.method is RepaymentMethod.EQUAL_PRINCIPAL:
        p_zh = f"贷款本金 {y(terms.principal)} ÷ 摊还期数 = {y(inst.principal)}"
        p_en = f"loan principal {y(terms.principal)} ÷ amortising periods = {y(inst.principal)}"
    else:
        p_zh = f"期供 {y(inst.payment)} − 利息 {y(inst.interest)} = {y(inst.principal)}"
        p_en = f"installment {y(inst.payment)} − interest {y(inst.interest)} = {y(inst.principal)}"
    lines.append(
        StatementLine(
            "principal",
            inst.due_date,
            inst.principal,
            n,
            f"第{n}期本金 = {p_zh}；还后余额 {y(inst.balance)}",
            f"Installment {n} principal = {p_en}; balance after {y(inst.balance)}",
        )
    )
    return lines


def _accrual_line(line: AccrualLine) -> StatementLine:
    rate = format_rate(line.annual_rate)
    if line.component is Component.PENALTY:
        base_zh, base_en, kind_zh = "逾期本金", "overdue principal", "罚息"
    else:
        base_zh, base_en, kind_zh = "逾期利息", "overdue interest", "复利"
    n, year = line.installment, line.days_in_year
    return StatementLine(
        line.component.value,
        line.end,
        line.amount,
        n,
        f"第{n}期{kind_zh}（{line.start + _ONE_DAY} 至 {line.end}）= {base_zh} {y(line.base)} × "
        f"罚息年利率 {rate} ÷ {year} = 每日 {y(line.daily)}，× {line.days} 天 = {y(line.amount)}",
        f"Installment {n} {line.component.value} interest ({line.start + _ONE_DAY} to {line.end}) = "
        f"{base_en} {y(line.base)} × penalty rate {rate} a year ÷ {year} = {y(line.daily)} a day, "
        f"× {line.days} days = {y(line.amount)}",
    )


def _charge_line(state: LedgerState, index: int) -> StatementLine:
    charge = state.loan.charges[index]
    label_zh = "违约金" if charge.kind is ChargeKind.LATE_FEE else "手续费"
    label_en = "late fee" if charge.kind is ChargeKind.LATE_FEE else "fee"
    note = f"（{charge.description}）" if charge.description else ""
    note_en = f" ({charge.description})" if charge.description else ""
    return StatementLine(
        "fee",
        charge.on,
        charge.amount,
        charge.installment,
        f"{label_zh}{note} {y(charge.amount)}，按合同约定收取，不计利息",
        f"{label_en}{note_en} {y(charge.amount)} as the contract states; no interest accrues on it",
    )


def _settlement_line(state: LedgerState, on: date) -> StatementLine:
    """Early settlement (提前结清): interest only to the settlement day, none after it."""
    later = [s for s in state.installments if s.installment.due_date > on]
    waived = sum(s.installment.interest - s.charged[Component.INTEREST] for s in later)
    current = [s for s in later if s.installment.start_date < on]
    to_date_zh = to_date_en = ""
    if current:
        item = current[0]
        days = state.loan.terms.day_count.days(item.installment.start_date, on)
        charged = y(item.charged[Component.INTEREST])
        to_date_zh = f"第{item.installment.number}期利息按实际 {days} 天计至结清日 {charged}；"
        to_date_en = f"installment {item.installment.number} interest for the {days} days to settlement {charged}; "
    return StatementLine(
        "settlement",
        on,
        -waived,
        None,
        f"提前结清（{on}）：{to_date_zh}未到期利息 {y(waived)} 不再收取",
        f"Early settlement on {on}: {to_date_en}interest not yet earned, {y(waived)}, is not charged",
    )


def _payment_line(on: date, record: PaymentRecord) -> StatementLine:
    parts_zh = "、".join(
        f"第{a.installment}期{_NAMES_ZH[a.component]} {y(a.amount)}" for a in record.allocations
    )
    parts_en = ", ".join(
        f"installment {a.installment} {a.component.value} {y(a.amount)}" for a in record.allocations
    )
    extra_zh = f"；未分配 {y(record.unapplied)} 存为余款" if record.unapplied else ""
    extra_en = f"; {y(record.unapplied)} unapplied, held as credit" if record.unapplied else ""
    amount = record.payment.amount
    return StatementLine(
        "payment",
        on,
        -amount,
        None,
        f"还款 {y(amount)}，按顺序冲抵：{parts_zh or '无'}{extra_zh}",
        f"Payment {y(amount)}, applied in order to: {parts_en or 'nothing'}{extra_en}",
    )
