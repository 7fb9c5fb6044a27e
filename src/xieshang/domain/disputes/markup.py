"""The penalty markup a bank used, inferred from what it charged, and how a markup is written."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from xieshang.domain.disputes.charged import MAX_INFERRED_MARKUP
from xieshang.domain.ledger_state import AccrualLine
from xieshang.domain.money import Fen, round_ratio

HUNDREDTH = Decimal("0.01")


def infer_markup(
    charged: Fen,
    lines: Sequence[AccrualLine],
    contract_rate: Decimal,
    *,
    others: Sequence[tuple[Fen, Sequence[AccrualLine]]] = (),
) -> Decimal | None:
    """The penalty markup a bank used, from the amount it charged for the stretches in ``lines``.

    ``lines`` are the lawful accrual lines (penalty or compound) for the same days, at the contract
    rate × (1 + lawful markup). The first estimate is the ratio charged ÷ lawful × (1 + lawful
    markup) − 1. Daily rounding to the fen blurs that ratio (¥0.33 a day is any rate giving 0.325 to
    0.335), so the markup returned is the lowest whole percent (0–300 %) that reproduces the charged
    amount with the same bases, days and daily rounding — the bank charged at least that. ``others``
    are further (charged, lines) the bank computed at the same markup, such as the compound interest
    beside a penalty; a markup that reproduces them all is preferred, which narrows the range. If no
    markup comes within a fen per stretch, the estimate to the whole percent. None when the lawful
    amount is zero.
    """
    lawful = sum(line.amount for line in lines)
    if lawful <= 0 or contract_rate <= 0:
        return None
    for observations in ([(charged, lines), *others], [(charged, lines)]):
        markup = fit_markup(observations, contract_rate)
        if markup is not None:
            return markup
    lawful_markup = lines[0].annual_rate / contract_rate - 1
    return (Decimal(charged) / lawful * (1 + lawful_markup) - 1).quantize(HUNDREDTH)


def fit_markup(
    observations: Sequence[tuple[Fen, Sequence[AccrualLine]]], contract_rate: Decimal
) -> Decimal | None:
    """The lowest whole-percent markup with the least total miss that reproduces every (charged,
    lines) within a fen per stretch; None if there is none."""
    if not observations or contract_rate <= 0:
        return None
    best: tuple[int, Decimal] | None = None
    for step in range(int(MAX_INFERRED_MARKUP / HUNDREDTH) + 1):
        markup = step * HUNDREDTH
        rate = contract_rate * (1 + markup)
        total = 0
        for amount, stretches in observations:
            miss = abs(_accrue(stretches, rate) - amount)
            if miss > len(stretches):
                break
            total += miss
        else:
            if best is None or total < best[0]:
                best = total, markup
                if total == 0:
                    break
    return None if best is None else best[1]


def _accrue(lines: Iterable[AccrualLine], rate: Decimal) -> Fen:
    """The same stretches at another annual rate: days × each day's amount rounded to the fen."""
    # apply_rate(line.base, rate, line.days_in_year), with the rate's ratio taken once: fit_markup
    # calls this for each of the 301 markups it tries.
    numerator, denominator = rate.as_integer_ratio()
    return sum(
        line.days * round_ratio(line.base * numerator, denominator * line.days_in_year)
        for line in lines
    )


def markup_text(markup: Decimal) -> str:
    return str(markup.quantize(HUNDREDTH))
