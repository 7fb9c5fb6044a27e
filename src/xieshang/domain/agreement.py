"""Agreements: what accepting an offer puts on a loan, and how a performing agreement is judged.

An :class:`Installation` is the whole change in one value: the debt at signing by component, the new
terms and schedule, what is forgiven only on condition that the agreement is kept, principal set aside
interest-free (forborne, inside the schedule as a balloon) and arrears carried into the first
installment. It always conserves the debt to the fen.

Each day the agreement's ledger (the schedule in force) says whether it is kept, late within the
grace the policy allows, broken after it, or completed. A broken agreement reinstates its conditional
concessions — all of them, or the share still unpaid — as the policy says.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from xieshang.domain.allocation import Component
from xieshang.domain.calendar import add_months
from xieshang.domain.errors import InvalidInput
from xieshang.domain.ledger_state import LedgerState
from xieshang.domain.money import Fen, round_ratio
from xieshang.domain.restructure import Debt, Restructuring, with_balloon
from xieshang.domain.schedule import LoanTerms, RepaymentMethod, Schedule, build_schedule

FORGIVENESS_ORDER = (
    Component.FEE,
    Component.COMPOUND,
    Component.PENALTY,
    Component.INTEREST,
    Component.PRINCIPAL,
)
"""A settlement forgives fees and penalty charges before interest, and interest before principal."""


@dataclass(frozen=True, slots=True)
class Installation:
    """What accepting an offer does to the loan."""

    debt: Debt
    terms: LoanTerms
    schedule: Schedule
    conditional: Mapping[Component, Fen] = field(default_factory=dict)
    """Forgiven only if the agreement is kept: reinstated when it breaks."""
    forborne: Fen = 0
    """Principal set aside interest-free, repaid with the last installment (already in ``schedule``)."""
    carried: Fen = 0
    """Arrears neither capitalised nor forgiven: payable with the first installment."""
    credited: Fen = 0
    """What the contract charged beyond the law before the offer, no longer owed: ``debt`` is the
    lawful debt, after it."""

    def __post_init__(self) -> None:
        accounted = self.schedule.principal + sum(self.conditional.values()) + self.carried
        if accounted != self.debt.total:
            raise InvalidInput(
                "installation",
                f"does not conserve the debt: {accounted} fen accounted for, {self.debt.total} owed",
            )

    @property
    def conditional_total(self) -> Fen:
        return sum(self.conditional.values())


def from_restructuring(result: Restructuring) -> Installation:
    """A hardship plan: the restructured schedule, waived charges conditional, the rest carried."""
    return Installation(
        debt=result.debt,
        terms=result.terms,
        schedule=result.schedule,
        conditional={c: v for c, v in result.waived.items() if v},
        forborne=result.forborne,
        carried=result.due_at_signing,
    )


def settlement(debt: Debt, amount: Fen, start: date, pay_within_days: int) -> Installation:
    """A one-off settlement (一次性结清): ``amount`` due ``pay_within_days`` after ``start``, the rest
    of the debt forgiven on condition it is paid — fees and penalty charges first, principal last."""
    if not 0 < amount <= debt.total:
        raise InvalidInput("amount", "must be more than zero and not more than the debt")
    if pay_within_days < 1:
        raise InvalidInput("pay_within_days", "must be at least one day")
    terms = LoanTerms(
        principal=amount,
        annual_rate=Decimal(0),
        months=1,
        start_date=start,
        method=RepaymentMethod.BULLET,
        first_due_date=start + timedelta(days=pay_within_days),
    )
    forgiven, left = {}, debt.total - amount
    for component in FORGIVENESS_ORDER:
        part = min(left, debt.part(component))
        if part:
            forgiven[component] = part
        left -= part
    return Installation(debt, terms, build_schedule(terms), forgiven)


def rescheduled(debt: Debt, terms: LoanTerms) -> Installation:
    """Same rate, new dates (a due-date change): the principal on ``terms``, arrears and interest
    earned to date carried into the first installment."""
    terms = replace(terms, principal=debt.principal, level_amount=None)
    return Installation(debt, terms, build_schedule(terms), carried=debt.total - debt.principal)


def rebuild(terms: LoanTerms, forborne: Fen) -> Schedule:
    """The schedule an installation's terms give: what a stored offer is checked against on accept."""
    return with_balloon(build_schedule(terms), forborne)


class Standing(enum.StrEnum):
    """How an agreement stands on a day."""

    KEPT = "kept"
    LATE = "late"
    """Something is overdue, but within the grace the policy allows."""
    BROKEN = "broken"
    COMPLETED = "completed"


@dataclass(frozen=True, slots=True)
class Judgement:
    standing: Standing
    days_late: int


def judge(state: LedgerState, grace_days: int) -> Judgement:
    """The agreement's standing on ``state.as_of``, from the ledger of the schedule it installed."""
    if state.paid_off:
        return Judgement(Standing.COMPLETED, 0)
    late = _days_late(state)
    if late == 0:
        return Judgement(Standing.KEPT, 0)
    return Judgement(Standing.LATE if late <= grace_days else Standing.BROKEN, late)


def _days_late(state: LedgerState) -> int:
    """Days since the oldest due date with anything still unpaid (fees and carried arrears count:
    an agreement is kept only when each installment is paid in full)."""
    for item in state.installments:
        due = item.installment.due_date
        if due >= state.as_of:
            break
        if item.total_owed > 0:
            return (state.as_of - due).days
    return 0


class Reinstatement(enum.StrEnum):
    ALL = "all"
    """Everything forgiven on condition comes back (the usual contract wording)."""
    UNPAID_SHARE = "unpaid_share"
    """Only the share of the concessions matching the share of the plan still unpaid."""


def reinstated(
    installation: Installation, state: LedgerState, rule: Reinstatement
) -> dict[Component, Fen]:
    """What a broken agreement puts back on the loan, by component."""
    conditional = {c: v for c, v in installation.conditional.items() if v}
    if rule is Reinstatement.ALL or not conditional:
        return conditional
    planned = installation.schedule.principal
    unpaid = state.outstanding_principal
    result = {c: round_ratio(v * unpaid, planned) for c, v in conditional.items()}
    return {c: v for c, v in result.items() if v}


NOT_RESTRUCTURING = frozenset({"due_date_change"})
"""Offers that are no concession to a borrower in difficulty: the loan is not tagged restructured."""


def observation_end(schedule: Schedule, months: int) -> date:
    """The end of a restructured loan's observation period: from the first repayment date after the
    change, at least ``months`` and at least two repayment periods (风险分类办法 第二十条)."""
    rows = schedule.installments
    first = rows[0].due_date
    second = rows[1].due_date if len(rows) > 1 else first
    return max(add_months(first, months), second)
