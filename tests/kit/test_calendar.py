from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from xieshang.domain.errors import InvalidInput
from xieshang.domain.schedule import LoanTerms, build_schedule
from xieshang.kit.calendar import ChinaBankCalendar


def test_national_day_is_closed_and_the_make_up_sunday_is_open() -> None:
    calendar = ChinaBankCalendar()
    assert not calendar.is_business_day(date(2025, 10, 1))
    assert not calendar.is_business_day(date(2025, 10, 8))
    assert calendar.is_business_day(date(2025, 9, 28))  # Sunday, a 调休 working day
    assert calendar.is_business_day(date(2025, 10, 11))  # Saturday, a 调休 working day
    assert not calendar.is_business_day(date(2025, 10, 12))  # an ordinary Sunday


def test_due_dates_in_a_holiday_move_to_the_next_business_day_but_interest_keeps_the_contract_date() -> (
    None
):
    terms = LoanTerms(
        principal=1_000_000, annual_rate=Decimal("0.10"), months=3, start_date=date(2025, 9, 1)
    )
    schedule = build_schedule(terms, ChinaBankCalendar())
    first = schedule.installments[0]
    assert first.end_date == date(2025, 10, 1)
    assert first.due_date == date(2025, 10, 9)
    assert first.interest == build_schedule(terms).installments[0].interest


def test_bank_overrides_win(tmp_path: Path) -> None:
    path = tmp_path / "overrides.csv"
    path.write_text(
        "date,status,note\n2025-10-09,closed,system migration\n2025-10-01,open,\n", encoding="utf-8"
    )
    calendar = ChinaBankCalendar.from_file(path)
    assert not calendar.is_business_day(date(2025, 10, 9))
    assert calendar.is_business_day(date(2025, 10, 1))


def test_a_bad_override_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "overrides.csv"
    path.write_text("date,status,note\n2025-10-09,closed,\n2025-13-01,open,\n", encoding="utf-8")
    with pytest.raises(
        InvalidInput, match="holiday_overrides line 3: date '2025-13-01' is not YYYY-MM-DD"
    ):
        ChinaBankCalendar.from_file(path)
