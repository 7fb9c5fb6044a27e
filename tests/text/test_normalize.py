"""Normalisation: width, pinyin annotations, Traditional → Simplified, whitespace, the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest

from xieshang.text.normalize import normalize, strip_pinyin_annotations

ARTICLE = Path(__file__).parent / "data" / "article.txt"


def test_the_seed_article_loses_its_pinyin_and_traditional_characters() -> None:
    original = ARTICLE.read_text(encoding="utf-8")
    text = normalize(original)
    assert text.splitlines()[0] == "网商银行不同意协商"
    assert "(" not in text  # every annotation removed; the article has no other parentheses
    assert "協" not in text
    assert "銀" not in text
    assert "随着用户数量的不断增加" in text  # tw2s maps the Taiwan particle 著 to 着
    assert "15070879527" in text  # digits survive
    assert original.startswith("網(wǎng)商銀行")  # the caller's text is untouched


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("協(xié)商", "协商"),
        ("协(xié shāng)商", "协商"),
        ("协(xie2)商", "协商"),
        ("協（xié）商", "协商"),  # full-width parentheses
    ],
)
def test_pinyin_annotations_after_a_chinese_character_go(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "kept",
    [
        "判决书(2024)第3号",
        "网商银行(bank)客服",
        "申请(see above)",
        "还款(APP)",
        "说明(ma)",  # looks like pinyin but has no tone: could be anything
        "repayment (xié) in English text",  # not after a Chinese character
    ],
)
def test_legitimate_parentheses_stay(kept: str) -> None:
    assert strip_pinyin_annotations(kept) == kept


def test_full_width_characters_become_half_width() -> None:
    assert normalize("打１２３７８投诉ＡＰＰ") == "打12378投诉APP"
    assert normalize("你好，世界！") == "你好,世界!"


def test_whitespace_is_tidied_and_spaces_between_chinese_characters_go() -> None:
    raw = "  我 要\u3000投 诉  \t 12378  \r\n\r\n\r\n\r\n第二段\u200b  "
    assert normalize(raw) == "我要投诉 12378\n\n第二段"


def test_normalising_twice_changes_nothing() -> None:
    once = normalize(ARTICLE.read_text(encoding="utf-8"))
    assert normalize(once) == once


def test_english_text_keeps_its_words_and_case() -> None:
    assert normalize("I  was charged a Late Fee (twice).") == "I was charged a Late Fee (twice)."
