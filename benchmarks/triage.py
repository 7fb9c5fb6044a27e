"""Complaint triage throughput on one core: complaints triaged per second.

Run: ``.venv/bin/python benchmarks/triage.py [--quick] [--json]``. Triages every complaint of the
two shipped corpora (458 short Chinese complaints; 1,532 CFPB narratives, median about 900
characters) with the whole pipeline — normalisation, model, rules, urgency, sentiment, group —
one complaint at a time, best of 3 repeats. Baselines in the same run: the rules alone
(normalisation included) and scikit-learn's own ``Pipeline.predict`` (TF-IDF + logistic regression,
fitted here with the shipped model's settings) called one complaint at a time. Target (issue 6):
≥ 500 complaints a second. Nothing asserts on time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial
from importlib import resources
from typing import Any

from xieshang.text.features import Language, features
from xieshang.text.normalize import normalize
from xieshang.text.triage import Triager, default_triager

CORPORA: dict[Language, tuple[str, str]] = {
    "zh": ("complaints_zh.csv", "text"),
    "en": ("complaints_cfpb.csv", "narrative"),
}
TARGET = 500.0


def corpus(language: Language) -> list[tuple[str, str, str]]:
    name, column = CORPORA[language]
    text = resources.files("xieshang").joinpath("data", name).read_text(encoding="utf-8")
    return [(r[column], r["category"], r["split"]) for r in csv.DictReader(text.splitlines(True))]


def rate(work: Callable[[str], object], texts: Sequence[str], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        began = time.perf_counter()
        for text in texts:
            work(text)
        best = min(best, time.perf_counter() - began)
    return len(texts) / best


def sklearn_baseline(
    language: Language, rows: list[tuple[str, str, str]]
) -> Callable[[str], object] | None:
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline
    except ImportError:  # scikit-learn is a development dependency
        return None
    fit: dict[str, Any] = json.loads(
        resources.files("xieshang")
        .joinpath("data", f"triage_model_{language}.json")
        .read_text("utf-8")
    )["fit"]
    pipeline = Pipeline(
        [
            (
                "tfidf",
                TfidfVectorizer(
                    analyzer=partial(features, language=language),
                    sublinear_tf=True,
                    min_df=fit["min_df"],
                ),
            ),
            ("lr", LogisticRegression(C=fit["C"], class_weight="balanced", max_iter=10_000)),
        ]
    )
    train = [(normalize(t), c) for t, c, s in rows if s == "train"]
    pipeline.fit([t for t, _ in train], [c for _, c in train])
    return lambda text: pipeline.predict([normalize(text)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="one repeat, 300 complaints per corpus"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    full = default_triager()
    rules_only = Triager(full.rules, {}, use_model=False)
    figures: dict[str, dict[str, float]] = {}
    for language in CORPORA:
        rows = corpus(language)
        texts = [t for t, _, _ in rows][: 300 if args.quick else None]
        full.triage(texts[0])  # load and warm up
        row = {
            "complaints": float(len(texts)),
            "median_chars": float(statistics.median(len(t) for t in texts)),
            "triage": rate(full.triage, texts, repeats),
            "rules_alone": rate(rules_only.triage, texts, repeats),
        }
        baseline = sklearn_baseline(language, rows)
        if baseline is not None:
            row["sklearn_predict"] = rate(baseline, texts, repeats)
        figures[language] = row
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print("xieshang triage benchmark")
    print(f"Python {platform.python_version()}, CPUs {os.cpu_count()}, one process, one at a time")
    header = ("corpus", "n", "median chars", "triage/s", "rules alone/s", "sklearn/s", "ratio")
    print("{:<7} {:>5} {:>12} {:>9} {:>13} {:>9} {:>6}".format(*header))
    for name, row in figures.items():
        sk = row.get("sklearn_predict")
        cells = (
            name,
            f"{row['complaints']:.0f}",
            f"{row['median_chars']:.0f}",
            f"{row['triage']:,.0f}",
            f"{row['rules_alone']:,.0f}",
            "-" if sk is None else f"{sk:,.0f}",
            "-" if sk is None else f"{row['triage'] / sk:.2f}x",
        )
        print("{:<7} {:>5} {:>12} {:>9} {:>13} {:>9} {:>6}".format(*cells))
    print("ratio = triage (whole pipeline) / scikit-learn Pipeline.predict (category only)")
    worst = min(row["triage"] for row in figures.values())
    verdict = "MET" if worst >= TARGET else "NOT MET"
    print(
        f"target >= {TARGET:.0f} complaints/s on one core: {verdict} (slowest corpus {worst:,.0f}/s)"
    )


if __name__ == "__main__":
    main()
