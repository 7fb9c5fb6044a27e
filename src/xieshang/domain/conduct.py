"""Collection conduct (催收行为规范): who may be contacted, when, how often, and what may be said.

The logic lives here; the rules are data. Contact hours, attempt limits, the message linter's patterns,
why each is forbidden and the suggested rewording (zh, en) come from the policy document's
``conduct:`` section, each with its source (REGULATIONS.md rows), validated into :class:`Conduct`.
Refusals name the rule: unrelated third parties are never contacted; collection contact stops while a
plan performs or a harassment complaint is open; then the hours, then the attempts per day per channel.
Service messages (a receipt, a due-date reminder) are not collection and pass every check but the
third-party one.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, time
from functools import cached_property

from xieshang.domain.validation import require

CONTACT_RULES = (
    "CONDUCT_THIRD_PARTY",
    "CONDUCT_PLAN_PERFORMING",
    "CONDUCT_COMPLAINT_OPEN",
    "CONDUCT_HOURS",
    "CONDUCT_ATTEMPTS",
)
"""The contact rules :func:`check_contact` can name; the policy gives each its source."""


class Relation(enum.StrEnum):
    DEBTOR = "debtor"
    GUARANTOR = "guarantor"
    DEBT_RELATED = "debt_related"
    """债务相关第三人, e.g. a spouse where the debt was family spending: only when the debtor cannot be reached."""
    UNRELATED = "unrelated"


@dataclass(frozen=True)
class Wording:
    """One text in both languages."""

    zh: str
    en: str

    def __post_init__(self) -> None:
        require(bool(self.zh.strip() and self.en.strip()), "needs both zh and en text")

    def in_language(self, language: str) -> str:
        return self.en if language == "en" else self.zh


@dataclass(frozen=True)
class ContactRules:
    earliest: time
    latest: time
    """Contact only in [earliest, latest) local time at the customer's location."""
    max_attempts_per_day_per_channel: int
    sources: dict[str, str]
    """Rule code (``CONDUCT_HOURS``…) → the regulation it comes from."""

    def __post_init__(self) -> None:
        require(self.earliest < self.latest, "contact earliest must be before latest")
        require(
            1 <= self.max_attempts_per_day_per_channel <= 100,
            "max_attempts_per_day_per_channel must be 1–100",
        )
        missing = [code for code in CONTACT_RULES if not self.sources.get(code, "").strip()]
        require(not missing, f"sources needed for {', '.join(missing)}")
        unknown = sorted(set(self.sources) - set(CONTACT_RULES))
        require(not unknown, f"unknown contact rules {', '.join(unknown)}")


@dataclass(frozen=True)
class LintRule:
    code: str
    pattern: str
    """A regular expression, matched case-insensitively anywhere in the message."""
    why: Wording
    rewording: Wording
    source: str

    def __post_init__(self) -> None:
        require(bool(re.fullmatch(r"LINT_[A-Z_]+", self.code)), "lint codes are LINT_UPPER_CASE")
        require(bool(self.source.strip()), f"{self.code} needs a source")
        try:
            re.compile(self.pattern)
        except re.error as error:
            raise ValueError(f"{self.code} pattern is not a regular expression: {error}") from None
        require(re.search(self.pattern, "") is None, f"{self.code} pattern matches every message")

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, re.IGNORECASE)


@dataclass(frozen=True)
class Conduct:
    """The policy's ``conduct:`` section."""

    contact: ContactRules
    lint: tuple[LintRule, ...]

    def __post_init__(self) -> None:
        codes = [rule.code for rule in self.lint]
        require(len(codes) == len(set(codes)), "lint rule codes must be unique")


@dataclass(frozen=True)
class ContactRequest:
    at: datetime
    """Local time at the customer's location."""
    channel: str
    relation: Relation
    attempts_today_on_channel: int
    collection: bool = True
    """False for service messages (a receipt, a statement), which are always allowed."""
    plan_performing: bool = False
    harassment_complaint_open: bool = False
    debtor_unreachable: bool = False


@dataclass(frozen=True)
class Refusal:
    rule: str
    detail: str
    source: str = ""


def check_contact(request: ContactRequest, rules: ContactRules) -> Refusal | None:
    """None if the contact may go ahead, else the rule it would break (with its source)."""
    found = _broken_rule(request, rules)
    if found is None:
        return None
    rule, detail = found
    return Refusal(rule, detail, rules.sources[rule])


def _broken_rule(request: ContactRequest, rules: ContactRules) -> tuple[str, str] | None:
    if request.relation is Relation.UNRELATED:
        return "CONDUCT_THIRD_PARTY", "unrelated third parties are never contacted about a debt"
    if not request.collection:
        return None
    if request.relation is Relation.DEBT_RELATED and not request.debtor_unreachable:
        return (
            "CONDUCT_THIRD_PARTY",
            "a debt-related third party only when the debtor cannot be reached",
        )
    if request.plan_performing:
        return "CONDUCT_PLAN_PERFORMING", "no collection contact while an agreed plan is being kept"
    if request.harassment_complaint_open:
        return (
            "CONDUCT_COMPLAINT_OPEN",
            "no collection contact while a harassment complaint is open",
        )
    moment = request.at.time()
    if not rules.earliest <= moment < rules.latest:
        return (
            "CONDUCT_HOURS",
            f"{moment:%H:%M} is outside {rules.earliest:%H:%M}–{rules.latest:%H:%M} local time",
        )
    if request.attempts_today_on_channel >= rules.max_attempts_per_day_per_channel:
        return (
            "CONDUCT_ATTEMPTS",
            f"attempt {request.attempts_today_on_channel + 1} today on {request.channel}; "
            f"at most {rules.max_attempts_per_day_per_channel} a day",
        )
    return None


def within_contact_hours(moment: datetime, rules: ContactRules) -> bool:
    """Whether a local time falls in the policy's contact window."""
    return rules.earliest <= moment.time() < rules.latest


@dataclass(frozen=True)
class LintFinding:
    code: str
    matched: str
    why: Wording
    rewording: Wording
    source: str


def lint_message(text: str, rules: tuple[LintRule, ...]) -> tuple[LintFinding, ...]:
    """Every rule an agent's message breaks; an empty tuple means it may be sent."""
    findings = []
    for rule in rules:
        match = rule.compiled.search(text)
        if match:
            findings.append(
                LintFinding(rule.code, match.group(0), rule.why, rule.rewording, rule.source)
            )
    return tuple(findings)
