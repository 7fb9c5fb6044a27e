"""The from/to form of the report pages: the two days as typed, read into dates."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query

from xieshang.kit.parse import parse_date

DayText = Annotated[str, Query(max_length=40)]


def day(text: str, name: str) -> date | None:
    """The day typed in ``name`` (YYYY-MM-DD), none if left empty; anything else is refused."""
    return parse_date(text, name) if text.strip() else None
