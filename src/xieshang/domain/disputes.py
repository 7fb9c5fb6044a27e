"""Charge disputes (费用争议): recompute what the contract allows and compare it with what was charged.

A customer disputes penalty interest (罚息), compound interest (复利), fees (手续费), late fees (违约金)
or contract interest (利息) on an installment. :func:`review_charges` replays the loan with the ledger
(:func:`~xieshang.domain.accrual.ledger_as_of`) under the contract's own rules — with the penalty
markup never above the legal maximum — and compares each disputed amount with the lawful one:

- an overcharge becomes a correction and a refund of exactly the difference, in fen;
- a correct charge is explained line by line with the itemised statement's formulas;
- an undercharge is noted and never billed retroactively;
- a charge beyond a legal limit is flagged for compliance: a penalty markup outside 30–50 %
  (银发〔2003〕251号 第三条), interest on fees or 违约金 (银发〔2016〕111号), or an all-in cost above
  24 % a year (法发〔2017〕22号 第2条), measured by IRR (PBoC 公告〔2021〕第3号).

Every verdict and flag carries a reason code and parameters, never a sentence: the texts come from the
bank's policy (``reasons`` in the policy document renders each code in zh-CN and en).
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from xieshang.domain.accrual import AccrualLine, InstallmentState, LedgerState, ledger_as_of
from xieshang.domain.allocation import Component
from xieshang.domain.errors import InvalidInput
from xieshang.domain.loan import Charge, ChargeKind, Loan
from xieshang.domain.money import Fen, round_ratio, to_yuan
from xieshang.domain.negotiation.reasons import Reason
from xieshang.domain.rates import apr, format_rate
from xieshang.domain.statement import StatementLine, itemised_statement

_ONE_DAY = timedelta(days=1)
_HUNDREDTH = Decimal("0.01")
MAX_INFERRED_MARKUP = Decimal(3)
"""The highest markup :func:`infer_markup` tries when it reproduces a charged amount (300 %)."""


class ChargedComponent(enum.StrEnum):
    """What kind of amount a bank charged and a customer disputes."""

    PENALTY = "penalty"
    """罚息: on overdue principal at the contract rate × (1 + markup)."""
    COMPOUND = "compound"
    """复利: on overdue contract interest at the penalty rate."""
    FEE = "fee"
    """手续费."""
    LATE_FEE = "late_fee"
    """违约金."""
    INTEREST = "interest"
    """利息: the contract interest of an installment."""


_NAMES_ZH = {
    ChargedComponent.PENALTY: "罚息",
    ChargedComponent.COMPOUND: "复利",
    ChargedComponent.FEE: "手续费",
    ChargedComponent.LATE_FEE: "违约金",
    ChargedComponent.INTEREST: "利息",
}
_ACCRUED = {
    ChargedComponent.PENALTY: Component.PENALTY,
    ChargedComponent.COMPOUND: Component.COMPOUND,
}
_FEE_KINDS = {ChargedComponent.FEE: ChargeKind.FEE, ChargedComponent.LATE_FEE: ChargeKind.LATE_FEE}


class Verdict(enum.StrEnum):
    CORRECT = "correct"
    OVERCHARGED = "overcharged"
    UNDERCHARGED = "undercharged"
    """Noted only: the bank never bills an undercharge retroactively."""


class FlagKind(enum.StrEnum):
    """Why a finding goes to compliance."""

    PENALTY_MARKUP_OUT_OF_RANGE = "penalty_markup_out_of_range"
    INTEREST_ON_FEES = "interest_on_fees"
    TOTAL_COST_ABOVE_CAP = "total_cost_above_cap"


@dataclass(frozen=True, slots=True)
class DisputeLimits:
    """The legal limits a charge is checked against; the bank's policy document supplies them.

    - ``penalty_markup_min`` / ``penalty_markup_max``: penalty interest on overdue loans is the
      contract rate plus 30–50 % (《中国人民银行关于人民币贷款利率有关问题的通知》银发〔2003〕251号
      第三条); compound interest on unpaid interest runs at the same penalty rate.
    - ``apr_cap``: a court reduces the part of interest, compound interest, penalty interest, 违约金
      and other fees that together exceed 24 % a year when the borrower asks
      (《最高人民法院关于进一步加强金融审判工作的若干意见》法发〔2017〕22号 第2条); measured as an
      annualised rate by IRR (中国人民银行公告〔2021〕第3号).
    - ``interest_on_fees_allowed``: interest may not accrue on 违约金 or fees (银发〔2016〕111号).
    """

    penalty_markup_min: Decimal = Decimal("0.30")
    penalty_markup_max: Decimal = Decimal("0.50")
    apr_cap: Decimal = Decimal("0.24")
    interest_on_fees_allowed: bool = False

    def __post_init__(self) -> None:
        if not Decimal(0) <= self.penalty_markup_min <= self.penalty_markup_max <= 1:
            raise InvalidInput(
                "penalty_markup", "must satisfy 0 ≤ minimum ≤ maximum ≤ 100 % of the contract rate"
            )
        if not Decimal(0) < self.apr_cap <= 10:
            raise InvalidInput("apr_cap", "must be more than 0 and at most 1 000 % a year")


@dataclass(frozen=True, slots=True)
class ChargedItem:
    """One amount the bank actually charged on an installment, as the customer's bill shows it.

    ``first_day`` and ``last_day`` (both included) restrict the comparison to the days the bill
    covers, when it says: for penalty and compound interest, the days of accrual; for a fee, the
    day(s) it was put on the loan. ``markup`` is the penalty markup the bank says it applied, if
    known; otherwise it is inferred from the amount (:func:`infer_markup`).
    """

    installment: int
    component: ChargedComponent
    amount: Fen
    first_day: date | None = None
    last_day: date | None = None
    markup: Decimal | None = None

    def __post_init__(self) -> None:
        if self.installment < 1:
            raise InvalidInput("charged.installment", "must be at least 1")
        if self.amount < 0:
            raise InvalidInput("charged.amount", "cannot be negative")
        if self.first_day and self.last_day and self.first_day > self.last_day:
            raise InvalidInput("charged.first_day", "is after last_day")
        if self.markup is not None and not Decimal(0) <= self.markup <= MAX_INFERRED_MARKUP:
            raise InvalidInput("charged.markup", "must be between 0 and 300 %")


@dataclass(frozen=True, slots=True)
class ComplianceFlag:
    kind: FlagKind
    reason: Reason


@dataclass(frozen=True, slots=True)
class DisputeLine:
    """One disputed item compared with the lawful amount, and the formulas behind the lawful one."""

    item: ChargedItem
    lawful: Fen
    verdict: Verdict
    reason: Reason
    causes: tuple[Reason, ...]
    """What explains the difference, when it can be told (markup, interest on a fee, no such charge)."""
    formula: tuple[StatementLine, ...]
    """The itemised-statement lines that make up ``lawful``, in zh-CN and en."""

    @property
    def charged(self) -> Fen:
        return self.item.amount

    @property
    def difference(self) -> Fen:
        """Charged − lawful: positive for an overcharge, negative for an undercharge."""
        return self.item.amount - self.lawful

    @property
    def refund(self) -> Fen:
        """The correction owed to the customer; an undercharge is never billed, so never negative."""
        return max(0, self.difference)


@dataclass(frozen=True, slots=True)
class DisputeFinding:
    as_of: date
    lawful_markup: Decimal
    """The penalty markup of the recomputation: the contract's, never above the legal maximum."""
    lines: tuple[DisputeLine, ...]
    flags: tuple[ComplianceFlag, ...]
    all_in_apr: Decimal | None
    """Annualised cost by IRR of principal out, payments in and what is still claimed, with the
    disputed charges as charged; None when there is nothing to measure."""

    @property
    def refund_due(self) -> Fen:
        """The sum of the overcharges, exact to the fen."""
        return sum(line.refund for line in self.lines)

    @property
    def undercharged(self) -> Fen:
        """The sum of the undercharges: noted, not billed."""
        return sum(max(0, -line.difference) for line in self.lines)

    @property
    def corrections(self) -> tuple[DisputeLine, ...]:
        return tuple(line for line in self.lines if line.verdict is Verdict.OVERCHARGED)

    @property
    def flag_kinds(self) -> frozenset[FlagKind]:
        return frozenset(flag.kind for flag in self.flags)

    def flagged(self, kind: FlagKind) -> bool:
        return kind in self.flag_kinds


def review_charges(
    loan: Loan, charged: Sequence[ChargedItem], limits: DisputeLimits, as_of: date
) -> DisputeFinding:
    """Recompute the disputed charges of ``loan`` as of ``as_of`` and compare them line by line.

    ``loan`` is the contract (terms, schedule, rules as the contract states them) with its payments
    and contractual charges. The recomputation uses the contract's markup, capped at
    ``limits.penalty_markup_max``; every other rule is the contract's.
    """
    count = len(loan.schedule.installments)
    for index, item in enumerate(charged):
        if item.installment > count:
            raise InvalidInput(f"charged[{index}].installment", f"must be between 1 and {count}")
        if item.last_day is not None and item.last_day > as_of:
            raise InvalidInput(f"charged[{index}].last_day", "is after the review date")
    review = _Review(loan, limits, as_of)
    assessed = [review.assess(item) for item in charged]
    # Amounts charged at an unknown markup come from one bank computation: they narrow it together.
    observations = [
        (a.item.amount, a.accruals)
        for a in assessed
        if a.item.amount > a.lawful and a.item.markup is None and a.accruals and a.on_fee is None
    ]
    review.joint_markup = _fit_markup(observations, loan.terms.annual_rate)
    lines = tuple(review.line(a) for a in assessed)
    extra = sum(line.difference for line in lines)
    all_in = review.all_in_apr(extra)
    flags = review.contract_flags() + review.flags
    if all_in is not None and all_in > limits.apr_cap:
        params = {"apr": format_rate(all_in), "cap": format_rate(limits.apr_cap)}
        flags.append(
            ComplianceFlag(
                FlagKind.TOTAL_COST_ABOVE_CAP, Reason("DISPUTE_TOTAL_COST_ABOVE_CAP", params)
            )
        )
    unique: list[ComplianceFlag] = []
    for flag in flags:
        if flag not in unique:
            unique.append(flag)
    return DisputeFinding(as_of, review.lawful_markup, lines, tuple(unique), all_in)


def infer_markup(
    charged: Fen,
    lines: Sequence[AccrualLine],
    contract_rate: Decimal,
    *,
    others: Sequence[tuple[Fen, Sequence[AccrualLine]]] = (),
) -> Decimal | None:
    """The penalty markup a bank used, from the amount it charged for the stretches in ``lines``.

    ``lines`` are the lawful accrual lines (penalty or compound) for the same days, at the contract
    rate × (1 + lawful markup). The first estimate is the ratio charged ÷ lawful × (1 + lawful
    markup) − 1. Daily rounding to the fen blurs that ratio (¥0.33 a day is any rate giving 0.325 to
    0.335), so the markup returned is the lowest whole percent (0–300 %) that reproduces the charged
    amount with the same bases, days and daily rounding — the bank charged at least that. ``others``
    are further (charged, lines) the bank computed at the same markup, such as the compound interest
    beside a penalty; a markup that reproduces them all is preferred, which narrows the range. If no
    markup comes within a fen per stretch, the estimate to the whole percent. None when the lawful
    amount is zero.
    """
    lawful = sum(line.amount for line in lines)
    if lawful <= 0 or contract_rate <= 0:
        return None
    for observations in ([(charged, lines), *others], [(charged, lines)]):
        markup = _fit_markup(observations, contract_rate)
        if markup is not None:
            return markup
    lawful_markup = lines[0].annual_rate / contract_rate - 1
    return (Decimal(charged) / lawful * (1 + lawful_markup) - 1).quantize(_HUNDREDTH)


def _fit_markup(
    observations: Sequence[tuple[Fen, Sequence[AccrualLine]]], contract_rate: Decimal
) -> Decimal | None:
    """The lowest whole-percent markup with the least total miss that reproduces every (charged,
    lines) within a fen per stretch; None if there is none."""
    if not observations or contract_rate <= 0:
        return None
    best: tuple[int, Decimal] | None = None
    for step in range(int(MAX_INFERRED_MARKUP / _HUNDREDTH) + 1):
        markup = step * _HUNDREDTH
        rate = contract_rate * (1 + markup)
        total = 0
        for amount, stretches in observations:
            miss = abs(_accrue(stretches, rate) - amount)
            if miss > len(stretches):
                break
            total += miss
        else:
            if best is None or total < best[0]:
                best = total, markup
                if total == 0:
                    break
    return None if best is None else best[1]


def _accrue(lines: Iterable[AccrualLine], rate: Decimal) -> Fen:
    """The same stretches at another annual rate: days × each day's amount rounded to the fen."""
    numerator, denominator = rate.as_integer_ratio()
    return sum(
        line.days * round_ratio(line.base * numerator, denominator * line.days_in_year)
        for line in lines
    )


def _clip(lines: Iterable[AccrualLine], first: date | None, last: date | None) -> list[AccrualLine]:
    """The part of each line on days first..last (included); lines cover (start, end]."""
    clipped = []
    for line in lines:
        start = line.start if first is None else max(line.start, first - _ONE_DAY)
        end = line.end if last is None else min(line.end, last)
        if end > start:
            clipped.append(replace(line, start=start, end=end))
    return clipped


def _markup_text(markup: Decimal) -> str:
    return str(markup.quantize(_HUNDREDTH))


@dataclass(frozen=True, slots=True)
class _Assessed:
    item: ChargedItem
    lawful: Fen
    accruals: list[AccrualLine]
    formula: tuple[StatementLine, ...]
    on_fee: tuple[Fen, Fen, Decimal] | None
    """(interest on a fee, the fee, the rate) when that is what the excess charged is."""


class _Review:
    """The lawful recomputation of one loan as of one date, and what each disputed item is checked
    against. Collects compliance flags as items are reviewed."""

    def __init__(self, loan: Loan, limits: DisputeLimits, as_of: date) -> None:
        self.loan = loan
        self.limits = limits
        self.as_of = as_of
        self.lawful_markup = min(loan.rules.markup, limits.penalty_markup_max)
        self.lawful_loan = replace(loan, rules=replace(loan.rules, markup=self.lawful_markup))
        self.state = ledger_as_of(self.lawful_loan, as_of)
        self.statement = itemised_statement(self.state)
        self.flags: list[ComplianceFlag] = []
        self.joint_markup: Decimal | None = None
        """The one markup that reproduces every amount charged at an unknown markup, if any."""
        self._states: dict[date, LedgerState] = {as_of: self.state}

    # -- the lawful amount and its formulas -------------------------------------------------

    def assess(self, item: ChargedItem) -> _Assessed:
        """The lawful amount of ``item``, the accrual behind it and its formula lines."""
        held = self.state.installments[item.installment - 1]
        accruals: list[AccrualLine] = []
        on_fee = None
        if item.component in _ACCRUED:
            component = _ACCRUED[item.component]
            mine = (a for a in held.accruals if a.component is component)
            accruals = _clip(mine, item.first_day, item.last_day)
            lawful = sum(a.amount for a in accruals)
            formula = self._accrual_formula(held, component, accruals)
            if item.amount > lawful and self._enabled(item.component):
                on_fee = self._interest_on_fee(item, accruals)
        elif item.component is ChargedComponent.INTEREST:
            lawful = held.charged[Component.INTEREST]
            formula = self._interest_formula(held)
        else:
            charges = self._contract_charges(item)
            lawful = sum(c.amount for c in charges)
            formula = self._fee_formula(charges)
        return _Assessed(item, lawful, accruals, formula, on_fee)

    def line(self, assessed: _Assessed) -> DisputeLine:
        item, lawful = assessed.item, assessed.lawful
        if item.markup is not None and item.component in _ACCRUED:
            self._check_markup(item.markup)
        difference = item.amount - lawful
        params = {
            "installment": str(item.installment),
            "component": item.component.value,
            "component_zh": _NAMES_ZH[item.component],
            "charged": to_yuan(item.amount),
            "lawful": to_yuan(lawful),
        }
        causes: list[Reason] = []
        if difference > 0:
            verdict = Verdict.OVERCHARGED
            reason = Reason("DISPUTE_OVERCHARGED", params | {"difference": to_yuan(difference)})
            causes = self._causes(assessed, params)
        elif difference < 0:
            verdict = Verdict.UNDERCHARGED
            reason = Reason(
                "DISPUTE_UNDERCHARGED_NOT_BILLED", params | {"shortfall": to_yuan(-difference)}
            )
        else:
            verdict = Verdict.CORRECT
            reason = Reason("DISPUTE_CHARGE_CORRECT", params)
        return DisputeLine(item, lawful, verdict, reason, tuple(causes), assessed.formula)

    def _accrual_formula(
        self, held: InstallmentState, component: Component, clipped: list[AccrualLine]
    ) -> tuple[StatementLine, ...]:
        """The statement's lines for these stretches; a stretch only partly disputed adds a line
        with the disputed days."""
        number = held.installment.number
        texts = [
            s for s in self.statement.lines if s.kind == component.value and s.installment == number
        ]
        originals = [a for a in held.accruals if a.component is component]
        formula: list[StatementLine] = []
        for original, text in zip(originals, texts, strict=True):
            for part in clipped:
                if original.start <= part.start and part.end <= original.end:
                    formula.append(text)
                    if part != original:
                        formula.append(_part_line(part))
        return tuple(formula)

    def _interest_formula(self, held: InstallmentState) -> tuple[StatementLine, ...]:
        inst = held.installment
        statement = self.statement
        if inst.due_date > self.as_of:  # the statement shows only the next installment not yet due
            statement = itemised_statement(replace(self.state, as_of=inst.due_date))
        formula = [
            s for s in statement.lines if s.kind == "interest" and s.installment == inst.number
        ]
        settled = self.state.settled_on
        if settled is not None and inst.due_date > settled:
            formula += [s for s in self.statement.lines if s.kind == "settlement"]
        return tuple(formula)

    def _contract_charges(self, item: ChargedItem) -> list[Charge]:
        """The contract's charges of this kind on this installment, on the days the bill covers."""
        kind = _FEE_KINDS[item.component]
        installments = self.loan.schedule.installments
        found = []
        for charge in self.loan.charges:
            if charge.kind is not kind or charge.on > self.as_of:
                continue
            if item.first_day and charge.on < item.first_day:
                continue
            if item.last_day and charge.on > item.last_day:
                continue
            # The ledger puts a charge without an installment on the next one due (accrual._next_due).
            number = charge.installment or next(
                (i.number for i in installments if i.due_date >= charge.on), len(installments)
            )
            if number == item.installment:
                found.append(charge)
        return found

    def _fee_formula(self, charges: list[Charge]) -> tuple[StatementLine, ...]:
        wanted = Counter((c.on, c.amount, c.installment) for c in charges)
        formula = []
        for s in self.statement.lines:
            key = (s.on, s.amount, s.installment)
            if s.kind == "fee" and wanted[key] > 0:
                wanted[key] -= 1
                formula.append(s)
        return tuple(formula)

    # -- causes and flags -------------------------------------------------------------------

    def _enabled(self, component: ChargedComponent) -> bool:
        rules = self.loan.rules
        return (
            rules.penalty_enabled
            if component is ChargedComponent.PENALTY
            else rules.compound_enabled
        )

    def _causes(self, assessed: _Assessed, params: dict[str, str]) -> list[Reason]:
        item = assessed.item
        if item.component in _FEE_KINDS and assessed.lawful == 0:
            return [Reason("DISPUTE_CAUSE_NOT_IN_CONTRACT", params)]
        if item.component not in _ACCRUED:
            return []
        if not self._enabled(item.component):
            return [Reason("DISPUTE_CAUSE_NOT_IN_CONTRACT", params)]
        if assessed.on_fee is not None:
            amount, fee, rate = assessed.on_fee
            values = {"amount": to_yuan(amount), "fee": to_yuan(fee), "rate": format_rate(rate)}
            if not self.limits.interest_on_fees_allowed:
                self.flags.append(
                    ComplianceFlag(
                        FlagKind.INTEREST_ON_FEES,
                        Reason("DISPUTE_INTEREST_ON_FEES", params | values),
                    )
                )
            return [Reason("DISPUTE_CAUSE_INTEREST_ON_FEE", params | values)]
        markup = item.markup
        if markup is None:
            contract_rate = self.loan.terms.annual_rate
            markup = self.joint_markup
            if markup is None:
                markup = infer_markup(item.amount, assessed.accruals, contract_rate)
        if markup is None or markup <= self.lawful_markup:
            return []
        self._check_markup(markup)
        values = {
            "charged_markup": _markup_text(markup),
            "lawful_markup": _markup_text(self.lawful_markup),
        }
        return [Reason("DISPUTE_CAUSE_MARKUP", values)]

    def _check_markup(self, markup: Decimal) -> None:
        flag = _markup_flag(markup, self.limits)
        if flag is not None:
            self.flags.append(flag)

    def contract_flags(self) -> list[ComplianceFlag]:
        """The contract's own markup outside the legal range (when it charges penalty at all)."""
        rules = self.loan.rules
        if not (rules.penalty_enabled or rules.compound_enabled):
            return []
        flag = _markup_flag(rules.markup, self.limits)
        return [] if flag is None else [flag]

    def _state_at(self, day: date) -> LedgerState:
        if day not in self._states:
            self._states[day] = ledger_as_of(self.lawful_loan, day)
        return self._states[day]

    def _interest_on_fee(
        self, item: ChargedItem, lines: list[AccrualLine]
    ) -> tuple[Fen, Fen, Decimal] | None:
        """(interest on the fee, the largest fee owed, the rate) when the charged amount is matched
        — within a fen per stretch — by adding interest on the installment's unpaid fees, either in
        the base (base + fee) or as a separate daily amount, at the lawful penalty rate, the
        contract's penalty rate or the contract rate; and not matched without the fees at any of
        those rates. None otherwise."""
        inst = self.loan.schedule.installments[item.installment - 1]
        first = inst.due_date if item.first_day is None else item.first_day - _ONE_DAY
        begin = max(inst.due_date, first)
        end = self.as_of if item.last_day is None else item.last_day
        if end <= begin:
            return None
        events = {c.on for c in self.loan.charges} | {p.on for p in self.loan.payments}
        events |= {line.start for line in lines} | {line.end for line in lines}
        points = sorted({begin, end} | {day for day in events if begin < day < end})
        stretches = []
        for start, stop in pairwise(points):
            fee = self._state_at(start).installments[item.installment - 1].owed(Component.FEE)
            base = next((a.base for a in lines if a.start <= start and stop <= a.end), 0)
            stretches.append(((stop - start).days, base, fee))
        with_fee = sum(1 for _, _, fee in stretches if fee > 0)
        if not with_fee:
            return None
        year = self.loan.rules.day_count.days_in_year
        contract = self.loan.terms.annual_rate
        rates = [contract * (1 + self.lawful_markup), self.loan.rules.penalty_rate(contract)]
        rates += [contract] + ([contract * (1 + item.markup)] if item.markup is not None else [])

        def total(rate: Decimal, with_base: bool, with_fees: bool) -> Fen:
            numerator, denominator = rate.as_integer_ratio()
            return sum(
                days
                * round_ratio((base * with_base + fee * with_fees) * numerator, denominator * year)
                for days, base, fee in stretches
            )

        if any(total(rate, True, False) == item.amount for rate in rates):
            return None
        for rate in rates:
            without = total(rate, True, False)
            for candidate in (total(rate, True, True), without + total(rate, False, True)):
                if candidate > without and abs(candidate - item.amount) <= with_fee:
                    return candidate - without, max(fee for _, _, fee in stretches), rate
        return None

    # -- the all-in cost --------------------------------------------------------------------

    def all_in_apr(self, extra: Fen) -> Decimal | None:
        """IRR of principal out, every payment in, and what is still claimed: what is due now (with
        ``extra``, the disputed charges as charged less the lawful ones) on the review date, less any
        credit, and each installment not yet due on its due date."""
        state, start = self.state, self.loan.schedule.start_date
        flows = [(start, -self.loan.terms.principal)]
        flows += [(p.on, p.amount) for p in self.loan.payments if p.on <= self.as_of]
        now = extra - state.credit
        for held in state.installments:
            if held.installment.due_date <= self.as_of:
                now += held.total_owed
            elif held.total_owed:
                flows.append((held.installment.due_date, held.total_owed))
        if now:
            flows.append((self.as_of, now))
        if not any(amount > 0 for _, amount in flows):
            return None
        return apr(flows, start)


def _markup_flag(markup: Decimal, limits: DisputeLimits) -> ComplianceFlag | None:
    if markup > limits.penalty_markup_max:
        code, name, bound = "DISPUTE_PENALTY_MARKUP_ABOVE_MAX", "max", limits.penalty_markup_max
    elif markup < limits.penalty_markup_min:
        code, name, bound = "DISPUTE_PENALTY_MARKUP_BELOW_MIN", "min", limits.penalty_markup_min
    else:
        return None
    params = {"charged_markup": _markup_text(markup), name: _markup_text(bound)}
    return ComplianceFlag(FlagKind.PENALTY_MARKUP_OUT_OF_RANGE, Reason(code, params))


def _part_line(line: AccrualLine) -> StatementLine:
    """The disputed days of a stretch the statement shows whole."""
    first = line.start + _ONE_DAY
    daily, amount = to_yuan(line.daily), to_yuan(line.amount)
    return StatementLine(
        line.component.value,
        line.end,
        line.amount,
        line.installment,
        f"其中争议期间（{first} 至 {line.end}）：每日 ¥{daily} × {line.days} 天 = ¥{amount}",
        f"of which the disputed days ({first} to {line.end}): ¥{daily} a day × {line.days} days "
        f"= ¥{amount}",
    )
