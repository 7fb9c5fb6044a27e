"""Complaint triage: category, scores, urgency, regulatory-risk flags, sentiment and group.

Two layers, combined in the open:

- the **model** (:mod:`xieshang.text.linear_model`, one per language) gives a probability per
  category;
- the **rules** (:mod:`xieshang.text.rules`, ``triage_rules.yaml``) add keyword hints to those
  scores, raise flags, set urgency and sentiment and pick the group.

A category's score is ``(p_model + s · Σ weights of the hints that matched) / total``, where
``s`` is the model's ``hint_scale`` (chosen when it was fitted: the weight the hints earned on the
training rows; 1 for the rules alone); the category is the highest score. Urgency is the highest of
the category's level, each flag's level, the urgency rules and the sentiment rule
(``self_harm`` is critical, whatever else). The group is the first override whose flag was raised,
else the category's. Every deciding level comes with its reason in ``urgency_reasons``, so an
agent sees why a complaint is at the top of the queue.

The caller keeps the original text: :func:`Triager.triage` returns the normalised text beside the
result and never changes its input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from xieshang.domain.errors import InvalidInput
from xieshang.text.categories import CATEGORIES
from xieshang.text.features import Language, detect_language
from xieshang.text.linear_model import TextClassifier, load_classifier
from xieshang.text.normalize import normalize
from xieshang.text.rules import URGENCY_LEVELS, TriageRules, load_rules

MAX_CHARS = 100_000  # a guard against abuse; the longest CFPB narrative here is 21,928


@dataclass(frozen=True)
class FlagHit:
    name: str
    label: str
    matched: str  # the text that raised it


@dataclass(frozen=True)
class Sentiment:
    label: str  # very_negative | negative | neutral | positive
    score: float


@dataclass(frozen=True)
class TriageResult:
    category: str
    scores: Mapping[str, float]
    urgency: str
    urgency_reasons: tuple[str, ...]
    flags: tuple[FlagHit, ...]
    sentiment: Sentiment
    group: str
    language: Language
    normalized_text: str
    model_scores: Mapping[str, float] = field(default_factory=dict)
    hints: Mapping[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The CLI's and API's JSON shape (scores rounded to 4 places)."""
        return {
            "category": self.category,
            "scores": {c: round(s, 4) for c, s in self.scores.items()},
            "urgency": self.urgency,
            "urgency_reasons": list(self.urgency_reasons),
            "flags": [f.name for f in self.flags],
            "flag_matches": {f.name: f.matched for f in self.flags},
            "sentiment": self.sentiment.label,
            "sentiment_score": self.sentiment.score,
            "group": self.group,
            "language": self.language,
            "normalized_text": self.normalized_text,
        }


class Triager:
    """Rules plus (optionally) a model per language; ``use_model=False`` is the rules-only baseline."""

    def __init__(
        self, rules: TriageRules, models: Mapping[str, TextClassifier], *, use_model: bool = True
    ) -> None:
        self.rules = rules
        self.models = dict(models)
        self.use_model = use_model

    def triage(self, text: str) -> TriageResult:
        """Triage ``text`` (raw, as the customer wrote it)."""
        if len(text) > MAX_CHARS:
            raise InvalidInput("text", f"longer than {MAX_CHARS} characters")
        normalized = normalize(text)
        if not normalized:
            raise InvalidInput("text", "is empty")
        return self.triage_normalized(normalized)

    def triage_normalized(self, normalized: str) -> TriageResult:
        """Triage text that :func:`~xieshang.text.normalize.normalize` has already produced."""
        lowered = normalized.lower()
        language = detect_language(normalized)
        hints = self.hint_scores(lowered)
        model = self.models.get(language) if self.use_model else None
        model_scores = model.probabilities(normalized) if model else {}
        scale = model.hint_scale if model else 1.0
        scores = _combine(model_scores, hints, scale)
        category = max(CATEGORIES, key=lambda c: (scores[c], -CATEGORIES.index(c)))
        flags = self.flags(lowered)
        sentiment = self.sentiment(lowered)
        urgency, reasons = self.urgency(lowered, category, flags, sentiment)
        return TriageResult(
            category=category,
            scores=scores,
            urgency=urgency,
            urgency_reasons=reasons,
            flags=flags,
            sentiment=sentiment,
            group=self.group(category, flags),
            language=language,
            normalized_text=normalized,
            model_scores=model_scores,
            hints=hints,
        )

    def hint_scores(self, lowered: str) -> dict[str, float]:
        """Sum of the weights of the hints that matched, per category (0 when none did)."""
        return {
            code: sum(h.weight for h in rule.hints if h.matcher.search(lowered) is not None)
            for code, rule in self.rules.categories.items()
        }

    def flags(self, lowered: str) -> tuple[FlagHit, ...]:
        hits = []
        for flag in self.rules.flags:
            matched = flag.matcher.search(lowered)
            if matched is not None:
                hits.append(FlagHit(flag.name, flag.label, matched))
        return tuple(hits)

    def sentiment(self, lowered: str) -> Sentiment:
        score = sum(
            t.weight * len(set(t.matcher.findall(lowered))) for t in self.rules.sentiment_terms
        )
        very, negative, positive = self.rules.sentiment_thresholds
        if score <= very:
            label = "very_negative"
        elif score <= negative:
            label = "negative"
        elif score >= positive:
            label = "positive"
        else:
            label = "neutral"
        return Sentiment(label, score)

    def urgency(
        self, lowered: str, category: str, flags: tuple[FlagHit, ...], sentiment: Sentiment
    ) -> tuple[str, tuple[str, ...]]:
        rules = self.rules
        candidates = [(rules.categories[category].urgency, f"category {category}")]
        by_name = {f.name: f for f in rules.flags}
        candidates += [(by_name[h.name].urgency, f"flag {h.name} ({h.matched})") for h in flags]
        for rule in rules.urgency_rules:
            matched = rule.matcher.search(lowered)
            if matched is not None:
                candidates.append((rule.level, f"{rule.why} ({matched})"))
        if sentiment.label in rules.urgency_by_sentiment:
            candidates.append(
                (rules.urgency_by_sentiment[sentiment.label], f"sentiment {sentiment.label}")
            )
        level = max(URGENCY_LEVELS.index(u) for u, _ in candidates)
        reasons = tuple(r for u, r in candidates if URGENCY_LEVELS.index(u) == level)
        return URGENCY_LEVELS[level], reasons

    def group(self, category: str, flags: tuple[FlagHit, ...]) -> str:
        raised = {f.name for f in flags}
        for override in self.rules.group_overrides:
            if override.flags & raised:
                return override.group
        return self.rules.categories[category].group


def _combine(
    model_scores: Mapping[str, float], hints: Mapping[str, float], scale: float
) -> dict[str, float]:
    raw = {c: model_scores.get(c, 0.0) + scale * hints.get(c, 0.0) for c in CATEGORIES}
    total = sum(raw.values())
    if total == 0.0:  # rules only and no hint matched
        return {c: 1.0 if c == "other" else 0.0 for c in CATEGORIES}
    return {c: v / total for c, v in raw.items()}


@lru_cache(maxsize=2)
def default_triager(use_model: bool = True) -> Triager:
    """The shipped rules and models (loaded once)."""
    models = {lang: load_classifier(lang) for lang in ("zh", "en")} if use_model else {}
    return Triager(load_rules(), models, use_model=use_model)


def triage(text: str) -> TriageResult:
    """Triage ``text`` with the shipped rules and models."""
    return default_triager().triage(text)
