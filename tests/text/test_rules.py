"""The rules document: the shipped one loads; a broken one is refused with the path of the problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from xieshang.domain.errors import InvalidInput
from xieshang.text.categories import CATEGORIES
from xieshang.text.rules import load_rules, parse_rules, shipped_rules_text


def shipped() -> dict[str, object]:
    document = yaml.safe_load(shipped_rules_text())
    assert isinstance(document, dict)
    return document


def test_the_shipped_rules_cover_every_category_and_say_why() -> None:
    rules = load_rules()
    assert set(rules.categories) == set(CATEGORIES)
    assert {"self_harm", "regulator", "regulator_hotline", "lawyer", "litigation", "media"} <= {
        f.name for f in rules.flags
    }
    assert all(f.why.strip() for f in rules.flags)
    assert all(h.why.strip() for c in rules.categories.values() for h in c.hints)
    assert next(f for f in rules.flags if f.name == "self_harm").urgency == "critical"


def edited(change: str, value: object) -> str:
    """The shipped document with the dotted path ``change`` set to ``value``."""
    document = shipped()
    *parents, last = change.split(".")
    node: object = document
    for key in parents:
        assert isinstance(node, dict)
        node = node[key]
    assert isinstance(node, dict)
    node[last] = value
    return yaml.safe_dump(document, allow_unicode=True)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("format", "v2", "format: must be 'xieshang-triage-rules/1'"),
        ("flags.media.urgency", "urgent", "flags.media.urgency: 'urgent' is not one of"),
        (
            "flags.media.keywords",
            ["曝光", "媒體"],
            "flags.media.keywords[1]: '媒體' would never match",
        ),
        ("flags.media.keywords", ["ＣＦＰＢ"], "would never match normalised text; write 'cfpb'"),
        ("flags.police.patterns", ["(unclosed"], "flags.police.patterns[0]: not a valid regular"),
        ("flags.media.keywrods", ["x"], "flags.media.keywrods: unknown key"),
        (
            "categories.other.hints",
            [{"weight": 2, "why": "x", "keywords": ["a"]}],
            "weight: must be",
        ),
        ("categories.other.group", "", "categories.other.group: must be a non-empty string"),
        (
            "categories.loans",
            {"group": "x", "urgency": "low"},
            "categories.loans: 'loans' is not one",
        ),
        ("sentiment.negative_at", -5, "thresholds must satisfy"),
    ],
)
def test_a_broken_rule_is_refused_with_its_path(path: str, value: object, message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_rules(edited(path, value))
    assert message in str(error.value)


def test_a_missing_category_is_refused() -> None:
    document = shipped()
    categories = document["categories"]
    assert isinstance(categories, dict)
    del categories["credit_report"]
    with pytest.raises(InvalidInput, match=r"categories\.credit_report: missing"):
        parse_rules(yaml.safe_dump(document, allow_unicode=True))


def test_a_group_override_must_name_a_flag() -> None:
    overrides = [{"flags": ["journalist"], "group": "x", "why": "y"}]
    with pytest.raises(InvalidInput, match=r"group_overrides\[0\].flags\[0\]: no flag named"):
        parse_rules(edited("group_overrides", overrides))


def test_not_yaml_and_unreadable_files_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not valid YAML"):
        parse_rules("flags: [unclosed")
    with pytest.raises(InvalidInput, match="cannot read"):
        load_rules(tmp_path / "missing.yaml")


def test_an_edited_rule_changes_the_result() -> None:
    from xieshang.text.triage import Triager

    rules = parse_rules(edited("flags.media.keywords", ["小红书"]))
    result = Triager(rules, {}, use_model=False).triage("我要发到小红书上")
    assert [f.name for f in result.flags] == ["media"]
