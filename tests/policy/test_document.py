"""A policy version written before an upgrade still answers in words."""

from __future__ import annotations

import re

from xieshang.policy.document import default_text, load_policy, parse_policy


def without_reason(text: str, code: str) -> str:
    """The document with one reason's two lines of text taken out."""
    return re.sub(rf"\n  {code}:\n    zh: .*\n    en: .*", "", text)


def test_a_version_without_a_newer_reason_gets_its_text_from_the_shipped_document() -> None:
    """A bank's version published before the engine learnt to say ASSESS_HOUSEHOLD keeps its own
    wording for everything it has, and borrows only the missing text."""
    shipped = default_text()
    older = without_reason(shipped, "ASSESS_HOUSEHOLD").replace(
        "可承受月供目标 {target}", "本行测算的可承受月供 {target}"
    )
    assert "ASSESS_HOUSEHOLD" not in older
    policy = parse_policy(older)
    assert policy.reasons["ASSESS_HOUSEHOLD"] == load_policy().reasons["ASSESS_HOUSEHOLD"]
    assert policy.reasons["ASSESS_TARGET"].zh.startswith("本行测算的可承受月供")
    assert policy.digest != load_policy().digest  # the version is still its own text
