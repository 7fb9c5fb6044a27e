"""The triage rules document (``triage_rules.yaml``): loading, validation, and keyword matching.

The shipped document is ``xieshang/text/triage_rules.yaml``; a bank may load its own with the same
format. Every problem is an :class:`~xieshang.domain.errors.InvalidInput` whose field is the path of the
bad value (``flags.regulator.patterns[1]``), and unknown keys are refused so that a misspelt
``keywrods`` cannot silently switch a rule off.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from xieshang.domain.errors import InvalidInput
from xieshang.kit.files import read_text
from xieshang.text.categories import CATEGORIES
from xieshang.text.normalize import normalize

FORMAT = "xieshang-triage-rules/1"
URGENCY_LEVELS = ("low", "normal", "high", "critical")
SENTIMENT_LABELS = ("very_negative", "negative", "neutral", "positive")
_WORDLIKE = re.compile(r"[a-z0-9]")


@dataclass(frozen=True)
class Matcher:
    """Keywords (whole words when Latin) and regular expressions, matched as one alternation.

    Speed: a keyword can only match where it occurs as a substring, so each search first keeps the
    keywords that occur (``in``, done in C) and runs the alternation of those alone (compiled once
    per combination and cached). The result is the same as running the full alternation.
    """

    keywords: tuple[str, ...]  # longest first, so the alternation prefers the longer keyword
    patterns: tuple[str, ...]

    def _regex(self, lowered: str) -> re.Pattern[str] | None:
        present = tuple(k for k in self.keywords if k in lowered)
        if not present and not self.patterns:
            return None
        return _alternation(present, self.patterns)

    def search(self, lowered: str) -> str | None:
        """The first matching text in ``lowered`` (normalised, lower-cased), or ``None``."""
        regex = self._regex(lowered)
        found = regex.search(lowered) if regex else None
        return found.group(0) if found else None

    def findall(self, lowered: str) -> list[str]:
        """Every non-overlapping match in ``lowered``."""
        regex = self._regex(lowered)
        return [m.group(0) for m in regex.finditer(lowered)] if regex else []


@lru_cache(maxsize=4096)
def _alternation(keywords: tuple[str, ...], patterns: tuple[str, ...]) -> re.Pattern[str]:
    parts = [_keyword_regex(k) for k in keywords] + [f"(?:{p})" for p in patterns]
    return re.compile("|".join(parts))


@dataclass(frozen=True)
class Flag:
    name: str
    label: str
    why: str
    urgency: str
    matcher: Matcher


@dataclass(frozen=True)
class Hint:
    weight: float
    why: str
    matcher: Matcher


@dataclass(frozen=True)
class CategoryRule:
    code: str
    group: str
    urgency: str
    hints: tuple[Hint, ...]


@dataclass(frozen=True)
class UrgencyRule:
    level: str
    why: str
    matcher: Matcher


@dataclass(frozen=True)
class SentimentTerm:
    weight: float
    why: str
    matcher: Matcher


@dataclass(frozen=True)
class GroupOverride:
    flags: frozenset[str]
    group: str
    why: str


@dataclass(frozen=True)
class TriageRules:
    version: str
    flags: tuple[Flag, ...]
    categories: Mapping[str, CategoryRule]
    urgency_rules: tuple[UrgencyRule, ...]
    urgency_by_sentiment: Mapping[str, str]
    sentiment_terms: tuple[SentimentTerm, ...]
    sentiment_thresholds: tuple[float, float, float]  # very_negative_at, negative_at, positive_at
    group_overrides: tuple[GroupOverride, ...]


def shipped_rules_text() -> str:
    return resources.files("xieshang.text").joinpath("triage_rules.yaml").read_text("utf-8")


def load_rules(path: Path | None = None) -> TriageRules:
    """The rules in ``path``, or the ones shipped with xieshang."""
    if path is None:
        return parse_rules(shipped_rules_text())
    return parse_rules(read_text(path, "rules"))


def parse_rules(text: str) -> TriageRules:
    """Validate a rules document (YAML text) and compile its keywords."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InvalidInput("rules", f"not valid YAML: {error}".splitlines()[0]) from None
    top = _object(
        document,
        "",
        required={"format", "version", "flags", "categories", "urgency", "sentiment"},
        optional={"group_overrides"},
    )
    if top["format"] != FORMAT:
        raise InvalidInput("format", f"must be {FORMAT!r}")
    flags = tuple(_flag(name, doc) for name, doc in _mapping(top["flags"], "flags").items())
    categories = _categories(top["categories"])
    urgency = _object(top["urgency"], "urgency", required=set(), optional={"rules", "by_sentiment"})
    rules = tuple(
        _urgency_rule(doc, f"urgency.rules[{i}]")
        for i, doc in enumerate(_list(urgency.get("rules", []), "urgency.rules"))
    )
    by_sentiment = {
        _choice(label, SENTIMENT_LABELS, f"urgency.by_sentiment.{label}"): _choice(
            level, URGENCY_LEVELS, f"urgency.by_sentiment.{label}"
        )
        for label, level in _mapping(
            urgency.get("by_sentiment", {}), "urgency.by_sentiment"
        ).items()
    }
    terms, thresholds = _sentiment(top["sentiment"])
    names = {f.name for f in flags}
    overrides = tuple(
        _override(doc, f"group_overrides[{i}]", names)
        for i, doc in enumerate(_list(top.get("group_overrides", []), "group_overrides"))
    )
    return TriageRules(
        version=_string(top["version"], "version"),
        flags=flags,
        categories=categories,
        urgency_rules=rules,
        urgency_by_sentiment=by_sentiment,
        sentiment_terms=terms,
        sentiment_thresholds=thresholds,
        group_overrides=overrides,
    )


def _flag(name: str, doc: object) -> Flag:
    path = f"flags.{name}"
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise InvalidInput(path, "a flag's name must be lower_snake_case")
    f = _object(doc, path, required={"label", "why", "urgency"}, optional={"keywords", "patterns"})
    return Flag(
        name=name,
        label=_string(f["label"], f"{path}.label"),
        why=_string(f["why"], f"{path}.why"),
        urgency=_choice(f["urgency"], URGENCY_LEVELS, f"{path}.urgency"),
        matcher=_matcher(f, path),
    )


def _categories(doc: object) -> dict[str, CategoryRule]:
    table = _mapping(doc, "categories")
    for code in table:
        _choice(code, CATEGORIES, f"categories.{code}")
    missing = [c for c in CATEGORIES if c not in table]
    if missing:
        raise InvalidInput(f"categories.{missing[0]}", "missing (every category needs a group)")
    out: dict[str, CategoryRule] = {}
    for code, entry in table.items():
        path = f"categories.{code}"
        c = _object(entry, path, required={"group", "urgency"}, optional={"hints"})
        hints = tuple(
            _hint(h, f"{path}.hints[{i}]")
            for i, h in enumerate(_list(c.get("hints", []), f"{path}.hints"))
        )
        out[code] = CategoryRule(
            code=code,
            group=_string(c["group"], f"{path}.group"),
            urgency=_choice(c["urgency"], URGENCY_LEVELS, f"{path}.urgency"),
            hints=hints,
        )
    return out


def _hint(doc: object, path: str) -> Hint:
    h = _object(doc, path, required={"weight", "why"}, optional={"keywords", "patterns"})
    weight = _number(h["weight"], f"{path}.weight")
    if not 0 < weight <= 1:
        raise InvalidInput(f"{path}.weight", "must be more than 0 and at most 1")
    return Hint(weight, _string(h["why"], f"{path}.why"), _matcher(h, path))


def _urgency_rule(doc: object, path: str) -> UrgencyRule:
    r = _object(doc, path, required={"level", "why"}, optional={"keywords", "patterns"})
    level = _choice(r["level"], URGENCY_LEVELS, f"{path}.level")
    return UrgencyRule(level, _string(r["why"], f"{path}.why"), _matcher(r, path))


def _sentiment(doc: object) -> tuple[tuple[SentimentTerm, ...], tuple[float, float, float]]:
    s = _object(
        doc,
        "sentiment",
        required={"very_negative_at", "negative_at", "positive_at", "lexicon"},
        optional={"patterns"},
    )
    very = _number(s["very_negative_at"], "sentiment.very_negative_at")
    negative = _number(s["negative_at"], "sentiment.negative_at")
    positive = _number(s["positive_at"], "sentiment.positive_at")
    if not very < negative < 0 < positive:
        raise InvalidInput(
            "sentiment", "thresholds must satisfy very_negative_at < negative_at < 0 < positive_at"
        )
    terms: list[SentimentTerm] = []
    for i, entry in enumerate(_list(s["lexicon"], "sentiment.lexicon")):
        path = f"sentiment.lexicon[{i}]"
        t = _object(entry, path, required={"weight", "why", "keywords"})
        terms.append(
            SentimentTerm(
                _number(t["weight"], f"{path}.weight"),
                _string(t["why"], f"{path}.why"),
                _matcher(t, path),
            )
        )
    for i, entry in enumerate(_list(s.get("patterns", []), "sentiment.patterns")):
        path = f"sentiment.patterns[{i}]"
        t = _object(entry, path, required={"weight", "why", "pattern"})
        matcher = _matcher({"patterns": [t["pattern"]]}, path, field="pattern")
        terms.append(
            SentimentTerm(
                _number(t["weight"], f"{path}.weight"), _string(t["why"], f"{path}.why"), matcher
            )
        )
    return tuple(terms), (very, negative, positive)


def _override(doc: object, path: str, flag_names: set[str]) -> GroupOverride:
    o = _object(doc, path, required={"flags", "group", "why"})
    flags = [
        _string(f, f"{path}.flags[{i}]") for i, f in enumerate(_list(o["flags"], f"{path}.flags"))
    ]
    for i, name in enumerate(flags):
        if name not in flag_names:
            raise InvalidInput(f"{path}.flags[{i}]", f"no flag named {name!r}")
    if not flags:
        raise InvalidInput(f"{path}.flags", "must name at least one flag")
    return GroupOverride(
        frozenset(flags), _string(o["group"], f"{path}.group"), _string(o["why"], f"{path}.why")
    )


def _matcher(doc: Mapping[str, Any], path: str, *, field: str = "patterns") -> Matcher:
    keywords: list[str] = []
    for i, raw in enumerate(_list(doc.get("keywords", []), f"{path}.keywords")):
        where = f"{path}.keywords[{i}]"
        keyword = _string(raw if not isinstance(raw, int) else str(raw), where).lower()
        if normalize(keyword).lower() != keyword:
            raise InvalidInput(
                where,
                f"{raw!r} would never match normalised text; write {normalize(keyword).lower()!r}",
            )
        keywords.append(keyword)
    patterns: list[str] = []
    for i, raw in enumerate(_list(doc.get("patterns", []), f"{path}.patterns")):
        where = f"{path}.{field}" if field != "patterns" else f"{path}.patterns[{i}]"
        pattern = _string(raw, where)
        try:
            re.compile(pattern)
        except re.error as error:
            raise InvalidInput(where, f"not a valid regular expression: {error}") from None
        patterns.append(pattern)
    if not keywords and not patterns:
        raise InvalidInput(path, "needs at least one keyword or pattern")
    ordered = tuple(sorted(dict.fromkeys(keywords), key=len, reverse=True))
    _alternation(ordered, tuple(patterns))  # fail here, not on first use
    return Matcher(ordered, tuple(patterns))


def _keyword_regex(keyword: str) -> str:
    body = re.escape(keyword)
    start = r"\b" if _WORDLIKE.match(keyword[0]) else ""
    end = r"\b" if _WORDLIKE.match(keyword[-1]) else ""
    return f"{start}{body}{end}"


def _object(
    doc: object, path: str, *, required: set[str], optional: set[str] | None = None
) -> dict[str, Any]:
    where = path or "rules"
    if not isinstance(doc, dict):
        raise InvalidInput(where, "must be a mapping")
    prefix = f"{path}." if path else ""
    for key in sorted(required):
        if key not in doc:
            raise InvalidInput(f"{prefix}{key}", "missing")
    for key in doc:
        if key not in required and key not in (optional or set()):
            raise InvalidInput(f"{prefix}{key}", "unknown key")
    return doc


def _mapping(doc: object, path: str) -> dict[str, Any]:
    if not isinstance(doc, dict) or not all(isinstance(k, str) for k in doc):
        raise InvalidInput(path, "must be a mapping")
    return doc


def _list(doc: object, path: str) -> list[Any]:
    if not isinstance(doc, list):
        raise InvalidInput(path, "must be a list")
    return doc


def _string(value: object, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(path, "must be a non-empty string")
    return value


def _number(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(path, "must be a number")
    return float(value)


def _choice(value: object, choices: tuple[str, ...], path: str) -> str:
    if value not in choices:
        raise InvalidInput(path, f"{value!r} is not one of: {', '.join(choices)}")
    assert isinstance(value, str)
    return value
