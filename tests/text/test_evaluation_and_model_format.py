"""Precision/recall/F1 computed by hand, and the model format's refusals."""

from __future__ import annotations

import pytest

from xieshang.domain.errors import InvalidInput
from xieshang.text.evaluation import evaluate
from xieshang.text.linear_model import parse_classifier


def test_per_category_figures_match_a_hand_count() -> None:
    gold = ["fees_interest", "fees_interest", "credit_report", "other"]
    predicted = ["fees_interest", "credit_report", "credit_report", "credit_report"]
    report = evaluate(gold, predicted)
    by = {s.category: s for s in report.per_category}
    assert (by["fees_interest"].precision, by["fees_interest"].recall) == (1.0, 0.5)
    assert by["credit_report"].precision == pytest.approx(1 / 3)
    assert by["credit_report"].recall == 1.0
    assert by["other"].f1 == 0.0
    # F1: fees 2/3, credit 1/2, other 0 → mean 7/18
    assert report.macro_f1 == pytest.approx(7 / 18)
    assert report.lines()[-1] == "macro_f1=0.39"


def test_evaluation_needs_rows() -> None:
    with pytest.raises(InvalidInput):
        evaluate([], [])


def good() -> dict[str, object]:
    return {
        "format": "xieshang-text-classifier/1",
        "language": "zh",
        "classes": ["a", "b"],
        "intercepts": [0.0, 0.0],
        "hint_scale": 0.5,
        "features": {"还": [1.5, [1.0, -1.0]]},
    }


def test_a_tiny_model_scores_by_hand() -> None:
    model = parse_classifier(good())
    p = model.probabilities("还")
    # one feature, tf-idf 1.5 normalised to 1 → scores (1, -1) → softmax
    assert p["a"] == pytest.approx(1 / (1 + pow(2.718281828459045, -2)))
    assert model.probabilities("没有已知特征") == {"a": 0.5, "b": 0.5}


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("format", "x", "$.format"),
        ("language", "fr", "$.language"),
        ("intercepts", [0.0], "$.intercepts: must be a list of 2 numbers"),
        ("hint_scale", -1, "$.hint_scale: must not be negative"),
        ("features", {"还": [1.5, [1.0]]}, "$.features['还']"),
    ],
)
def test_a_malformed_model_is_refused(key: str, value: object, message: str) -> None:
    document = good()
    document[key] = value
    with pytest.raises(InvalidInput) as error:
        parse_classifier(document)
    assert message in str(error.value)
