"""Form problems in the page's language: the field by its label, the problem in Chinese, and
anything unknown shown as the service said it."""

from __future__ import annotations

import pytest

from xieshang.web.ui.problems import PATTERNS, in_language


@pytest.mark.parametrize(
    ("said", "zh"),
    [
        (
            "finances.verified_income: 'abc' is not an amount in yuan",
            "可证明的月收入（元）：“abc”不是金额（元），请填写如 1234.56",
        ),
        ("new_password: must have at least 12 characters", "新密码：至少 12 个字符"),
        (
            "username: Value error, use 3–64 lower-case letters, digits",
            "用户名：请使用 3–64 个小写字母、数字或 . _ -，以字母或数字开头",
        ),
        (
            "csat: Input should be less than or equal to 5",
            "您对这次服务满意吗？（1 很不满意 – 5 很满意）：不能大于 5",
        ),
        ("text: is empty", "text：不能为空"),
        ("this is the last active administrator", "这是最后一个启用的管理员账户，不能停用"),
    ],
)
def test_problems_are_said_in_chinese(said: str, zh: str) -> None:
    assert in_language(said, "zh") == zh
    assert in_language(said, "en") == said, "English pages keep the service's words"


def test_an_unknown_problem_is_shown_as_it_was_said() -> None:
    said = "loan_id: loan 7 is not a loan of customer 9"
    assert in_language(said, "zh") == said
    assert in_language(None, "zh") is None


def test_every_pattern_is_reachable() -> None:
    """Each pattern's example is caught by that pattern, not by an earlier, wider one."""
    for index, (pattern, _, example) in enumerate(PATTERNS):
        first = next(i for i, (p, _, _) in enumerate(PATTERNS) if p.match(example))
        assert first == index, f"{pattern.pattern!r} is shadowed by {PATTERNS[first][0].pattern!r}"
        assert in_language(f"x: {example}", "zh") != f"x: {example}"
