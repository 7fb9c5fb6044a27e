"""Reading one field from outside (a CLI option, a JSON value, a form) into a typed value. Every
problem is an ``InvalidInput`` naming the field, so each interface can report it in one line."""

from __future__ import annotations

from datetime import date
from typing import Any

from xieshang.domain.errors import InvalidInput
from xieshang.domain.money import Fen, yuan


def parse_date(value: object, field: str) -> date:
    if not isinstance(value, str):
        raise InvalidInput(field, "must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(field, f"{value!r} is not a valid date (YYYY-MM-DD)") from None


def parse_amount(value: object, field: str, *, positive: bool = True) -> Fen:
    """Yuan as a string or number (``"1234.56"``) → fen; refuses zero/negative when ``positive``."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InvalidInput(field, 'must be an amount in yuan such as "1234.56"')
    fen = yuan(str(value), field)
    if positive and fen <= 0:
        raise InvalidInput(field, "must be more than zero")
    if abs(fen) > 10**15:
        raise InvalidInput(field, "is too large")
    return fen


def parse_int(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidInput(field, "must be a whole number")
    try:
        number = int(value)
    except ValueError:
        raise InvalidInput(field, f"{value!r} is not a whole number") from None
    if not low <= number <= high:
        raise InvalidInput(field, f"must be between {low} and {high}")
    return number


def parse_choice(value: object, field: str, choices: type[Any]) -> Any:
    try:
        return choices(value)
    except ValueError:
        allowed = ", ".join(c.value for c in choices)
        raise InvalidInput(field, f"{value!r} is not one of: {allowed}") from None


def parse_bool(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(field, "must be true or false")
    return value
