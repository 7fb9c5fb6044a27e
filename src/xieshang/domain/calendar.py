"""Dates: month arithmetic that rolls month ends correctly, and the business-day calendar protocol.

The domain never knows which days are holidays; it asks a :class:`BusinessCalendar`. The adapter
``xieshang.kit.calendar`` implements it with the China calendar (make-up workdays included) and the bank's
own overrides.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import date, timedelta
from typing import Protocol


class BusinessCalendar(Protocol):
    """Which days a bank is open for repayments."""

    def is_business_day(self, day: date) -> bool: ...


def add_months(anchor: date, months: int) -> date:
    """``anchor`` plus whole months, the day clamped to the month's end.

    Always computed from the anchor, never chained, so that 31 Jan → 29 Feb → 31 Mar (not 29 Mar).
    """
    year, month = divmod(anchor.year * 12 + anchor.month - 1 + months, 12)
    day = anchor.day
    if day > 28:  # every month has 28 days: only a later day may need clamping
        last = _MONTH_DAYS[month]
        if month == 1 and _stdlib_calendar.isleap(year):
            last = 29
        day = min(day, last)
    return date(year, month + 1, day)


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def months_after(anchor: date, first: int, count: int) -> list[date]:
    """``add_months(anchor, k)`` for ``count`` values of ``k`` from ``first``: a schedule's dates."""
    if anchor.day > 28:
        return [add_months(anchor, k) for k in range(first, first + count)]
    year, month = divmod(anchor.year * 12 + anchor.month - 1 + first, 12)
    day, out = anchor.day, []
    for _ in range(count):  # no month is shorter than 28 days: no clamping, step a month at a time
        out.append(date(year, month + 1, day))
        month += 1
        if month == 12:
            year, month = year + 1, 0
    return out


def months_between(start: date, end: date) -> float:
    """Whole calendar months from ``start`` to ``end`` (by :func:`add_months`), plus leftover days / 30."""
    whole = (end.year - start.year) * 12 + end.month - start.month
    if start.day <= end.day:  # add_months(start, whole) is then start's day of end's month
        return whole + (end.day - start.day) / 30
    if add_months(start, whole) > end:
        whole -= 1
    return whole + (end - add_months(start, whole)).days / 30


def next_business_day(day: date, calendar: BusinessCalendar) -> date:
    """``day`` itself if the bank is open, else the first business day after it."""
    for _ in range(366):
        if calendar.is_business_day(day):
            return day
        day += timedelta(days=1)
    raise ValueError(f"the calendar has no business day in the year after {day}")


def business_days_after(day: date, count: int, calendar: BusinessCalendar) -> date:
    """The ``count``-th business day after ``day`` (``day`` itself not counted)."""
    for _ in range(count):
        day = next_business_day(day + timedelta(days=1), calendar)
    return day
