"""Interest rates: quoting, day counts, and the annualised rate (APR) of a cash-flow plan by IRR.

Rates are ``Decimal`` fractions per year (``Decimal("0.12")`` is 12 % a year). A rate quoted per month
is × 12; one quoted per day (日利率, e.g. 万分之五 = 0.05 %) is × 360, the Chinese bank convention.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from xieshang.domain.calendar import months_between
from xieshang.domain.errors import InvalidInput
from xieshang.domain.money import Fen

MONTHS_PER_YEAR = 12
DAYS_PER_YEAR_FOR_DAILY_QUOTES = 360


class RateBasis(enum.StrEnum):
    """What period a quoted rate is per."""

    ANNUAL = "annual"
    MONTHLY = "monthly"
    DAILY = "daily"


_PER_YEAR = {
    RateBasis.ANNUAL: 1,
    RateBasis.MONTHLY: MONTHS_PER_YEAR,
    RateBasis.DAILY: DAYS_PER_YEAR_FOR_DAILY_QUOTES,
}


class DayCount(enum.StrEnum):
    """Day-count convention for interest by days.

    ``actual/360`` is the Chinese bank default for daily interest (日利率 = 年利率 / 360);
    ``30/360`` counts every month as 30 days; ``actual/365`` uses a 365-day year.
    """

    ACTUAL_360 = "actual/360"
    ACTUAL_365 = "actual/365"
    THIRTY_360 = "30/360"

    @property
    def days_in_year(self) -> int:
        return 365 if self is DayCount.ACTUAL_365 else 360

    def days(self, start: date, end: date) -> int:
        """Days from ``start`` (excluded) to ``end`` (included) under this convention."""
        if self is not DayCount.THIRTY_360:
            return (end - start).days
        d1 = min(start.day, 30)
        d2 = 30 if end.day == 31 and d1 == 30 else end.day
        return 360 * (end.year - start.year) + 30 * (end.month - start.month) + d2 - d1


def parse_rate(
    text: str | Decimal, basis: RateBasis = RateBasis.ANNUAL, field: str = "rate"
) -> Decimal:
    """Parse a quoted rate into an annual fraction.

    Accepts a percentage (``"12%"``, ``"0.05%"``), a per-mille or per-myriad sign (``"0.5‰"``, ``"5‱"``)
    or a bare fraction (``"0.12"``). A bare number above 1 is refused: ``12`` is ambiguous between
    12 % and 1 200 %, so the caller must say ``"12%"`` or ``"0.12"``.
    """
    raw = str(text).strip().replace(" ", "")
    scale = Decimal(1)
    for suffix, divisor in (("%", 100), ("‰", 1000), ("‱", 10000)):
        if raw.endswith(suffix):
            raw, scale = raw[: -len(suffix)], Decimal(divisor)
            break
    try:
        exact = Decimal(raw)  # exact: built from the string, no context rounding
    except InvalidOperation:
        raise InvalidInput(field, f"{text!r} is not a rate; write it as '12%' or '0.12'") from None
    if not exact.is_finite():
        raise InvalidInput(field, f"{text!r} is not a rate; write it as '12%' or '0.12'")
    if scale == 1 and exact > 1:
        raise InvalidInput(
            field,
            f"bare rate {text} is ambiguous; write it as '{text}%' or as a fraction like '0.12'",
        )
    value = exact / scale
    if value < 0:
        raise InvalidInput(field, f"{text} is negative")
    annual = value * _PER_YEAR[basis]
    if annual > 1:
        raise InvalidInput(field, f"{text} per {basis.value} is over 100 % a year")
    return annual


def format_rate(rate: Decimal, places: int = 2) -> str:
    """``Decimal("0.1234")`` → ``"12.34%"``."""
    return f"{(rate * 100).quantize(Decimal(1).scaleb(-places))}%"


def apr(flows: Sequence[tuple[date, Fen]], start: date) -> Decimal:
    """Annualised cost of a cash-flow plan by internal rate of return (PBoC 公告〔2021〕第3号).

    ``flows`` are (date, amount) from the lender's side: the money lent is negative, repayments are
    positive. Time is measured in months from ``start`` (whole calendar months, then remaining days
    / 30), and the monthly IRR is annualised ×12 — so a plain 12-month equal-installment loan at 10 %
    has an APR of exactly 10 %, the figure Chinese lenders disclose. Returns a fraction rounded to
    1e-6 (0.0001 %).

    The solver works in binary floating point: an IRR is a measurement reported to four decimals,
    never an amount of money, and no fen is ever computed from it.
    """
    if not flows:
        raise InvalidInput("flows", "no cash flows")
    times = [months_between(start, when) for when, _ in flows]
    amounts = [float(amount) for _, amount in flows]
    if all(a >= 0 for a in amounts) or all(a <= 0 for a in amounts):
        raise InvalidInput("flows", "an IRR needs both money lent and money repaid")
    monthly = _solve_irr(times, amounts)
    rate = Decimal(repr(monthly * MONTHS_PER_YEAR)).quantize(Decimal("0.000001"))
    return rate if rate else abs(rate)  # never "-0.000000"


def _npv_and_slope(
    rate: float, powers: Sequence[float], amounts: Sequence[float], weights: Sequence[float]
) -> tuple[float, float]:
    """The NPV at ``rate`` and its derivative; ``powers`` are the times negated and ``weights``
    time × amount, computed once per solve (the same floating-point operations as inline)."""
    growth = 1.0 + rate
    value = slope = 0.0
    for power, a, weight in zip(powers, amounts, weights, strict=True):
        discount = growth**power
        value += a * discount
        slope -= weight * discount / growth
    return value, slope


def _npv(rate: float, powers: Sequence[float], amounts: Sequence[float]) -> float:
    growth = 1.0 + rate
    value = 0.0
    for power, a in zip(powers, amounts, strict=True):
        value += a * growth**power
    return value


def _solve_irr(times: Sequence[float], amounts: Sequence[float]) -> float:
    """Newton's method from a good start, falling back to bisection on (-99 %, 1000 %) a month."""
    powers = [-t for t in times]
    weights = [t * a for t, a in zip(times, amounts, strict=True)]
    rate = 0.01
    for _ in range(50):
        value, slope = _npv_and_slope(rate, powers, amounts, weights)
        if slope == 0 or not math.isfinite(value):
            break
        step = value / slope
        rate -= step
        if rate <= -0.99:
            break
        if abs(step) < 1e-13:
            return rate
    low, high = -0.99, 10.0
    f_low = _npv(low, powers, amounts)
    for _ in range(200):
        mid = (low + high) / 2
        f_mid = _npv(mid, powers, amounts)
        if (f_mid < 0) == (f_low < 0):
            low, f_low = mid, f_mid
        else:
            high = mid
    return (low + high) / 2
