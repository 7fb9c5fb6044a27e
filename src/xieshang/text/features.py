"""Which model reads a text, and the n-gram features it reads (shared by training and scoring).

``scripts/fit_triage.py`` passes :func:`features` to scikit-learn as the vectoriser's analyzer, so
the shipped model is scored at run time on exactly the features it was fitted on.

- **Chinese** (``zh``): character unigrams, bigrams and trigrams within each run of Chinese
  characters (no segmentation needed, robust to typos and unknown words), plus each Latin or digit
  token as a word (``app``, ``12378``, ``lpr``).
- **English** (``en``): lower-cased word unigrams and bigrams. CFPB redaction marks (``XXXX``,
  ``XX/XX/2019``) and amounts (``{$120.00}``) are dropped, so the model never learns from them.

A text is Chinese when it has at least as many Chinese characters as Latin words.
"""

from __future__ import annotations

import itertools
import re
from typing import Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_REDACTION = re.compile(r"\{\$[^}]*\}|\b[xX]{2,}(?:/[xX]{2,})*(?:/\d+)?\b")
_ZH_ORDERS = (1, 2, 3)


def detect_language(text: str) -> Language:
    """``zh`` when the text has at least as many Chinese characters as Latin words, else ``en``."""
    han = len(_HAN_CHAR.findall(text))
    if han == 0:
        return "en"
    return "zh" if han >= len(_LATIN_WORD.findall(text)) else "en"


def chinese_features(text: str) -> list[str]:
    """Character 1–3-grams within runs of Chinese characters, and Latin/digit tokens as words."""
    grams: list[str] = []
    for run in _HAN_RUN.findall(text):
        for n in _ZH_ORDERS:
            grams.extend(run[i : i + n] for i in range(len(run) - n + 1))
    grams.extend(_TOKEN.findall(_HAN_RUN.sub(" ", text).lower()))
    return grams


def english_features(text: str) -> list[str]:
    """Lower-cased word unigrams and bigrams, redaction marks and amounts removed."""
    words = [w for w in _TOKEN.findall(_REDACTION.sub(" ", text).lower()) if not w.isdigit()]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def features(text: str, language: Language) -> list[str]:
    """The n-gram features the ``language`` model reads from (already normalised) ``text``."""
    return chinese_features(text) if language == "zh" else english_features(text)
