"""The regulatory clock of a complaint (投诉处理时限), as pure date arithmetic.

《银行业保险业消费投诉处理管理办法》(银保监会令2020年第3号): a decision within 15 days of receipt
(第十八条), extendable to 30 when complex, and by a further 30 (60 in all) for especially complex
cases with senior approval and notice; days of external assessment (鉴定、检测、评估) and of
mediation (调解, 第二十三条) are not counted; new facts restart the clock from the new material;
"日" are calendar days and "以内" includes the end day (第四十三条). A review (核查) may be asked
within 30 days of receiving a branch's decision and is decided within 30 days (第二十条).

Periods are counted as the Civil Code counts them: the day of receipt is not counted (第二百零一条),
and a period whose last day is a statutory holiday or rest day ends on the first day after it
(第二百零三条) — the bank's working-day calendar decides. Every number is a parameter; the defaults
are the 办法's.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from xieshang.domain.calendar import BusinessCalendar, next_business_day
from xieshang.domain.errors import InvalidInput


class Extension(enum.StrEnum):
    NONE = "none"
    COMPLEX = "complex"
    """情况复杂: to 30 days; the complainant is told, with the reason."""
    SPECIAL = "special"
    """情况特别复杂或有其他特殊原因: a further 30 days with senior approval and notice."""


@dataclass(frozen=True)
class ClockRules:
    decision_days: int = 15
    complex_days: int = 30
    special_days: int = 60
    review_request_days: int = 30
    review_decision_days: int = 30
    roll_off_holidays: bool = True
    """Civil Code 第二百零三条: a last day on a holiday or rest day moves to the next working day."""

    def __post_init__(self) -> None:
        if not 0 < self.decision_days <= self.complex_days <= self.special_days:
            raise InvalidInput("clock", "days must satisfy 0 < decision ≤ complex ≤ special")

    def days_for(self, extension: Extension) -> int:
        return {
            Extension.NONE: self.decision_days,
            Extension.COMPLEX: self.complex_days,
            Extension.SPECIAL: self.special_days,
        }[extension]


DEFAULT_RULES = ClockRules()


@dataclass(frozen=True)
class Deadline:
    starts: date
    """The day the clock starts: receipt, or the new material that restarted it."""
    days_allowed: int
    paused_days: int
    nominal_due: date
    due: date
    moved_for_holiday: bool


def period_end(
    start: date, days: int, calendar: BusinessCalendar | None, rules: ClockRules
) -> tuple[date, date]:
    """(nominal last day, last day after rolling off a holiday) of ``days`` counted after ``start``."""
    nominal = start + timedelta(days=days)  # the day of ``start`` itself is not counted
    if calendar is None or not rules.roll_off_holidays:
        return nominal, nominal
    return nominal, next_business_day(nominal, calendar)


def decision_due(
    received: date,
    *,
    extension: Extension = Extension.NONE,
    paused_days: int = 0,
    restarted_on: date | None = None,
    calendar: BusinessCalendar | None = None,
    rules: ClockRules = DEFAULT_RULES,
) -> Deadline:
    """When the decision (and its notice) is due for a complaint received on ``received``."""
    if paused_days < 0:
        raise InvalidInput("paused_days", "cannot be negative")
    if restarted_on is not None and restarted_on < received:
        raise InvalidInput("restarted_on", "is before the complaint was received")
    starts = restarted_on or received
    days = rules.days_for(extension)
    nominal, due = period_end(starts, days + paused_days, calendar, rules)
    return Deadline(starts, days, paused_days, nominal, due, due != nominal)


def review_deadlines(
    decision_received: date,
    requested_on: date | None = None,
    *,
    calendar: BusinessCalendar | None = None,
    rules: ClockRules = DEFAULT_RULES,
) -> tuple[date, date | None]:
    """(last day to ask for a review, when a review asked on ``requested_on`` must be decided)."""
    _, last_request = period_end(decision_received, rules.review_request_days, calendar, rules)
    if requested_on is None:
        return last_request, None
    if requested_on > last_request:
        raise InvalidInput(
            "requested_on", f"is after the last day to ask for a review ({last_request})"
        )
    _, decide_by = period_end(requested_on, rules.review_decision_days, calendar, rules)
    return last_request, decide_by


@dataclass(frozen=True)
class ComplaintRules:
    """The complaint section of the policy document: the clock and when staff are reminded."""

    clock: ClockRules = DEFAULT_RULES
    reminder_days_before: tuple[int, ...] = (3, 1)
    """Calendar days before the decision is due on which the holder is reminded."""
    review_offered: bool = True
    """第二十条: a review (核查) lies against a branch's decision; a bank deciding at head office
    only sets this false, and its letters then name mediation, arbitration and court alone."""

    def __post_init__(self) -> None:
        if any(d < 1 or d > self.clock.decision_days for d in self.reminder_days_before):
            raise InvalidInput(
                "reminder_days_before", "each must be between 1 and the decision days"
            )
        if len(set(self.reminder_days_before)) != len(self.reminder_days_before):
            raise InvalidInput("reminder_days_before", "must not repeat a day")


def reminder_due(days_left: int, thresholds: tuple[int, ...], already: int | None) -> int | None:
    """The reminder to send when ``days_left`` calendar days remain: the smallest threshold that
    ``days_left`` has reached, unless one as small was already sent (``already``)."""
    reached = [t for t in thresholds if 0 <= days_left <= t]
    if not reached:
        return None
    smallest = min(reached)
    return smallest if already is None or smallest < already else None
