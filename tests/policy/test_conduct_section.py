"""The policy document's ``conduct:`` and ``communication:`` sections: validated into the domain's
dataclasses, every rule with its source, every mistake named by its path."""

from __future__ import annotations

from datetime import time

import pytest

from xieshang.domain.conduct import CONTACT_RULES
from xieshang.policy.document import PolicyInvalid, default_text, load_policy, parse_policy


def test_the_shipped_conduct_rules_are_the_regulatory_defaults() -> None:
    conduct = load_policy().conduct
    assert (conduct.contact.earliest, conduct.contact.latest) == (time(8), time(21))
    assert conduct.contact.max_attempts_per_day_per_channel == 6
    assert set(conduct.contact.sources) == set(CONTACT_RULES)
    assert [rule.code for rule in conduct.lint] == [
        "LINT_THREAT",
        "LINT_INSULT",
        "LINT_IMPERSONATION",
        "LINT_FALSE_LEGAL_CLAIM",
        "LINT_DISCLOSURE",
    ]
    assert all(rule.source and rule.why.en and rule.rewording.zh for rule in conduct.lint)


def invalid(old: str, new: str) -> PolicyInvalid:
    text = default_text()
    assert old in text
    with pytest.raises(PolicyInvalid) as raised:
        parse_policy(text.replace(old, new, 1))
    return raised.value


def test_a_pattern_that_is_not_a_regular_expression_is_refused_with_its_path() -> None:
    error = invalid('pattern: "骗子|', 'pattern: "(骗子|')
    assert error.field == "conduct.lint.1"
    assert "LINT_INSULT pattern is not a regular expression" in error.problem


def test_a_pattern_that_matches_everything_is_refused() -> None:
    error = invalid('pattern: "骗子|', 'pattern: "|骗子|')
    assert "matches every message" in error.problem


def test_a_contact_rule_without_its_source_is_refused() -> None:
    error = invalid("      CONDUCT_ATTEMPTS: ", "      CONDUCT_ATTEMPTZ: ")
    assert "sources needed for CONDUCT_ATTEMPTS" in error.problem


def test_hours_the_wrong_way_round_are_refused() -> None:
    error = invalid('earliest: "08:00"', 'earliest: "22:00"')
    assert error.field == "conduct.contact"
    assert "earliest must be before latest" in error.problem


def test_a_typo_in_the_section_is_an_unknown_field() -> None:
    error = invalid("    max_attempts_per_day_per_channel: 6", "    max_attempts_a_day: 6")
    assert error.field == "conduct.contact.max_attempts_a_day"


def test_communication_numbers_are_range_checked() -> None:
    error = invalid("reminder_days_before: 3", "reminder_days_before: 0")
    assert error.field == "communication"
    assert "reminder_days_before must be 1–30" in error.problem
