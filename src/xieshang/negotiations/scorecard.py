"""Load (and write) a points scorecard as JSON, so that a bank can replace the shipped one.

The shipped card, ``xieshang/data/scorecard_german.json``, was fitted by ``scripts/fit_scorecard.py``
on the UCI German Credit data (see ``docs/credit-scorecard.md`` and ``data/ATTRIBUTION.md``). A
bank's own card uses the same format::

    {
      "format": "xieshang-scorecard/1",
      "name": "…", "version": "…",
      "scaling": {"base_score": 600, "base_odds": 50, "pdo": 20},
      "base_points": 510,
      "attributes": [
        {"name": "duration_in_month", "reason_code": "DUR", "reason": "贷款期限",
         "bins": [{"label": "< 12", "lower": null, "upper": 12, "points": 25}, …]},
        {"name": "housing", "reason_code": "HSG", "reason": "住房情况",
         "bins": [{"label": "own", "values": ["own"], "points": 8}, …]}
      ],
      "fit": {…}
    }

Numeric bins have ``lower``/``upper`` (half-open, ``null`` = open); categorical bins ``values``.
``fit`` (at the top) and ``stats`` (on a bin) are free-form notes the scorer ignores; any other
unknown key is refused, so that a misspelt ``"pionts"`` cannot silently score zero. Every error is
an :class:`~xieshang.domain.errors.InvalidInput` whose field is the JSON path of the bad value
(``$.attributes[2].bins[1].upper``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any, TypeVar

from xieshang.domain.credit import Attribute, Bin, Categories, Range, Scaling, Scorecard
from xieshang.domain.errors import InvalidInput

FORMAT = "xieshang-scorecard/1"
SHIPPED = "data/scorecard_german.json"

_T = TypeVar("_T")


def load_scorecard(path: str | os.PathLike[str] | None = None) -> Scorecard:
    """The scorecard in ``path``, or the shipped German card when ``path`` is ``None``."""
    try:
        if path is None:
            text = resources.files("xieshang").joinpath(SHIPPED).read_text(encoding="utf-8")
        else:
            with open(path, encoding="utf-8") as f:
                text = f.read()
    except OSError as exc:
        raise InvalidInput("path", f"cannot read the scorecard: {exc.strerror or exc}") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput("$", f"not valid JSON: {exc.msg} (line {exc.lineno})") from exc
    return parse_scorecard(document)


def parse_scorecard(document: object) -> Scorecard:
    """A :class:`Scorecard` from a decoded JSON document, validated field by field."""
    top = _object(
        document,
        "$",
        required={"format", "name", "version", "scaling", "base_points", "attributes"},
        optional={"fit"},
    )
    if top["format"] != FORMAT:
        raise InvalidInput("$.format", f"must be {FORMAT!r}")
    scaling_doc = _object(top["scaling"], "$.scaling", required={"base_score", "base_odds", "pdo"})
    scaling = _build(
        "$.scaling",
        lambda: Scaling(
            base_score=_number(scaling_doc["base_score"], "$.scaling.base_score"),
            base_odds=_number(scaling_doc["base_odds"], "$.scaling.base_odds"),
            pdo=_number(scaling_doc["pdo"], "$.scaling.pdo"),
        ),
    )
    attributes_doc = top["attributes"]
    if not isinstance(attributes_doc, list):
        raise InvalidInput("$.attributes", "must be a list")
    attributes = tuple(_attribute(a, f"$.attributes[{i}]") for i, a in enumerate(attributes_doc))
    return _build(
        "$",
        lambda: Scorecard(
            name=_string(top["name"], "$.name"),
            version=_string(top["version"], "$.version"),
            base_points=_integer(top["base_points"], "$.base_points"),
            attributes=attributes,
            scaling=scaling,
        ),
    )


def _attribute(doc: object, path: str) -> Attribute:
    a = _object(doc, path, required={"name", "reason_code", "reason", "bins"})
    name = _string(a["name"], f"{path}.name")
    bins_doc = a["bins"]
    if not isinstance(bins_doc, list):
        raise InvalidInput(f"{path}.bins", "must be a list")
    bins = tuple(_bin(name, b, f"{path}.bins[{j}]") for j, b in enumerate(bins_doc))
    return _build(
        path,
        lambda: Attribute(
            name=name,
            reason_code=_string(a["reason_code"], f"{path}.reason_code"),
            reason=_string(a["reason"], f"{path}.reason"),
            bins=bins,
        ),
    )


def _bin(attribute: str, doc: object, path: str) -> Bin:
    if isinstance(doc, dict) and "values" in doc:
        b = _object(doc, path, required={"label", "values", "points"}, optional={"stats"})
        values = b["values"]
        if not isinstance(values, list):
            raise InvalidInput(f"{path}.values", "must be a list of strings")
        strings = [_string(v, f"{path}.values[{k}]") for k, v in enumerate(values)]
        if len(set(strings)) != len(strings):
            raise InvalidInput(f"{path}.values", "lists a value twice")
        rule: Range | Categories = _build(path, lambda: Categories(frozenset(strings)))
    else:
        b = _object(doc, path, required={"label", "lower", "upper", "points"}, optional={"stats"})
        lower = None if b["lower"] is None else _integer(b["lower"], f"{path}.lower")
        upper = None if b["upper"] is None else _integer(b["upper"], f"{path}.upper")
        rule = _build(path, lambda: Range(lower, upper))
    return _build(
        path,
        lambda: Bin(
            attribute=attribute,
            label=_string(b["label"], f"{path}.label"),
            rule=rule,
            points=_integer(b["points"], f"{path}.points"),
        ),
    )


def _build(path: str, make: Callable[[], _T]) -> _T:
    """``make()``, with a domain error's relative field turned into a JSON path under ``path``."""
    try:
        return make()
    except InvalidInput as exc:
        if exc.field.startswith("$"):
            raise
        sep = "" if exc.field.startswith("[") else "."
        raise InvalidInput(f"{path}{sep}{exc.field}", exc.problem) from exc


def _object(
    doc: object, path: str, *, required: set[str], optional: frozenset[str] | set[str] = frozenset()
) -> dict[str, Any]:
    if not isinstance(doc, dict):
        raise InvalidInput(path, "must be an object")
    for key in sorted(required):
        if key not in doc:
            raise InvalidInput(f"{path}.{key}", "missing")
    for key in doc:
        if key not in required and key not in optional:
            raise InvalidInput(f"{path}.{key}", "unknown key")
    return doc


def _string(value: object, path: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInput(path, "must be a non-empty string")
    return value


def _integer(value: object, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(path, "must be a whole number")
    return value


def _number(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(path, "must be a number")
    return float(value)


def scorecard_to_json(
    card: Scorecard,
    *,
    fit: Mapping[str, object] | None = None,
    stats: Mapping[tuple[str, str], Mapping[str, object]] | None = None,
) -> dict[str, Any]:
    """The JSON document :func:`parse_scorecard` reads back as ``card``.

    ``fit`` is a free-form note on how the card was made; ``stats`` maps (attribute, bin label) to
    free-form per-bin numbers (WoE, counts), for the reader — the scorer ignores both.
    """
    attributes: list[dict[str, Any]] = []
    for a in card.attributes:
        bins: list[dict[str, Any]] = []
        for b in a.bins:
            entry: dict[str, Any] = {"label": b.label}
            if isinstance(b.rule, Range):
                entry["lower"] = b.rule.lower
                entry["upper"] = b.rule.upper
            else:
                entry["values"] = sorted(b.rule.values)
            entry["points"] = b.points
            if stats and (a.name, b.label) in stats:
                entry["stats"] = dict(stats[(a.name, b.label)])
            bins.append(entry)
        attributes.append(
            {"name": a.name, "reason_code": a.reason_code, "reason": a.reason, "bins": bins}
        )
    document: dict[str, Any] = {
        "format": FORMAT,
        "name": card.name,
        "version": card.version,
        "scaling": {
            "base_score": card.scaling.base_score,
            "base_odds": card.scaling.base_odds,
            "pdo": card.scaling.pdo,
        },
        "base_points": card.base_points,
        "attributes": attributes,
    }
    if fit is not None:
        document["fit"] = dict(fit)
    return document
