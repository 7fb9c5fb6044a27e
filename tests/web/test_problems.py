"""Form problems in the page's language, through the catalogues: the field by its label, pydantic's
errors by their type and a service's words by the patterns, and anything unknown shown as said."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field, ValidationError

from xieshang.web.ui.problem_patterns import PATTERNS, TYPES
from xieshang.web.ui.problems import in_language, said


@pytest.mark.parametrize(
    ("said_", "zh"),
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
        ("text: is empty", "投诉内容：不能为空"),
        ("this is the last active administrator", "这是最后一个启用的管理员账户，不能停用"),
        (
            "pick: choose a charge from your bill, or enter one you were charged",
            "要核查的收费：请从账单中选择一笔收费，或填写您被收取的一笔费用",
        ),
        ("text: Value should have at least 1 item after validation, not 0", "投诉内容：至少 1 项"),
    ],
)
def test_problems_are_said_in_chinese(said_: str, zh: str) -> None:
    assert in_language(said_, "zh") == zh


def test_english_pages_keep_the_services_words() -> None:
    assert in_language("csat: is empty", "en") == "csat: is empty"
    assert (
        in_language("username: Value error, use 3–64 lower-case letters, digits", "en")
        == "username: use 3–64 lower-case letters, digits, '.', '_' or '-', starting with one"
    ), "without pydantic's 'Value error, '"


def test_an_unknown_problem_is_shown_as_it_was_said() -> None:
    words = "plan: no plan within the policy pays the loan off (NO_PLAN)"
    assert in_language(words, "zh") == words
    assert in_language(None, "zh") is None


def test_every_pattern_is_reachable() -> None:
    """Each pattern's example is caught by that pattern, not by an earlier, wider one; said in
    Chinese it changes, said in English it is the service's words again."""
    for index, (pattern, _, example) in enumerate(PATTERNS):
        first = next(i for i, (p, _, _) in enumerate(PATTERNS) if p.match(example))
        assert first == index, f"{pattern.pattern!r} is shadowed by {PATTERNS[first][0].pattern!r}"
        assert in_language(f"x: {example}", "zh") != f"x: {example}"
        if not pattern.pattern.endswith(".*$"):  # a pattern that reads only the beginning
            assert in_language(f"x: {example}", "en") == f"x: {example}"


class Form(BaseModel):
    verified_income: int = Field(ge=0)
    csat: int = Field(ge=1, le=5)
    text: str = Field(min_length=1, max_length=5)
    picks: list[int] = Field(min_length=1)


def _error(**values: object) -> ValidationError:
    data: dict[str, object] = {"verified_income": 1, "csat": 3, "text": "ok", "picks": [1]}
    with pytest.raises(ValidationError) as caught:
        Form.model_validate(data | values)
    return caught.value


@pytest.mark.parametrize(
    ("values", "zh", "en"),
    [
        (
            {"csat": 9},
            "您对这次服务满意吗？（1 很不满意 – 5 很满意）：不能大于 5",
            "csat: Input should be less than or equal to 5",
        ),
        (
            {"verified_income": "abc"},
            "可证明的月收入（元）：请填写整数",
            "verified_income: Input should be a valid integer",
        ),
        (
            {"verified_income": -1},
            "可证明的月收入（元）：不能小于 0",
            "verified_income: Input should be greater than or equal to 0",
        ),
        ({"text": ""}, "投诉内容：不能为空", "text: String should have at least 1 character"),
        (
            {"text": "toolong"},
            "投诉内容：最多 5 个字符",
            "text: String should have at most 5 characters",
        ),
        ({"picks": []}, "picks：请至少选择一项", "picks: Choose at least one"),
    ],
)
def test_pydantic_errors_are_said_by_their_type(
    values: dict[str, object], zh: str, en: str
) -> None:
    error = _error(**values)
    assert said(error, "zh") == zh
    assert said(error, "en") == en


def test_a_missing_value_and_an_unknown_type() -> None:
    class Odd(BaseModel):
        name: str
        when: complex

    with pytest.raises(ValidationError) as missing:
        Odd.model_validate({"when": 1})
    assert said(missing.value, "zh") == "name：必填"
    with pytest.raises(ValidationError) as odd:
        Odd.model_validate({"name": "x", "when": object()})
    assert odd.value.errors()[0]["type"] not in TYPES
    assert said(odd.value, "zh") == "when：填写的内容无效"
    assert said(odd.value, "en") == "when: The value is not valid"
