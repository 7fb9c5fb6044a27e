"""Fit the shipped triage models, evaluate them on the held-out splits, and document the figures.

    .venv/bin/python scripts/fit_triage.py

Reads ``src/xieshang/data/complaints_zh.csv`` (authored by the xieshang team, synthetic) and
``src/xieshang/data/complaints_cfpb.csv`` (CFPB narratives with the TAXONOMY mapping), each with a
fixed ``split`` column (see ``src/xieshang/data/ATTRIBUTION.md``). Writes
``src/xieshang/data/triage_model_zh.json``, ``triage_model_en.json`` and the evaluation block of
``docs/triage.md``, and prints the figures.

Method, for each language separately:

1. Normalise every text (``xieshang.text.normalize``); keep the training rows of the language's own
   corpus that the router (``detect_language``) sends to this language's model.
2. TF-IDF over ``xieshang.text.features.features`` (the same function the run time scores with),
   sublinear tf, L2 norm; multinomial logistic regression with balanced class weights.
3. Choose ``min_df`` and ``C`` by stratified 5-fold cross-validation on the training rows only
   (macro-F1), refit on all training rows, export the vocabulary's idf and coefficients to JSON.
   With the same folds' out-of-fold probabilities, choose ``hint_scale`` — how much the rules'
   keyword hints count beside the model — as the value in ``GRID_HINT_SCALE`` with the best
   out-of-fold macro-F1 (the smaller on a tie).
4. Evaluate on the held-out rows of *both* corpora through the shipped pure-Python path
   (``Triager``): the model alone, the rules alone, and model + rules (what ``xieshang triage``
   does), and check that the pure-Python probabilities agree with scikit-learn's.

Deterministic: fixed seeds and a deterministic solver (lbfgs), so a re-run with the same library
versions writes the same files.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict, cross_val_score
from sklearn.pipeline import Pipeline

from xieshang.text.evaluation import Evaluation, evaluate
from xieshang.text.features import Language, detect_language, features
from xieshang.text.linear_model import TextClassifier, classifier_to_json
from xieshang.text.normalize import normalize
from xieshang.text.rules import load_rules
from xieshang.text.triage import Triager

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "xieshang" / "data"
DOC = ROOT / "docs" / "triage.md"
CORPORA: dict[Language, tuple[str, str]] = {
    "zh": ("complaints_zh.csv", "text"),
    "en": ("complaints_cfpb.csv", "narrative"),
}
CORPUS_NAMES = {"zh": "Chinese (authored, synthetic)", "en": "English (CFPB 2015–2020 sample)"}
SEED = 20261201
FOLDS = 5
GRID_MIN_DF = (2, 3, 5)
GRID_C = (0.3, 1.0, 3.0)
GRID_HINT_SCALE = (0.0, 0.1, 0.25, 0.5, 1.0)
SIGNIFICANT = 6  # digits kept for idf and coefficients in the JSON
BEGIN = "<!-- evaluation:begin (written by scripts/fit_triage.py) -->"
END = "<!-- evaluation:end -->"


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


@dataclass(frozen=True)
class Row:
    text: str  # normalised
    category: str
    split: str


def read_corpus(language: Language) -> list[Row]:
    name, column = CORPORA[language]
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return [Row(normalize(r[column]), r["category"], r["split"]) for r in csv.DictReader(f)]


def pipeline(language: Language, min_df: int, c: float) -> Pipeline:
    return Pipeline(
        [
            (
                "tfidf",
                TfidfVectorizer(
                    analyzer=partial(features, language=language), sublinear_tf=True, min_df=min_df
                ),
            ),
            ("lr", LogisticRegression(C=c, class_weight="balanced", max_iter=10_000)),
        ]
    )


def choose(language: Language, texts: list[str], labels: list[str]) -> tuple[int, float, float]:
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    best = (0, 0.0, -1.0)
    for min_df in GRID_MIN_DF:
        for c in GRID_C:
            cv = cross_val_score(
                pipeline(language, min_df, c), texts, labels, cv=folds, scoring="f1_macro", n_jobs=2
            )
            if cv.mean() > best[2]:
                best = (min_df, c, float(cv.mean()))
    return best


def choose_hint_scale(
    language: Language, min_df: int, c: float, texts: list[str], labels: list[str]
) -> tuple[float, dict[float, float]]:
    """The hint weight with the best out-of-fold macro-F1 on the training rows."""
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    probabilities = cross_val_predict(
        pipeline(language, min_df, c), texts, labels, cv=folds, method="predict_proba", n_jobs=2
    )
    classes = sorted(set(labels))
    triager = Triager(load_rules(), {}, use_model=False)
    hints = [triager.hint_scores(t.lower()) for t in texts]
    results: dict[float, float] = {}
    for scale in GRID_HINT_SCALE:
        predicted = [
            classes[max(range(len(classes)), key=lambda i: p[i] + scale * h[classes[i]])]
            for p, h in zip(probabilities, hints, strict=True)
        ]
        results[scale] = float(f1_score(labels, predicted, average="macro"))
    best = max(GRID_HINT_SCALE, key=lambda s: (round(results[s], 6), -s))
    return best, results


def _round(x: float) -> float:
    return float(f"{x:.{SIGNIFICANT}g}")


def export(language: Language, fitted: Pipeline) -> TextClassifier:
    vectorizer: TfidfVectorizer = fitted.named_steps["tfidf"]
    model: LogisticRegression = fitted.named_steps["lr"]
    coefs = np.asarray(model.coef_)
    idf = np.asarray(vectorizer.idf_)
    weights = {
        term: (_round(float(idf[j])), tuple(_round(float(v)) for v in coefs[:, j]))
        for term, j in vectorizer.vocabulary_.items()
    }
    return TextClassifier(
        language=language,
        classes=tuple(str(c) for c in model.classes_),
        intercepts=tuple(_round(float(v)) for v in model.intercept_),
        weights=weights,
    )


def fit(language: Language, rows: list[Row]) -> tuple[TextClassifier, Pipeline, dict[str, Any]]:
    train = [r for r in rows if r.split == "train" and detect_language(r.text) == language]
    texts = [r.text for r in train]
    labels = [r.category for r in train]
    min_df, c, cv_f1 = choose(language, texts, labels)
    fitted = pipeline(language, min_df, c).fit(texts, labels)
    scale, oof_f1 = choose_hint_scale(language, min_df, c, texts, labels)
    classifier = replace(export(language, fitted), hint_scale=scale)
    notes = {
        "corpus": CORPORA[language][0],
        "training_rows": len(train),
        "vectorizer": "tfidf, sublinear tf, l2, features from xieshang.text.features",
        "min_df": min_df,
        "model": "LogisticRegression(multinomial, lbfgs, class_weight=balanced)",
        "C": c,
        "cv_macro_f1": round(cv_f1, 4),
        "cv": f"stratified {FOLDS}-fold on the training rows, seed {SEED}",
        "hint_scale": scale,
        "hint_scale_oof_macro_f1": {str(k): round(v, 4) for k, v in oof_f1.items()},
        "vocabulary": len(classifier.weights),
        "scikit_learn": sklearn.__version__,
    }
    return classifier, fitted, notes


def agreement(classifier: TextClassifier, fitted: Pipeline, texts: Sequence[str]) -> float:
    """Largest difference between pure-Python and scikit-learn probabilities on ``texts``."""
    ours = np.array([list(classifier.probabilities(t).values()) for t in texts])
    theirs = fitted.predict_proba(list(texts))
    return float(np.abs(ours - theirs).max())


def evaluations(
    rows: list[Row], triagers: dict[str, Triager]
) -> dict[str, tuple[Evaluation, list[str]]]:
    test = [r for r in rows if r.split == "test"]
    gold = [r.category for r in test]
    results: dict[str, tuple[Evaluation, list[str]]] = {}
    for name, triager in triagers.items():
        if name == "model alone":
            predicted = [_model_only(triager, r.text) for r in test]
        else:
            predicted = [triager.triage_normalized(r.text).category for r in test]
        results[name] = (evaluate(gold, predicted), predicted)
        check = f1_score(gold, predicted, average="macro")
        assert abs(check - results[name][0].macro_f1) < 1e-9, (name, check)
    train_labels = [r.category for r in rows if r.split == "train"]
    majority = max(sorted(set(train_labels)), key=train_labels.count)
    results["majority class"] = (evaluate(gold, [majority] * len(gold)), [majority] * len(gold))
    return results


def _model_only(triager: Triager, text: str) -> str:
    scores = triager.triage_normalized(text).model_scores
    return max(scores, key=lambda c: scores[c])


def markdown(
    language: Language,
    notes: dict[str, Any],
    results: dict[str, tuple[Evaluation, list[str]]],
    drift: float,
) -> list[str]:
    combined = results["model + rules"][0]
    lines = [f"### {CORPUS_NAMES[language]}", ""]
    lines.append(
        f"Held-out rows: {combined.rows}. Model: {notes['vocabulary']:,} features, min_df "
        f"{notes['min_df']}, C = {notes['C']} (chosen by {notes['cv']}: CV macro-F1 "
        f"{notes['cv_macro_f1']:.3f}), trained on {notes['training_rows']} rows. Hint scale "
        f"{notes['hint_scale']} (out-of-fold macro-F1 on the training rows by scale: "
        + ", ".join(f"{k}: {v:.3f}" for k, v in notes["hint_scale_oof_macro_f1"].items())
        + ")."
    )
    lines += ["", "| layer | macro-F1 | accuracy |", "|---|---:|---:|"]
    for name, (ev, _) in results.items():
        lines.append(f"| {name} | {ev.macro_f1:.3f} | {ev.accuracy:.3f} |")
    lines += [
        "",
        "Model + rules, per category:",
        "",
        "| category | precision | recall | F1 | support |",
        "|---|---:|---:|---:|---:|",
    ]
    for s in combined.per_category:
        lines.append(
            f"| `{s.category}` | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.support} |"
        )
    lines += [
        "",
        "Largest difference between the shipped pure-Python probabilities and scikit-learn's "
        f"on these rows: {drift:.1e}.",
        "",
    ]
    return lines


def write_doc(block: list[str]) -> None:
    text = DOC.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"{DOC} has no evaluation block to replace")
    DOC.write_text(pattern.sub(lambda _: "\n".join([BEGIN, *block, END]), text), encoding="utf-8")


def main() -> None:
    rules = load_rules()
    corpora = {lang: read_corpus(lang) for lang in CORPORA}
    classifiers: dict[str, TextClassifier] = {}
    fitted: dict[str, Pipeline] = {}
    notes: dict[str, dict[str, Any]] = {}
    for lang, rows in corpora.items():
        classifiers[lang], fitted[lang], notes[lang] = fit(lang, rows)
        document = classifier_to_json(classifiers[lang], fit=notes[lang])
        path = DATA / f"triage_model_{lang}.json"
        path.write_text(
            json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
        )
        out(f"{lang}: wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes) {notes[lang]}")
    triagers = {
        "model alone": Triager(rules, classifiers),
        "rules alone": Triager(rules, {}, use_model=False),
        "model + rules": Triager(rules, classifiers),
    }
    block = [
        "",
        f"Command: `.venv/bin/python scripts/fit_triage.py` (scikit-learn {sklearn.__version__}, "
        f"rules version {rules.version}). Every figure below is computed on the held-out rows "
        "(`split = test`) with the shipped JSON models scored in pure Python — what "
        "`xieshang triage` runs.",
        "",
    ]
    for lang, rows in corpora.items():
        results = evaluations(rows, triagers)
        test_texts = [r.text for r in rows if r.split == "test" and detect_language(r.text) == lang]
        drift = agreement(classifiers[lang], fitted[lang], test_texts)
        block += markdown(lang, notes[lang], results, drift)
        out(f"\n{CORPUS_NAMES[lang]} held-out ({results['model + rules'][0].rows} rows)")
        for name, (ev, _) in results.items():
            out(f"  {name:<15} macro_f1={ev.macro_f1:.3f} accuracy={ev.accuracy:.3f}")
        for line in results["model + rules"][0].lines():
            out("  " + line)
        out(f"  max |p_python - p_sklearn| = {drift:.1e}")
    write_doc(block)
    out(f"\nwrote the evaluation block of {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
