"""Searching a monotone condition by bisection: the fewest months, the smallest rate cut or the least
forbearance that brings a payment within reach, in a few evaluations however wide the range."""

from __future__ import annotations

from collections.abc import Callable


def smallest_satisfying(low: int, high: int, good: Callable[[int], bool]) -> int:
    """The smallest value in [low, high] for which ``good`` holds, or ``high`` if none does
    (``good`` is monotone: once true, true for every larger value)."""
    while low < high:
        middle = (low + high) // 2
        if good(middle):
            high = middle
        else:
            low = middle + 1
    return low


def greatest_satisfying(low: int, high: int, good: Callable[[int], bool]) -> int:
    """The greatest value in [low, high] for which ``good`` holds, or ``low`` if none above it does
    (``good`` holds at ``low`` and is monotone: once false, false for every larger value)."""
    while low < high:
        middle = (low + high + 1) // 2
        if good(middle):
            low = middle
        else:
            high = middle - 1
    return low
