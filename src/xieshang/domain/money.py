"""Money as integer fen (分) and the one rounding policy.

Amounts are plain ``int`` fen throughout the domain (``Fen``); 1 yuan = 100 fen. Anything that
multiplies money by a rate produces an exact ``Decimal`` and comes back to fen through
:func:`round_fen`, the single rounding rule (half-up, as Chinese banks and the PBoC examples round).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypeAlias

from xieshang.domain.errors import InvalidInput

Fen: TypeAlias = int
"""An amount of money in fen (0.01 yuan)."""

FEN_PER_YUAN = 100


def round_ratio(numerator: int, denominator: int) -> Fen:
    """The one rounding policy: ``numerator / denominator`` fen to a whole fen, half away from zero.

    Exact integer arithmetic, so no precision is lost however small the rate.
    """
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def round_fen(amount: Decimal) -> Fen:
    """Round an exact amount in fen to a whole fen, half away from zero (``ROUND_HALF_UP`` is
    Decimal's name for it; rounding to an integral value is exact, whatever the precision)."""
    return int(amount.to_integral_value(rounding=ROUND_HALF_UP))


def round_to_multiple(amount: Decimal | int, multiple: Fen) -> Fen:
    """Round an amount in fen to the nearest multiple of ``multiple`` fen, half-up."""
    if multiple == 1:
        return round_fen(Decimal(amount))
    return round_fen(Decimal(amount) / multiple) * multiple


def yuan(text: str | int | Decimal, field: str = "amount") -> Fen:
    """Parse yuan (``"1234.56"``, ``"¥1,234.56"``, ``1200``) into fen; more than 2 decimals is an error."""
    raw = str(text).strip().replace(",", "").removeprefix("¥").removeprefix("￥").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidInput(field, f"{text!r} is not an amount in yuan") from None
    if not value.is_finite():
        raise InvalidInput(field, f"{text!r} is not an amount in yuan")
    fen = value * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise InvalidInput(field, f"{text!r} has more than 2 decimal places")
    return int(fen)


def to_yuan(fen: Fen) -> str:
    """Format fen as a decimal string in yuan, as the API and CLI print money: ``"1234.56"``."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{whole}.{cents:02d}"


def display_yuan(fen: Fen) -> str:
    """Format fen for people: ``¥1,234.56``."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}¥{whole:,}.{cents:02d}"


def apply_rate(amount: Fen, rate: Decimal, divisor: int = 1) -> Fen:
    """``amount × rate ÷ divisor`` rounded to the fen by the one rounding policy, exactly."""
    numerator, denominator = rate.as_integer_ratio()
    return round_ratio(amount * numerator, denominator * divisor)
