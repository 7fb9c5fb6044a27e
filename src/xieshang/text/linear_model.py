"""A linear text classifier shipped as JSON and scored in pure Python.

Fitted by ``scripts/fit_triage.py`` (scikit-learn ``TfidfVectorizer`` + ``LogisticRegression``) and
exported so that run time needs neither scikit-learn nor numpy. Format::

    {
      "format": "xieshang-text-classifier/1",
      "language": "zh",
      "classes": ["application", …],
      "intercepts": [0.12, …],             # one per class
      "hint_scale": 0.0,                   # weight of the rules' keyword hints beside this model
      "features": {"协商": [idf, [coef per class]], …},
      "fit": {…}                           # free-form notes on how it was made; ignored
    }

Scoring repeats the vectoriser exactly: term counts, sublinear tf ``1 + ln(tf)``, times idf, L2
normalisation, then one dot product per class and a softmax. Features not in the vocabulary are
ignored, as scikit-learn ignores them.

``hint_scale`` says how much the rule layer's category hints count beside this model's
probabilities (see :mod:`xieshang.text.triage`); the fitting script chooses it by cross-validation
on the training rows, so a hint set that does not help the model on its own data gets little say.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from xieshang.domain.errors import InvalidInput
from xieshang.text.features import LANGUAGES, Language, features

FORMAT = "xieshang-text-classifier/1"


@dataclass(frozen=True)
class TextClassifier:
    """A fitted linear model over TF-IDF n-grams: ``probabilities(text)`` per class."""

    language: Language
    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: Mapping[str, tuple[float, tuple[float, ...]]]  # term → (idf, coefficient per class)
    hint_scale: float = 1.0

    def decision(self, text: str) -> list[float]:
        """One linear score per class for already normalised ``text``."""
        counts = Counter(features(text, self.language))
        found: list[tuple[float, tuple[float, ...]]] = []
        norm = 0.0
        for term, tf in counts.items():
            entry = self.weights.get(term)
            if entry is None:
                continue
            value = (1.0 + math.log(tf)) * entry[0]
            found.append((value, entry[1]))
            norm += value * value
        scores = list(self.intercepts)
        if norm == 0.0:
            return scores
        scale = 1.0 / math.sqrt(norm)
        for value, coefs in found:
            v = value * scale
            for k, c in enumerate(coefs):
                scores[k] += v * c
        return scores

    def probabilities(self, text: str) -> dict[str, float]:
        """Softmax of :meth:`decision`: a probability per class, summing to 1."""
        scores = self.decision(text)
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps, strict=True)}


def load_classifier(language: Language, path: Path | None = None) -> TextClassifier:
    """The model in ``path``, or the one shipped for ``language`` (``data/triage_model_<lang>.json``)."""
    try:
        if path is None:
            name = f"data/triage_model_{language}.json"
            text = resources.files("xieshang").joinpath(name).read_text(encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput("model", f"cannot read the triage model: {exc.strerror or exc}") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput("model", f"not valid JSON: {exc.msg} (line {exc.lineno})") from exc
    return parse_classifier(document)


def parse_classifier(document: object) -> TextClassifier:
    """A :class:`TextClassifier` from a decoded JSON document, checked for shape."""
    if not isinstance(document, dict):
        raise InvalidInput("$", "must be an object")
    doc: dict[str, Any] = document
    for key in ("format", "language", "classes", "intercepts", "hint_scale", "features"):
        if key not in doc:
            raise InvalidInput(f"$.{key}", "missing")
    if doc["format"] != FORMAT:
        raise InvalidInput("$.format", f"must be {FORMAT!r}")
    if doc["language"] not in LANGUAGES:
        raise InvalidInput("$.language", f"must be one of {', '.join(LANGUAGES)}")
    classes = doc["classes"]
    if not isinstance(classes, list) or not classes or not all(isinstance(c, str) for c in classes):
        raise InvalidInput("$.classes", "must be a non-empty list of strings")
    intercepts = _floats(doc["intercepts"], len(classes), "$.intercepts")
    hint_scale = _floats([doc["hint_scale"]], 1, "$.hint_scale")[0]
    if hint_scale < 0:
        raise InvalidInput("$.hint_scale", "must not be negative")
    table = doc["features"]
    if not isinstance(table, dict):
        raise InvalidInput("$.features", "must be an object")
    weights: dict[str, tuple[float, tuple[float, ...]]] = {}
    for term, entry in table.items():
        path = f"$.features[{term!r}]"
        if not isinstance(entry, list) or len(entry) != 2:
            raise InvalidInput(path, "must be [idf, [coefficient per class]]")
        idf = _floats([entry[0]], 1, path)[0]
        weights[term] = (idf, _floats(entry[1], len(classes), path))
    return TextClassifier(doc["language"], tuple(classes), intercepts, weights, hint_scale)


def _floats(values: object, count: int, path: str) -> tuple[float, ...]:
    if not isinstance(values, list) or len(values) != count:
        raise InvalidInput(path, f"must be a list of {count} numbers")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        raise InvalidInput(path, "must hold numbers only")
    return tuple(float(v) for v in values)


def classifier_to_json(
    model: TextClassifier, *, fit: Mapping[str, object] | None = None
) -> dict[str, Any]:
    """The JSON document :func:`parse_classifier` reads back as ``model``."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "language": model.language,
        "classes": list(model.classes),
        "intercepts": list(model.intercepts),
        "hint_scale": model.hint_scale,
        "features": {t: [idf, list(c)] for t, (idf, c) in sorted(model.weights.items())},
    }
    if fit is not None:
        document["fit"] = dict(fit)
    return document
