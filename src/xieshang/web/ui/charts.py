"""Geometry for the charts drawn on the server as SVG. Only where things go on the picture (floats
are fine here): the figures themselves are exact counts, and the table beside each chart carries them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

ROW = 26
"""Height of one bar of a horizontal bar chart."""
BAR_SPACE = 320
"""The longest bar."""


@dataclass(frozen=True)
class Bar:
    key: str
    value: int
    y: int
    length: int


def pairs(rows: Iterable[Any]) -> list[tuple[str, int]]:
    """(key, count) from rows that are pairs, or objects with ``key`` and ``loans`` (the
    portfolio's rows)."""
    return [(r.key, r.loans) if hasattr(r, "loans") else (str(r[0]), int(r[1])) for r in rows]


def bars(rows: Iterable[Any], width: int = BAR_SPACE) -> list[Bar]:
    """Bar lengths for a horizontal bar chart: the largest count gets ``width``."""
    found = pairs(rows)
    top = max((v for _, v in found), default=0) or 1
    return [Bar(k, v, i * ROW, round(width * v / top)) for i, (k, v) in enumerate(found)]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: int
    x: int
    y: float
    height: float
    labelled: bool
    """Whether its label is written under it (with many columns, only every few)."""


COLUMN_STEP = 40
COLUMN_WIDTH = 28
COLUMN_SPACE = 160
"""The tallest column."""


@dataclass(frozen=True)
class Columns:
    items: list[Column]
    width: int
    height: int
    baseline: int


def columns(series: Iterable[tuple[str, int]], short: int = 5) -> Columns:
    """Columns for a series in time order (key "2026-06-01", count): the label is the key's last
    ``short`` characters ("06-01"); with more than twelve columns only every few are labelled."""
    found = list(series)
    top = max((v for _, v in found), default=0) or 1
    every = max(1, -(-len(found) // 12))
    top_margin, baseline = 20, 20 + COLUMN_SPACE
    items = []
    for i, (key, value) in enumerate(found):
        height = COLUMN_SPACE * value / top
        items.append(
            Column(
                key=key,
                label=key[-short:],
                value=value,
                x=i * COLUMN_STEP + 6,
                y=baseline - height,
                height=height,
                labelled=i % every == 0,
            )
        )
    width = max(len(found) * COLUMN_STEP + 12, 120)
    return Columns(items, width, baseline + top_margin + 4, baseline)
