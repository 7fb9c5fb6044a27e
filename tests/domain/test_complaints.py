"""The complaint clock across month ends, Chinese holidays, extensions, pauses, restarts and reviews.

Holiday facts are the State Council schedules as the `holidays` package records them: National Day
2025 ran 1–8 October; Spring Festival 2026 15–23 February; Labour Day 1–5 May 2026; Dragon Boat
19 June 2026.
"""

from __future__ import annotations

from datetime import date

import pytest

from xieshang.domain.complaints import ClockRules, Extension, decision_due, review_deadlines
from xieshang.domain.errors import InvalidInput
from xieshang.kit.calendar import ChinaBankCalendar

CAL = ChinaBankCalendar()


def test_the_day_of_receipt_is_not_counted() -> None:
    # 15 days after Monday 2 March 2026 is Tuesday 17 March, a working day.
    assert decision_due(date(2026, 3, 2), calendar=CAL).due == date(2026, 3, 17)


def test_a_complaint_received_just_before_national_day_is_due_after_the_holiday() -> None:
    result = decision_due(date(2025, 9, 20), calendar=CAL)
    assert result.nominal_due == date(2025, 10, 5)  # inside the 1–8 October holiday
    assert result.due == date(2025, 10, 9)  # 民法典 第二百零三条: the day after it ends
    assert result.moved_for_holiday


def test_across_a_month_end_into_the_spring_festival() -> None:
    result = decision_due(date(2026, 1, 31), calendar=CAL)
    assert result.nominal_due == date(2026, 2, 15)
    assert result.due == date(2026, 2, 24)


def test_extensions_give_30_and_60_days() -> None:
    assert decision_due(date(2026, 3, 2), extension=Extension.COMPLEX, calendar=CAL).due == date(
        2026, 4, 1
    )
    special = decision_due(date(2026, 3, 2), extension=Extension.SPECIAL, calendar=CAL)
    assert special.nominal_due == date(2026, 5, 1)  # Labour Day
    assert special.due == date(2026, 5, 6)


def test_days_of_mediation_or_external_assessment_are_not_counted() -> None:
    assert decision_due(date(2026, 3, 2), paused_days=10, calendar=CAL).due == date(2026, 3, 27)


def test_new_facts_restart_the_clock_from_the_new_material() -> None:
    result = decision_due(date(2026, 3, 2), restarted_on=date(2026, 3, 10), calendar=CAL)
    assert result.starts == date(2026, 3, 10)
    assert result.due == date(2026, 3, 25)


def test_the_review_clock() -> None:
    last_request, decide_by = review_deadlines(date(2026, 5, 1), date(2026, 5, 20), calendar=CAL)
    assert last_request == date(2026, 6, 1)  # 31 May is a Sunday
    assert decide_by == date(2026, 6, 22)  # 19 June is the Dragon Boat Festival, then a weekend
    with pytest.raises(InvalidInput, match="requested_on"):
        review_deadlines(date(2026, 5, 1), date(2026, 6, 2), calendar=CAL)


def test_without_a_calendar_or_with_rolling_off_disabled_the_nominal_day_stands() -> None:
    assert decision_due(date(2025, 9, 20)).due == date(2025, 10, 5)
    rules = ClockRules(roll_off_holidays=False)
    assert decision_due(date(2025, 9, 20), calendar=CAL, rules=rules).due == date(2025, 10, 5)


def test_bad_clock_inputs_are_refused() -> None:
    with pytest.raises(InvalidInput, match="paused_days"):
        decision_due(date(2026, 3, 2), paused_days=-1)
    with pytest.raises(InvalidInput, match="restarted_on"):
        decision_due(date(2026, 3, 2), restarted_on=date(2026, 3, 1))
    with pytest.raises(InvalidInput, match="clock"):
        ClockRules(decision_days=40)
