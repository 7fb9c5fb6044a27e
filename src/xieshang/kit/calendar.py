"""The China business-day calendar: statutory holidays and make-up workdays, plus bank overrides.

Implements the domain's ``BusinessCalendar`` protocol with the ``holidays`` package's China calendar
(which knows the State Council's 调休 make-up working weekends) and a bank-maintained override file
for days the package does not know yet or that the bank treats differently.

Override file: CSV with a header ``date,status,note``; ``status`` is ``open`` or ``closed``.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import holidays

from xieshang.domain.errors import InvalidInput
from xieshang.kit.files import read_text


class ChinaBankCalendar:
    """Open on China working days (make-up weekends included), unless an override says otherwise."""

    def __init__(self, overrides: Mapping[date, bool] | None = None) -> None:
        self._overrides = dict(overrides or {})
        self._china = holidays.country_holidays("CN")

    def is_business_day(self, day: date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        return bool(self._china.is_working_day(day))

    def holiday_name(self, day: date) -> str | None:
        name = self._china.get(day)
        return str(name) if name else None

    @classmethod
    def from_file(cls, path: Path) -> ChinaBankCalendar:
        return cls(read_overrides(path))


def read_overrides(path: Path) -> dict[date, bool]:
    """Read a ``date,status,note`` override file; a bad line names its line number."""
    text = read_text(path, "holiday_overrides")
    overrides: dict[date, bool] = {}
    for line_no, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        where = f"holiday_overrides line {line_no}"
        try:
            day = date.fromisoformat((row.get("date") or "").strip())
        except ValueError:
            raise InvalidInput(where, f"date {row.get('date')!r} is not YYYY-MM-DD") from None
        status = (row.get("status") or "").strip().lower()
        if status not in ("open", "closed"):
            raise InvalidInput(where, f"status {status!r} must be 'open' or 'closed'")
        overrides[day] = status == "open"
    return overrides
