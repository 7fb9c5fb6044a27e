"""Precision, recall and F1 per category, and macro-F1 — the figures in ``docs/triage.md``.

Macro-F1 is the unweighted mean of the per-category F1 over every category that occurs in the
gold labels or the predictions (scikit-learn's ``f1_score(average="macro")`` with its default
labels); a category with no predictions has precision 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xieshang.domain.errors import InvalidInput
from xieshang.text.categories import CATEGORIES


@dataclass(frozen=True)
class CategoryScore:
    category: str
    precision: float
    recall: float
    f1: float
    support: int  # gold rows of the category


@dataclass(frozen=True)
class Evaluation:
    rows: int
    accuracy: float
    per_category: tuple[CategoryScore, ...]
    macro_f1: float

    def lines(self) -> list[str]:
        """A plain table, one category a line, ending with ``macro_f1=0.xx``."""
        out = [f"{'category':<20} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>7}"]
        out += [
            f"{s.category:<20} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.support:>7}"
            for s in self.per_category
        ]
        out.append(f"rows={self.rows} accuracy={self.accuracy:.3f}")
        out.append(f"macro_f1={self.macro_f1:.2f}")
        return out


def evaluate(gold: Sequence[str], predicted: Sequence[str]) -> Evaluation:
    """Per-category precision/recall/F1 and macro-F1 of ``predicted`` against ``gold``."""
    if len(gold) != len(predicted):
        raise InvalidInput("predicted", "must have one label per gold label")
    if not gold:
        raise InvalidInput("gold", "no rows to evaluate")
    seen = set(gold) | set(predicted)
    labels = [c for c in CATEGORIES if c in seen] + sorted(seen - set(CATEGORIES))
    scores = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        predicted_n = sum(1 for p in predicted if p == label)
        support = sum(1 for g in gold if g == label)
        precision = tp / predicted_n if predicted_n else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(CategoryScore(label, precision, recall, f1, support))
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    return Evaluation(
        rows=len(gold),
        accuracy=correct / len(gold),
        per_category=tuple(scores),
        macro_f1=sum(s.f1 for s in scores) / len(scores),
    )
