"""Daily accrual and payment application: the state of a loan as of any date.

The ledger replays a loan's events in date order (charges, then payments, on the same day) over its
schedule. Between two events nothing changes, so each day's penalty and compound interest is the same
and a stretch of days is accrued as ``days × daily amount`` — the result is identical to a day-by-day
close of business, and accruing a→b then b→c equals accruing a→c.

Day conventions: an installment due on D is overdue from D+1; a day's accrual belongs to the day that
ends it, so a payment on day X settles penalty accrued through X.
"""

from __future__ import annotations

import bisect
import itertools
from datetime import date, timedelta

from xieshang.domain.allocation import Allocation, Component, Due, allocate
from xieshang.domain.errors import InvalidInput
from xieshang.domain.ledger_state import AccrualLine, InstallmentState, LedgerState, PaymentRecord
from xieshang.domain.loan import Charge, Loan, Payment
from xieshang.domain.money import Fen, round_ratio
from xieshang.domain.payoff import interest_to_date, payoff
from xieshang.domain.schedule import Installment

# The state the replay leaves is defined in ledger_state and priced for early settlement in payoff;
# every name stays importable from here.
__all__ = [
    "AccrualLine",
    "InstallmentState",
    "LedgerState",
    "PaymentRecord",
    "interest_to_date",
    "ledger_as_of",
    "payoff",
]

_COMPONENTS = tuple(Component)
_NOTHING = dict.fromkeys(_COMPONENTS, 0)
_PENALTY, _COMPOUND, _FEE, _INTEREST, _PRINCIPAL = (
    Component.PENALTY,
    Component.COMPOUND,
    Component.FEE,
    Component.INTEREST,
    Component.PRINCIPAL,
)
"""The components, read once: an Enum member's attribute access is slow in the replay's loops."""


class _Line:
    """Penalty or compound interest on ``base`` for the days in (``start``, ``end``] while the replay
    may still extend it; an :class:`AccrualLine` once the replay ends."""

    __slots__ = ("base", "component", "daily", "end", "start")

    def __init__(self, component: Component, start: date, end: date, base: Fen, daily: Fen) -> None:
        self.component = component
        self.start = start
        self.end = end
        self.base = base
        self.daily = daily

    @property
    def amount(self) -> Fen:
        return self.daily * (self.end - self.start).days


class _Open:
    """Working state of one installment while events are replayed, with running totals."""

    __slots__ = ("charged", "cleared_on", "installment", "lines", "paid", "pending")

    def __init__(self, installment: Installment) -> None:
        self.installment = installment
        self.charged: dict[Component, Fen] = _NOTHING.copy()
        self.charged[_PRINCIPAL] = installment.principal
        self.charged[_INTEREST] = installment.interest
        self.paid: dict[Component, Fen] = _NOTHING.copy()
        self.lines: list[_Line] = []
        self.pending: list[_Line] = []
        self.cleared_on: date | None = None

    def owed(self, component: Component) -> Fen:
        return self.charged[component] - self.paid[component]

    def post(self, line: _Line) -> None:
        last = _continued(self.lines, line.component, line.start, line.base, line.daily)
        if last is None:
            self.lines.append(line)
        else:
            last.end = line.end
        self.charged[line.component] += line.amount

    @property
    def settled(self) -> bool:
        return sum(self.charged.values()) == sum(self.paid.values())


class _Replay:
    def __init__(self, loan: Loan) -> None:
        self.loan = loan
        self.rules = loan.rules
        self.rate = loan.rules.penalty_rate(loan.terms.annual_rate)
        self.days_in_year = loan.rules.day_count.days_in_year
        numerator, denominator = self.rate.as_integer_ratio()
        self.daily_ratio = numerator, denominator * self.days_in_year
        self.open = [_Open(i) for i in loan.schedule.installments]
        self.day = loan.schedule.start_date
        self.records: list[PaymentRecord] = []
        self.credit = 0
        self.settled_on: date | None = None
        self.principal_owed = sum(i.principal for i in loan.schedule.installments)
        self.interest_paid = 0
        """Running totals over every installment, for the cheap bound in :meth:`_may_settle`."""
        self.grace = grace = timedelta(days=loan.rules.grace_days)
        self.boundaries = sorted(
            {i.due_date for i in loan.schedule.installments}
            | {i.due_date + grace for i in loan.schedule.installments}
        )
        dues = [i.due_date for i in loan.schedule.installments]
        self.due_dates = dues if all(a <= b for a, b in itertools.pairwise(dues)) else None
        """The due dates in order, to skip the installments not yet due (None if out of order)."""

    def advance_to(self, target: date) -> None:
        while self.day < target:
            day = self.day
            if self.rules.grace_days:  # without grace days nothing is ever pending
                self._close_grace(day)
            after = bisect.bisect_right(self.boundaries, day)
            end = min(self.boundaries[after], target) if after < len(self.boundaries) else target
            due = self.open
            if self.due_dates is not None:
                due = due[: bisect.bisect_right(self.due_dates, day)]
            for item in due:  # only installments already due and not yet cleared accrue
                if item.installment.due_date <= day and item.cleared_on is None:
                    self._accrue(item, end)
            self.day = end

    def _accrue(self, item: _Open, end: date) -> None:
        """Penalty on the overdue principal and compound interest on the overdue interest of a due,
        uncleared installment, from today to ``end``."""
        charged, paid = item.charged, item.paid
        in_grace = self.day < item.installment.due_date + self.grace
        for component, base, enabled in (
            (
                _PENALTY,
                charged[_PRINCIPAL] - paid[_PRINCIPAL],
                self.rules.penalty_enabled,
            ),
            (
                _COMPOUND,
                charged[_INTEREST] - paid[_INTEREST],
                self.rules.compound_enabled,
            ),
        ):
            if not enabled or base <= 0:
                continue
            daily = round_ratio(base * self.daily_ratio[0], self.daily_ratio[1])
            lines = item.pending if in_grace else item.lines
            last = _continued(lines, component, self.day, base, daily)
            if last is None:
                lines.append(_Line(component, self.day, end, base, daily))
            else:
                last.end = end
            if not in_grace:  # what item.post does, without building the line it extends
                charged[component] += daily * (end - self.day).days

    def _close_grace(self, day: date) -> None:
        """At the end of the last grace day (the customer may still pay on it), charge or drop."""
        grace = timedelta(days=self.rules.grace_days)
        for item in self.open:
            if item.pending and item.installment.due_date + grace == day:
                if self.rules.charge_grace_when_exceeded:
                    for line in item.pending:
                        item.post(line)
                item.pending.clear()

    def charge(self, charge: Charge) -> None:
        self.advance_to(charge.on)
        number = charge.payable_with(self.loan.schedule.installments)
        self.open[number - 1].charged[_FEE] += charge.amount
        if self.credit:  # money held for the customer pays a new charge at once
            self._allocate(charge.on, 0, None)

    def pay(self, payment: Payment) -> None:
        self.advance_to(payment.on)
        if self._may_settle(payment) and payment.amount >= payoff(
            self.loan, self.open, payment.on, self.credit
        ):
            self._settle_early(payment.on)
        self._allocate(payment.on, payment.amount, payment)

    def _may_settle(self, payment: Payment) -> bool:
        """A cheap bound before the payoff: a payment below the principal still owed (less credit and
        interest paid in advance) settles nothing."""
        if self.settled_on is not None:
            return False
        reach = payment.amount + self.credit
        if reach + self.interest_paid < self.principal_owed:
            return False  # not even with every fen of interest paid so far given back
        refundable = sum(
            [i.paid[_INTEREST] for i in self.open if i.installment.due_date > payment.on]
        )
        return reach + refundable >= self.principal_owed

    def _allocate(self, on: date, amount: Fen, payment: Payment | None) -> None:
        """Spread ``amount`` plus any credit: what is due first, then later installments in advance.
        (Paying what is due never settles a later installment, so the later ones are looked at
        only when money is left.)"""
        allocations: list[Allocation] = []
        left, self.credit = amount + self.credit, 0
        upto = len(self.open) if self.due_dates is None else bisect.bisect_right(self.due_dates, on)
        for later in (False, True):
            if left == 0:
                break
            pool = (
                self.open
                if self.due_dates is None
                else self.open[upto:]
                if later
                else self.open[:upto]
            )
            group = [i for i in pool if (i.installment.due_date > on) is later and not i.settled]
            dues = [  # nothing is allocated to what is not owed: those dues are left out
                Due(i.installment.number, c, owed)
                for i in group
                for c in _COMPONENTS
                if (owed := i.charged[c] - i.paid[c]) > 0
            ]
            made, left = allocate(left, dues, self.rules.allocation)
            allocations += made
        for allocation in allocations:
            item = self.open[allocation.installment - 1]
            item.paid[allocation.component] += allocation.amount
            if allocation.component is _PRINCIPAL:
                self.principal_owed -= allocation.amount
            elif allocation.component is _INTEREST:
                self.interest_paid += allocation.amount
            if item.cleared_on is None and not item.owed(_PRINCIPAL) and not item.owed(_INTEREST):
                item.cleared_on = on
                item.pending.clear()
        self.credit = left
        if payment is not None:
            self.records.append(PaymentRecord(payment, tuple(allocations), left))

    def _settle_early(self, on: date) -> None:
        """Early settlement (提前结清): interest of the current period only to date, none after it;
        interest already paid in advance beyond that goes back to the customer as credit."""
        for item in self.open:
            inst = item.installment
            if inst.due_date <= on:
                continue
            earned = interest_to_date(self.loan, inst, on) if inst.start_date < on else 0
            item.charged[_INTEREST] = min(earned, inst.interest)
            refund = item.paid[_INTEREST] - item.charged[_INTEREST]
            if refund > 0:
                item.paid[_INTEREST] -= refund
                self.interest_paid -= refund
                self.credit += refund
        self.settled_on = on

    def state(self) -> LedgerState:
        installments = tuple(
            InstallmentState(
                item.installment,
                dict(item.charged),
                dict(item.paid),
                tuple(self._accrual_line(item, line) for line in item.lines),
                sum(line.amount for line in item.pending) if item.pending else 0,
                item.cleared_on,
            )
            for item in self.open
        )
        return LedgerState(
            self.day, self.loan, installments, tuple(self.records), self.credit, self.settled_on
        )

    def _accrual_line(self, item: _Open, line: _Line) -> AccrualLine:
        return AccrualLine(
            item.installment.number,
            line.component,
            line.start,
            line.end,
            line.base,
            self.rate,
            self.days_in_year,
            line.daily,
        )


def _continued(
    lines: list[_Line], component: Component, start: date, base: Fen, daily: Fen
) -> _Line | None:
    """The last line of ``component`` when a line from ``start`` with this base and daily amount
    continues it (extended, a statement reads it as one stretch); otherwise None."""
    for last in reversed(lines):
        if last.component is component:
            if last.end == start and last.base == base and last.daily == daily:
                return last
            return None
    return None


def ledger_as_of(loan: Loan, as_of: date, *, stops: tuple[date, ...] = ()) -> LedgerState:
    """Replay ``loan``'s events up to and including ``as_of``.

    ``stops`` are extra dates to pause at; they never change the result (a property the tests check,
    and what lets a nightly job advance a loan one day at a time).
    """
    if as_of < loan.schedule.start_date:
        raise InvalidInput("as_of", "is before the loan started")
    replay = _Replay(loan)
    events: list[tuple[date, int, Charge | Payment]] = [(c.on, 0, c) for c in loan.charges]
    events += [(p.on, 1, p) for p in loan.payments]
    events += [(stop, 2, stop) for stop in stops]  # type: ignore[misc]
    for on, _kind, event in sorted(events, key=lambda e: (e[0], e[1])):
        if on > as_of:
            break
        if isinstance(event, Charge):
            replay.charge(event)
        elif isinstance(event, Payment):
            replay.pay(event)
        else:
            replay.advance_to(on)
    replay.advance_to(as_of)
    return replay.state()
