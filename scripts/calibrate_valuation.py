"""Fit the NPV model's numbers from the public data shipped in ``src/xieshang/data``.

Two parts, each printed as the policy's ``valuation`` YAML with a table of fit against data:

1. **How an unmodified loan moves** (``valuation.roll``): each month a loan ``k`` installments behind
   pays everything (cure → current), pays more than the month's installment but not all (one fewer
   behind), pays the month's installment (as far behind) or pays nothing (one more behind). Counted
   over the five month-to-month steps (April→September 2005) of 30,000 credit-card accounts in the
   UCI "default of credit card clients" data (Yeh & Lien 2009; ``taiwan_repayment_status.csv``).
   Status ≤ 0 is current; the data codes the first missed payment as 1 in September and 2 in the
   other months, so statuses 1 and 2 are both one installment behind and status ``s ≥ 2`` is
   ``s − 1`` behind; rows three or more behind are pooled (few accounts).
2. **How a modified loan re-defaults** (``valuation.redefault``): the chance of being 60+ days
   delinquent ``t`` months after a modification is ``1 − Π(1 − h_s)`` with a monthly hazard
   ``h_s = a(cut) · decay^(s−1) + floor``. ``floor`` is the 60+ hazard of a current unmodified loan
   from part 1 (missing two payments running: ``roll₀ · roll₁``). ``decay`` is fitted to the OCC's
   3/6/9-month series (Q4 2008 report); ``a`` per payment-cut bucket to the OCC's 6-month rates
   (Q1 2009 report), and for cuts above 50 % to HAMP's 24-month rate. The 12-month OCC rates and
   HAMP's 24-month rate for small cuts are not fitted: they are printed beside the model's values as
   a check. Every rate is from ``occ_redefault_by_payment_change.csv`` (its source URL on each row)
   or cited below.

Run: ``.venv/bin/python scripts/calibrate_valuation.py`` (prints; the policy holds the numbers and
``tests/domain/negotiation/test_calibration.py`` checks they are what this prints).
"""

from __future__ import annotations

import csv
import itertools
import math
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "xieshang" / "data"
MONTHS = ("apr", "may", "jun", "jul", "aug", "sep")
POOLED = 3
"""Rows this many or more installments behind are pooled."""

HAMP_24M_CUT_OVER_HALF = 0.167
"""HAMP permanent modifications, 60+ days re-default at 24 months when the payment fell more than
50 %: 16.7 % (OCC Mortgage Metrics; NEGOTIATION.md §3, verified)."""
HAMP_24M_CUT_UP_TO_20 = 0.428
"""The same when the payment fell 20 % or less: 42.8 % (verified) — a check, not fitted."""

CUT_POSITION = {
    "unchanged": 0.0,
    "decreased_less_than_10pct": 0.05,
    "decreased_10_to_20pct": 0.15,
    "decreased_20pct_or_more": 0.25,
}
"""Where each OCC bucket sits on the payment-cut axis: the middle of a bounded bucket; the open
"20 % or more" bucket a quarter in (assumption); "increased" is not fitted — a payment rise is
valued as no cut, which keeps the curve monotone (the data put it 4 points below "unchanged")."""
HALF_CUT = 0.55
"""Where HAMP's "more than 50 %" bucket sits (assumption: just past its edge)."""


def behind(status: int) -> int:
    """Installments behind for one UCI repayment status."""
    return 0 if status <= 0 else max(status - 1, 1)


def roll_counts(path: Path = DATA / "taiwan_repayment_status.csv") -> dict[int, Counter[str]]:
    """For 0, 1, 2 and 3+ installments behind: how many monthly steps cured, caught up, kept
    level or rolled."""
    counts: dict[int, Counter[str]] = {k: Counter() for k in range(POOLED + 1)}
    with path.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            path_ = [behind(int(row[m])) for m in MONTHS]
            for now, then in itertools.pairwise(path_):
                counts[min(now, POOLED)][_move(now, then)] += 1
    return counts


def _move(now: int, then: int) -> str:
    if then == 0:
        return "keep" if now == 0 else "cure"
    if then < now:
        return "catch_up"
    return "keep" if then == now else "roll"


def roll_rates(counts: dict[int, Counter[str]]) -> dict[int, dict[str, float]]:
    """Each row's shares, rounded to four places."""
    rows = {}
    for k, row in counts.items():
        total = sum(row.values())
        rows[k] = {m: round(row[m] / total, 4) for m in ("cure", "catch_up", "keep", "roll")}
    return rows


def occ_rates(path: Path = DATA / "occ_redefault_by_payment_change.csv") -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as file:
        return [r for r in csv.DictReader(file) if r["delinquency_threshold"].startswith("60+")]


def redefaulted(a: float, decay: float, floor: float, months: int) -> float:
    """Share 60+ delinquent within ``months`` of a modification."""
    alive = 1.0
    for s in range(months):
        alive *= 1 - min(1.0, a * decay**s + floor)
    return 1 - alive


def solve_a(target: float, decay: float, floor: float, months: int) -> float:
    """The first-month excess hazard that gives ``target`` at ``months`` (bisection)."""
    low, high = 0.0, 1.0
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if redefaulted(mid, decay, floor, months) < target else (low, mid)
    return (low + high) / 2


def fit_decay(series: Iterable[list[tuple[int, float]]], floor: float) -> float:
    """The decay (to 0.001) that best fits each series of (months, rate) with its own level."""
    series = list(series)

    def error(decay: float) -> float:
        total = 0.0
        for points in series:
            months, rate = points[len(points) // 2]
            a = solve_a(rate, decay, floor, months)
            total += sum((redefaulted(a, decay, floor, m) - r) ** 2 for m, r in points)
        return total

    return min((d / 1000 for d in range(500, 1000)), key=error)


def q4_2008_series(rows: list[dict[str, str]]) -> list[list[tuple[int, float]]]:
    by_change: dict[str, list[tuple[int, float]]] = {}
    for r in rows:
        if r["report"] == "OCC Mortgage Metrics Report Q4 2008":
            point = (int(r["months_after_modification"]), float(r["redefault_rate_pct"]) / 100)
            by_change.setdefault(r["payment_change"], []).append(point)
    return [sorted(points) for change, points in by_change.items() if change != "increased"]


def rate(rows: list[dict[str, str]], report: str, months: int, change: str) -> float:
    for r in rows:
        if (r["report"], int(r["months_after_modification"]), r["payment_change"]) == (
            report,
            months,
            change,
        ):
            return float(r["redefault_rate_pct"]) / 100
    raise LookupError(f"{report} {months} {change}")


def calibrate() -> tuple[dict[int, dict[str, float]], float, float, list[tuple[float, float]]]:
    """The roll rows, the floor, the decay and the (cut, first-month hazard) points."""
    rows = roll_rates(roll_counts())
    floor = round(rows[0]["roll"] * rows[1]["roll"], 5)
    occ = occ_rates()
    decay = fit_decay(q4_2008_series(occ), floor)
    q1 = "OCC Mortgage Metrics Report Q1 2009"
    points = [
        (x, round(solve_a(rate(occ, q1, 6, change), decay, floor, 6), 4))
        for change, x in CUT_POSITION.items()
    ]
    points.append((HALF_CUT, round(solve_a(HAMP_24M_CUT_OVER_HALF, decay, floor, 24), 4)))
    return rows, floor, decay, points


def checks(decay: float, floor: float, points: list[tuple[float, float]]) -> list[str]:
    """Model against the rates that were not fitted."""
    occ = occ_rates()
    q1 = "OCC Mortgage Metrics Report Q1 2009"
    level = dict(points)
    return [
        f"unchanged, 12 months: model {redefaulted(level[0.0], decay, floor, 12):.3f},"
        f" OCC {rate(occ, q1, 12, 'unchanged'):.3f}",
        f"cut >= 20 %, 12 months: model {redefaulted(level[0.25], decay, floor, 12):.3f},"
        f" OCC {rate(occ, q1, 12, 'decreased_20pct_or_more'):.3f}",
        f"cut 10-20 %, 24 months: model {redefaulted(level[0.15], decay, floor, 24):.3f},"
        f" HAMP (cut <= 20 %) {HAMP_24M_CUT_UP_TO_20:.3f}",
    ]


def policy_text() -> str:
    """The policy's ``valuation`` numbers as YAML, then the checks as comments."""
    rows, floor, decay, points = calibrate()
    lines = ["valuation:", "  roll:"]
    for k, row in rows.items():
        cells = ", ".join(f'{m}: "{v:.4f}"' for m, v in row.items())
        lines.append(f"    - {{behind: {k}, {cells}}}")
    lines += [
        "  redefault:",
        f'    decay: "{decay:.3f}"',
        f'    floor: "{floor:.5f}"',
        "    by_cut:",
    ]
    lines += [f'      - {{x: "{x:.2f}", y: "{a:.4f}"}}' for x, a in points]
    half_life = math.log(0.5) / math.log(decay)
    lines += ["", f"# decay half-life {half_life:.1f} months; checks (not fitted):"]
    lines += [f"#   {line}" for line in checks(decay, floor, points)]
    return "\n".join(lines)


def main() -> None:
    sys.stdout.write(policy_text() + "\n")


if __name__ == "__main__":
    main()
