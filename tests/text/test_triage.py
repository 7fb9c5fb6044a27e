"""Triage as a whole: the seed article, flags raising urgency, groups, sentiment, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from xieshang.domain.errors import InvalidInput
from xieshang.text import default_triager, triage
from xieshang.text.categories import CATEGORIES

ARTICLE = Path(__file__).parent / "data" / "article.txt"


def test_the_seed_article_triages_as_repayment_hardship() -> None:
    result = triage(ARTICLE.read_text(encoding="utf-8"))
    assert result.category == "repayment_hardship"
    assert result.group == "hardship_negotiation"
    assert result.normalized_text.startswith("网商银行不同意协商")
    # "金融监管日益严格" describes regulation; it is not a threat to complain to the regulator
    assert "regulator" not in {f.name for f in result.flags}


def test_the_model_alone_already_reads_the_article_as_repayment_hardship() -> None:
    result = triage(ARTICLE.read_text(encoding="utf-8"))
    assert max(result.model_scores, key=lambda c: result.model_scores[c]) == "repayment_hardship"


def test_scores_cover_every_category_and_sum_to_one() -> None:
    result = triage("我的征信上有一条错误的逾期记录")
    assert set(result.scores) == set(CATEGORIES)
    assert sum(result.scores.values()) == pytest.approx(1.0)
    assert result.category == "credit_report"


def test_self_harm_is_always_critical_and_goes_to_the_care_team() -> None:
    result = triage("积分没了，真的活不下去了")
    assert result.urgency == "critical"
    assert "self_harm" in {f.name for f in result.flags}
    assert result.group == "vulnerable_customer_care"


def test_a_12378_mention_raises_urgency_and_escalates() -> None:
    calm = triage("积分兑换的礼品一直没有发货")
    escalated = triage("积分兑换的礼品一直没有发货，我要打12378")
    assert calm.urgency == "low"
    assert calm.flags == ()
    assert escalated.urgency == "high"
    assert [f.name for f in escalated.flags] == ["regulator_hotline"]
    assert escalated.group == "complaint_escalation"
    assert any("12378" in reason for reason in escalated.urgency_reasons)


def test_a_longer_number_containing_12378_is_not_the_hotline() -> None:
    assert triage("我的卡号是6222123789999，扣款失败").flags == ()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("我已经向銀保監會投訴了", "regulator"),
        ("我要去监管投诉你们", "regulator"),
        ("我已经委托律师", "lawyer"),
        ("准备去法院起诉", "litigation"),
        ("我要找媒体曝光", "media"),
        ("我已经报警了", "police"),
        ("我们要集体投诉", "collective"),
        ("I will file a complaint with the CFPB", "regulator"),
        ("my attorney will contact you", "lawyer"),
        ("I am thinking about suicide", "self_harm"),
    ],
)
def test_regulatory_risk_flags(text: str, flag: str) -> None:
    assert flag in {f.name for f in triage(text).flags}


def test_english_keywords_match_whole_words_only() -> None:
    assert "court" not in {f.matched for f in triage("the courtesy call was fine").flags}


def test_sentiment_separates_anger_from_thanks() -> None:
    assert triage("你们这群骗子，垃圾银行，气死我了！！").sentiment.label == "very_negative"
    assert triage("谢谢你们帮我处理了还款的问题").sentiment.label == "positive"
    assert triage("我想了解一下还款日").sentiment.label == "neutral"


def test_fraud_starts_at_high_urgency() -> None:
    result = triage("我的卡被盗刷了五千块，不是我本人操作的")
    assert result.category == "fraud_privacy"
    assert result.urgency == "high"


def test_english_text_goes_to_the_english_model() -> None:
    result = triage("The debt collector keeps calling my employer and my family every day.")
    assert result.language == "en"
    assert result.category == "collection_conduct"


def test_rules_alone_fall_back_to_other_when_nothing_matches() -> None:
    result = default_triager(use_model=False).triage("今天天气不错")
    assert result.category == "other"
    assert result.scores["other"] == 1.0


@pytest.mark.parametrize("text", ["", "   \n\t ", "\u200b"])
def test_empty_text_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="text: is empty"):
        triage(text)


def test_very_long_text_is_refused() -> None:
    with pytest.raises(InvalidInput, match="longer than"):
        triage("还" * 100_001)
