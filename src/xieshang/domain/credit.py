"""A transparent points scorecard (评分卡) and adverse-action reasons.

A :class:`Scorecard` is a list of attributes; each attribute has bins, and each bin gives a whole
number of points. An applicant's score is the card's ``base_points`` plus, for every attribute, the
points of the one bin their value falls in — nothing else, so anyone can recompute it by hand.

Numeric attributes are binned by half-open ranges ``[lower, upper)`` (``None`` = unbounded) that
follow one another without gap or overlap; categorical attributes by disjoint sets of values. A
value outside every bin is refused, never guessed.

The points come from odds scaling: ``score = offset + factor · ln(odds_good)`` with
``factor = PDO / ln 2`` (PDO = points to double the odds) and ``offset = base_score − factor ·
ln(base_odds)``. :func:`probability_of_default` inverts it.

:func:`adverse_reasons` gives the top reasons of an adverse-action notice (拒绝/降额原因): the
attributes that cost the applicant most, each measured against the best bin of that attribute.

The card is data: ``xieshang.negotiations.scorecard`` loads one from JSON, and a bank may replace it with
its own. Field names in this module's errors (``attributes[2].bins[1].upper``) are the paths of
that JSON, so a bad file is reported where it is wrong.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from xieshang.domain.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Range:
    """Whole-number values ``lower <= v < upper``; ``None`` leaves that side open."""

    lower: int | None
    upper: int | None

    def __post_init__(self) -> None:
        for name in ("lower", "upper"):
            bound = getattr(self, name)
            if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int)):
                raise InvalidInput(name, "must be a whole number or null")
        if self.lower is not None and self.upper is not None and self.lower >= self.upper:
            raise InvalidInput("upper", f"must be greater than lower ({self.lower})")

    def contains(self, value: int) -> bool:
        return (self.lower is None or value >= self.lower) and (
            self.upper is None or value < self.upper
        )


@dataclass(frozen=True, slots=True)
class Categories:
    """Any one of a set of category values."""

    values: frozenset[str]

    def __post_init__(self) -> None:
        if not self.values:
            raise InvalidInput("values", "must list at least one value")
        if any(not isinstance(v, str) or not v for v in self.values):
            raise InvalidInput("values", "must be non-empty strings")

    def contains(self, value: str) -> bool:
        return value in self.values


Rule = Range | Categories


@dataclass(frozen=True, slots=True)
class Bin:
    attribute: str
    label: str
    rule: Rule
    points: int

    def __post_init__(self) -> None:
        if not self.label:
            raise InvalidInput("label", "must not be empty")
        if isinstance(self.points, bool) or not isinstance(self.points, int):
            raise InvalidInput("points", "must be a whole number")


@dataclass(frozen=True, slots=True)
class Attribute:
    """One scored characteristic: its reason code and text, and its bins in order."""

    name: str
    reason_code: str
    reason: str
    bins: tuple[Bin, ...]

    def __post_init__(self) -> None:
        if not self.name:
            raise InvalidInput("name", "must not be empty")
        if not self.reason_code:
            raise InvalidInput("reason_code", "must not be empty")
        if not self.reason:
            raise InvalidInput("reason", "must not be empty")
        if not self.bins:
            raise InvalidInput("bins", "must have at least one bin")
        numeric = isinstance(self.bins[0].rule, Range)
        labels: dict[str, int] = {}
        seen: dict[str, int] = {}
        for j, b in enumerate(self.bins):
            if b.attribute != self.name:
                raise InvalidInput(f"bins[{j}].attribute", f"must be {self.name!r}")
            if b.label in labels:
                raise InvalidInput(f"bins[{j}].label", f"repeats bins[{labels[b.label]}]")
            labels[b.label] = j
            if isinstance(b.rule, Range) is not numeric:
                raise InvalidInput(
                    f"bins[{j}]", "mixes ranges and category values in one attribute"
                )
            if isinstance(b.rule, Range):
                if j > 0:
                    before = self.bins[j - 1].rule
                    if isinstance(before, Range) and (
                        before.upper is None or b.rule.lower != before.upper
                    ):
                        raise InvalidInput(
                            f"bins[{j}].lower",
                            f"must equal the upper bound of bins[{j - 1}] ({before.upper})",
                        )
            else:
                for value in sorted(b.rule.values):
                    if value in seen:
                        raise InvalidInput(
                            f"bins[{j}].values", f"{value!r} is already in bins[{seen[value]}]"
                        )
                    seen[value] = j

    @property
    def is_numeric(self) -> bool:
        return isinstance(self.bins[0].rule, Range)

    @property
    def best_points(self) -> int:
        return max(b.points for b in self.bins)

    @property
    def worst_points(self) -> int:
        return min(b.points for b in self.bins)

    def bin_for(self, value: str | int) -> Bin:
        """The one bin ``value`` falls in; :class:`InvalidInput` (naming the attribute) if none."""
        if self.is_numeric:
            number = _whole_number(self.name, value)
            for b in self.bins:
                if isinstance(b.rule, Range) and b.rule.contains(number):
                    return b
            raise InvalidInput(self.name, f"{number} is outside the scorecard's range")
        if not isinstance(value, str):
            raise InvalidInput(self.name, "must be one of the category values (text)")
        known: list[str] = []
        for b in self.bins:
            if isinstance(b.rule, Categories):
                if b.rule.contains(value):
                    return b
                known.extend(repr(v) for v in sorted(b.rule.values))
        raise InvalidInput(
            self.name, f"unknown value {value!r}; expected one of {', '.join(known)}"
        )


def _whole_number(field: str, value: str | int) -> int:
    if isinstance(value, bool):
        raise InvalidInput(field, "must be a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[+-]?[0-9]+", text):
            return int(text)
    raise InvalidInput(field, f"must be a whole number, got {value!r}")


@dataclass(frozen=True, slots=True)
class Scaling:
    """Odds scaling: ``base_score`` points at ``base_odds`` good:bad, ``pdo`` points per doubling."""

    base_score: float
    base_odds: float
    pdo: float

    def __post_init__(self) -> None:
        for name in ("base_score", "base_odds", "pdo"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise InvalidInput(name, "must be a finite number")
        if self.base_odds <= 0:
            raise InvalidInput("base_odds", "must be positive")
        if self.pdo <= 0:
            raise InvalidInput("pdo", "must be positive")

    @property
    def factor(self) -> float:
        return self.pdo / math.log(2)

    @property
    def offset(self) -> float:
        return self.base_score - self.factor * math.log(self.base_odds)


@dataclass(frozen=True, slots=True)
class Scorecard:
    name: str
    version: str
    base_points: int
    attributes: tuple[Attribute, ...]
    scaling: Scaling

    def __post_init__(self) -> None:
        if not self.name:
            raise InvalidInput("name", "must not be empty")
        if not self.version:
            raise InvalidInput("version", "must not be empty")
        if isinstance(self.base_points, bool) or not isinstance(self.base_points, int):
            raise InvalidInput("base_points", "must be a whole number")
        if not self.attributes:
            raise InvalidInput("attributes", "must have at least one attribute")
        names: dict[str, int] = {}
        codes: dict[str, int] = {}
        for i, a in enumerate(self.attributes):
            if a.name in names:
                raise InvalidInput(f"attributes[{i}].name", f"repeats attributes[{names[a.name]}]")
            if a.reason_code in codes:
                raise InvalidInput(
                    f"attributes[{i}].reason_code", f"repeats attributes[{codes[a.reason_code]}]"
                )
            names[a.name] = i
            codes[a.reason_code] = i

    @property
    def bins(self) -> Mapping[str, tuple[Bin, ...]]:
        """Per attribute name, its bins in order."""
        return MappingProxyType({a.name: a.bins for a in self.attributes})

    def attribute(self, name: str) -> Attribute:
        for a in self.attributes:
            if a.name == name:
                return a
        raise InvalidInput("attribute", f"{name!r} is not on scorecard {self.name}")

    @property
    def min_score(self) -> int:
        return self.base_points + sum(a.worst_points for a in self.attributes)

    @property
    def max_score(self) -> int:
        return self.base_points + sum(a.best_points for a in self.attributes)


@dataclass(frozen=True, slots=True)
class Reason:
    """One adverse-action reason: an attribute where the applicant was not in the best bin."""

    code: str
    attribute: str
    reason: str
    label: str  # the applicant's bin
    points: int  # what that bin scored
    best_points: int  # what the best bin of the attribute scores
    points_lost: int  # best_points - points, > 0


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """The score, each attribute's points, and every shortfall, most costly first."""

    score: int
    points_by_attribute: Mapping[str, int]
    reasons: tuple[Reason, ...]


def score(card: Scorecard, applicant: Mapping[str, str | int]) -> ScoreResult:
    """``card.base_points`` plus the points of the applicant's bin in every attribute.

    Every attribute of the card must be present (:class:`InvalidInput` names the first missing or
    unknown one); keys the card does not use are ignored.
    """
    points: dict[str, int] = {}
    shortfalls: list[tuple[int, int, Reason]] = []
    for order, a in enumerate(card.attributes):
        if a.name not in applicant:
            raise InvalidInput(a.name, "missing: the scorecard needs it")
        b = a.bin_for(applicant[a.name])
        points[a.name] = b.points
        lost = a.best_points - b.points
        if lost > 0:
            reason = Reason(
                code=a.reason_code,
                attribute=a.name,
                reason=a.reason,
                label=b.label,
                points=b.points,
                best_points=a.best_points,
                points_lost=lost,
            )
            shortfalls.append((-lost, order, reason))
    shortfalls.sort(key=lambda t: (t[0], t[1]))
    return ScoreResult(
        score=card.base_points + sum(points.values()),
        points_by_attribute=MappingProxyType(points),
        reasons=tuple(r for _, _, r in shortfalls),
    )


def adverse_reasons(result: ScoreResult, card: Scorecard, top: int = 4) -> tuple[Reason, ...]:
    """The ``top`` attributes that cost the applicant most points against each attribute's best bin.

    Sorted by points lost (ties in the card's attribute order); an attribute where the applicant is
    already in the best bin is never a reason, so there may be fewer than ``top``. Four is the
    customary number on an adverse-action notice.
    """
    if isinstance(top, bool) or not isinstance(top, int) or top < 0:
        raise InvalidInput("top", "must be a whole number ≥ 0")
    if set(result.points_by_attribute) != {a.name for a in card.attributes}:
        raise InvalidInput("result", f"was not scored with scorecard {card.name} {card.version}")
    return result.reasons[:top]


def probability_of_default(card: Scorecard, score: float) -> float:
    """The bad probability the card's scaling assigns to ``score``: ``1 / (1 + odds_good)``.

    As accurate as the card's calibration: for a card fitted on another population (the shipped
    German card), a ranking, not a forecast for this bank's customers.
    """
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        raise InvalidInput("score", "must be a finite number")
    z = (score - card.scaling.offset) / card.scaling.factor  # ln(odds_good)
    if z >= 0:
        e = math.exp(-z)
        return e / (1.0 + e)
    return 1.0 / (1.0 + math.exp(z))
