"""The from/to form of the report pages: the two days as typed, read into dates."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query

from xieshang.errors import InvalidInput

DayText = Annotated[str, Query(max_length=40)]


def day(text: str, name: str) -> date | None:
    """The day typed in ``name`` (YYYY-MM-DD), none if left empty; anything else is refused."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(name, f"{text!r} is not a date (YYYY-MM-DD)") from None
