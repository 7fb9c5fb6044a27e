"""Repayment schedules: loan terms → installments, exact to the fen.

Methods (Chinese names once): equal installment (等额本息), equal principal (等额本金), interest first
(先息后本: interest each period, principal at the end), bullet (到期一次还本付息: everything at maturity)
and flat (等本等息: interest on the original principal every period, common in consumer finance).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeAlias

from xieshang.domain.calendar import (
    BusinessCalendar,
    add_months,
    months_after,
    next_business_day,
)
from xieshang.domain.errors import InvalidInput, ScheduleError
from xieshang.domain.money import Fen, apply_rate, round_ratio, round_to_multiple
from xieshang.domain.rates import MONTHS_PER_YEAR, DayCount

MAX_MONTHS = 600


class RepaymentMethod(enum.StrEnum):
    EQUAL_INSTALLMENT = "equal_installment"
    EQUAL_PRINCIPAL = "equal_principal"
    INTEREST_FIRST = "interest_first"
    BULLET = "bullet"
    FLAT = "flat"


class InterestBasis(enum.StrEnum):
    """How a regular period's interest is computed.

    ``periodic``: balance × annual rate / 12, whatever the month's length (most Chinese consumer loans,
    Fineract "same as repayment period"). ``days``: balance × annual rate × days / days-in-year under
    the terms' day count. A broken first period is always charged by days.
    """

    PERIODIC = "periodic"
    DAYS = "days"


@dataclass(frozen=True, slots=True)
class LoanTerms:
    """What a loan contract says about repayment. Money in fen, the rate an annual fraction."""

    principal: Fen
    annual_rate: Decimal
    months: int
    start_date: date
    method: RepaymentMethod = RepaymentMethod.EQUAL_INSTALLMENT
    first_due_date: date | None = None
    interest_basis: InterestBasis = InterestBasis.PERIODIC
    day_count: DayCount = DayCount.ACTUAL_360
    installment_multiple: Fen = 1
    """The level installment of equal-installment and flat loans is rounded to this (100 = 1 yuan)."""
    principal_grace_periods: int = 0
    """Interest-only periods at the start (本金宽限期); principal is amortised over the rest."""
    level_amount: Fen | None = None
    """Fix the level amount instead of computing it (Fineract's "fixed EMI"): the installment of
    equal-installment and flat loans, the principal part of equal-principal loans. Used when a
    restructure or early repayment keeps the customer's payment."""

    def __post_init__(self) -> None:
        if self.principal <= 0:
            raise InvalidInput("principal", "must be more than zero")
        if not Decimal(0) <= self.annual_rate <= 1:
            raise InvalidInput("annual_rate", "must be between 0 and 100 % a year")
        if not 1 <= self.months <= MAX_MONTHS:
            raise InvalidInput("months", f"must be between 1 and {MAX_MONTHS}")
        if self.installment_multiple < 1:
            raise InvalidInput("installment_multiple", "must be at least 0.01 yuan")
        if not 0 <= self.principal_grace_periods < self.months:
            raise InvalidInput("principal_grace_periods", "must be less than the number of months")
        if self.level_amount is not None and self.level_amount <= 0:
            raise InvalidInput("level_amount", "must be more than zero")
        if self.first_due_date is not None:
            if self.first_due_date <= self.start_date:
                raise InvalidInput("first_due_date", "must be after the start date")
            # A bullet loan's only due date is its maturity; others' first one starts the monthly rhythm.
            regular = self.months if self.method is RepaymentMethod.BULLET else 1
            if self.first_due_date > add_months(self.start_date, regular + 1):
                limit = "a month after maturity" if regular > 1 else "two months of the start date"
                raise InvalidInput("first_due_date", f"must be within {limit}")

    @property
    def monthly_rate(self) -> Decimal:
        return self.annual_rate / MONTHS_PER_YEAR


@dataclass(frozen=True, slots=True)
class Installment:
    """One period (期) of a schedule.

    Interest accrues from ``start_date`` to ``end_date`` (the contractual date); the installment is
    payable on ``due_date``, which is ``end_date`` moved to a business day when the bank asks for it.
    ``balance`` is the principal still outstanding once this installment is paid. The interest was
    ``interest_base`` × annual rate × ``interest_months`` ÷ 12, or, when ``interest_days`` is set,
    × ``interest_days`` ÷ days-in-year: the inputs a statement shows in its formula.
    """

    number: int
    start_date: date
    end_date: date
    due_date: date
    principal: Fen
    interest: Fen
    balance: Fen
    interest_base: Fen = 0
    interest_months: int = 1
    interest_days: int = 0

    @property
    def payment(self) -> Fen:
        return self.principal + self.interest


@dataclass(frozen=True, slots=True)
class Schedule:
    principal: Fen
    start_date: date
    installments: tuple[Installment, ...]

    @property
    def total_interest(self) -> Fen:
        return sum(i.interest for i in self.installments)

    @property
    def total_payment(self) -> Fen:
        return self.principal + self.total_interest

    def cash_flows(self) -> list[tuple[date, Fen]]:
        """From the lender's side: the principal out on the start date, each installment back."""
        return [(self.start_date, -self.principal)] + [
            (i.due_date, i.payment) for i in self.installments
        ]


def period_dates(terms: LoanTerms) -> list[tuple[date, date]]:
    """(start, end) of each period. Ends are computed from one anchor so month ends roll right."""
    if terms.method is RepaymentMethod.BULLET:
        return [
            (terms.start_date, terms.first_due_date or add_months(terms.start_date, terms.months))
        ]
    anchor, offset = (terms.first_due_date, 0) if terms.first_due_date else (terms.start_date, 1)
    ends = months_after(anchor, offset, terms.months)
    return list(zip([terms.start_date, *ends[:-1]], ends, strict=True))


def level_payment(principal: Fen, rate: Decimal, periods: int) -> Decimal:
    """The equal-installment payment P·r / (1 − (1 + r)^−n), exact to Decimal precision."""
    if rate == 0:
        return Decimal(principal) / periods
    growth = (1 + rate) ** periods
    return principal * rate * growth / (growth - 1)


def build_schedule(terms: LoanTerms, calendar: BusinessCalendar | None = None) -> Schedule:
    """The contractual schedule for ``terms``; due dates move to business days when a calendar is given.

    Each period's principal is the level payment less its interest (or the method's fixed principal);
    the last installment takes whatever principal remains, absorbing every rounding residue.
    Interest uses the exact rational rate (annual ÷ 12, or annual × days ÷ days-in-year).

    The level amount is rounded half-up; if that would repay the loan before its last installment
    (a long, high-rate loan gathers half a fen a month), it is rounded down instead, so that every
    installment is real and the last one is a little larger. A loan too small to spread over its
    installments at the rounding multiple is refused.
    """
    rows = _settled_rows(terms)
    if calendar:
        rows = [
            (n, s, e, next_business_day(e, calendar), p, i, b, base, m, d)
            for n, s, e, _, p, i, b, base, m, d in rows
        ]
    installments = [Installment(*row) for row in rows]
    return Schedule(terms.principal, terms.start_date, tuple(installments))


def schedule_interest(terms: LoanTerms) -> Fen:
    """The total interest of :func:`build_schedule` for ``terms`` (with any calendar: due dates do
    not move interest), without building its installments; the same errors."""
    return sum(row[5] for row in _settled_rows(terms))


def schedule_payments(terms: LoanTerms) -> list[Fen]:
    """Each installment's payment in :func:`build_schedule` for ``terms`` (with any calendar), without
    building its installments; the same errors."""
    return [row[4] + row[5] for row in _settled_rows(terms)]


_Row: TypeAlias = tuple[int, date, date, date, Fen, Fen, Fen, Fen, int, int]
"""One period's :class:`Installment` fields in order (number, start, end, due date — the end until a
calendar moves it —, principal, interest, balance, interest base, months and days charged)."""


def _settled_rows(terms: LoanTerms) -> list[_Row]:
    """The rows of the schedule at the level amount that fits (see :func:`build_schedule`)."""
    periods = period_dates(terms)
    level = level_amount(terms)
    if terms.method in _LEVEL_METHODS:
        if level == 0 and terms.months - terms.principal_grace_periods > 1:
            raise _too_small(terms)
        rows = _rows(terms, periods, level)
        if rows is None and terms.level_amount is None:
            multiple = (
                1 if terms.method is RepaymentMethod.EQUAL_PRINCIPAL else terms.installment_multiple
            )
            rows = _largest_level_that_fits(terms, periods, level // multiple - 1, multiple)
        if rows is None:
            raise _too_small(terms)
    else:
        rows = _rows(terms, periods, level)
        assert rows is not None  # interest-first and bullet loans repay principal only at the end
    return rows


def _largest_level_that_fits(
    terms: LoanTerms, periods: list[tuple[date, date]], most: int, multiple: Fen
) -> list[_Row] | None:
    """The schedule at the largest level (a multiple of ``multiple``, at most ``most`` of them) that
    does not repay the loan before its last installment — usually one step below the rounded level,
    further when a short broken first period leaves the formula's level too high."""
    low, high, found = 1, most, None
    while low <= high:
        middle = (low + high) // 2
        rows = _rows(terms, periods, middle * multiple)
        if rows is None:
            high = middle - 1
        else:
            found, low = rows, middle + 1
    return found


def _too_small(terms: LoanTerms) -> ScheduleError:
    if terms.installment_multiple > 1:
        return ScheduleError(
            "installment_multiple",
            f"rounding to {terms.installment_multiple} fen cannot spread {terms.principal} fen over "
            f"{terms.months} installments; use a smaller multiple",
        )
    return ScheduleError(
        "months", f"{terms.principal} fen cannot be spread over {terms.months} installments"
    )


def _rows(terms: LoanTerms, periods: list[tuple[date, date]], level: Fen) -> list[_Row] | None:
    """The rows for this level amount, or None if it repays the loan before the last one."""
    method = terms.method
    last = len(periods)
    rate_num, rate_den = terms.annual_rate.as_integer_ratio()
    year = terms.day_count.days_in_year
    months_charged = terms.months if method is RepaymentMethod.BULLET else 1
    amortise_from = (
        last if method is RepaymentMethod.INTEREST_FIRST else terms.principal_grace_periods + 1
    )
    by_days = terms.interest_basis is InterestBasis.DAYS
    first_by_days = _first_period_by_days(terms, periods[0])
    flat, equal_principal = (
        method is RepaymentMethod.FLAT,
        method is RepaymentMethod.EQUAL_PRINCIPAL,
    )
    # A regular period's interest, base × rate × months ÷ 12, rounded half-up (round_ratio inline:
    # the base, the rate and the months are never negative).
    numerator, denominator = rate_num * months_charged, rate_den * MONTHS_PER_YEAR
    balance = terms.principal
    rows: list[_Row] = []
    for number, (start, end) in enumerate(periods, start=1):
        base = terms.principal if flat else balance
        if by_days or (number == 1 and first_by_days):
            days = terms.day_count.days(start, end)
            interest = round_ratio(base * rate_num * days, rate_den * year)
            months, days_charged = 0, days
        else:
            interest, rest = divmod(base * numerator, denominator)
            if 2 * rest >= denominator:
                interest += 1
            months, days_charged = months_charged, 0
        if number == last:
            principal = balance
        elif number < amortise_from:
            principal = 0
        elif equal_principal:
            principal = level if level < balance else balance
        else:  # min(balance, max(0, level - interest)), without the calls
            principal = level - interest
            if principal < 0:
                principal = 0
            if principal > balance:
                principal = balance
        balance -= principal
        if balance == 0 and number < last:
            return None
        rows.append(
            (number, start, end, end, principal, interest, balance, base, months, days_charged)
        )
    return rows


_LEVEL_METHODS = (
    RepaymentMethod.EQUAL_INSTALLMENT,
    RepaymentMethod.EQUAL_PRINCIPAL,
    RepaymentMethod.FLAT,
)


def _first_period_by_days(terms: LoanTerms, first: tuple[date, date]) -> bool:
    """A broken first period (or a bullet's chosen maturity) is charged by days."""
    if terms.first_due_date is None:
        return False
    start, end = first
    regular = terms.months if terms.method is RepaymentMethod.BULLET else 1
    return end != add_months(start, regular)


def level_amount(terms: LoanTerms) -> Fen:
    """The level installment (equal installment, flat) or level principal (equal principal)."""
    if terms.level_amount is not None:
        return terms.level_amount
    amortising = terms.months - terms.principal_grace_periods
    if terms.method is RepaymentMethod.EQUAL_INSTALLMENT:
        return equal_installment(
            terms.principal, terms.annual_rate, amortising, terms.installment_multiple
        )
    if terms.method is RepaymentMethod.FLAT:
        payment = Decimal(terms.principal) / amortising + terms.principal * terms.monthly_rate
        return round_to_multiple(payment, terms.installment_multiple)
    if terms.method is RepaymentMethod.EQUAL_PRINCIPAL:
        return round_ratio(terms.principal, amortising)
    return 0


def equal_installment(principal: Fen, annual_rate: Decimal, periods: int, multiple: Fen = 1) -> Fen:
    """The level installment of an equal-installment loan, rounded to ``multiple`` fen."""
    payment = level_payment(principal, annual_rate / MONTHS_PER_YEAR, periods)
    return round_to_multiple(payment, multiple)


def interest_for_days(
    balance: Fen, annual_rate: Decimal, day_count: DayCount, start: date, end: date
) -> Fen:
    """Interest on ``balance`` from ``start`` to ``end``: balance × rate × days / days-in-year."""
    return apply_rate(balance * day_count.days(start, end), annual_rate, day_count.days_in_year)
