"""The policy's valuation numbers are the ones ``scripts/calibrate_valuation.py`` fits from the data
shipped in ``src/xieshang/data`` — so every number in the NPV model can be traced to its source
(docs/valuation.md)."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from xieshang.policy.document import load_policy

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
import calibrate_valuation

VALUATION = load_policy().valuation


def test_the_shipped_roll_rates_are_the_ones_counted_in_the_card_data() -> None:
    rows, *_ = calibrate_valuation.calibrate()
    for row in VALUATION.roll:
        fitted = rows[row.behind]
        shipped = {m: float(getattr(row, m)) for m in ("cure", "catch_up", "keep", "roll")}
        assert shipped == fitted, f"{row.behind} behind: run scripts/calibrate_valuation.py"
    assert len(VALUATION.roll) == len(rows)


def test_the_shipped_re_default_curve_is_the_one_fitted_to_the_occ_rates() -> None:
    _, floor, decay, points = calibrate_valuation.calibrate()
    redefault = VALUATION.redefault
    assert redefault.decay == Decimal(f"{decay:.3f}")
    assert redefault.floor == Decimal(f"{floor:.5f}")
    assert [(float(p.x), float(p.y)) for p in redefault.by_cut] == points


def test_the_counts_cover_every_step_of_every_account() -> None:
    """30,000 accounts, six months each: five monthly steps apiece are counted."""
    counts = calibrate_valuation.roll_counts()
    assert sum(sum(row.values()) for row in counts.values()) == 30_000 * 5
