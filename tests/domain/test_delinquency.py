from __future__ import annotations

import pytest

from xieshang.domain.delinquency import CARD_THRESHOLDS, LOAN_THRESHOLDS, Buckets, Classification
from xieshang.domain.errors import InvalidInput


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, Classification.NORMAL),
        (1, Classification.SPECIAL_MENTION),
        (90, Classification.SPECIAL_MENTION),
        (91, Classification.SUBSTANDARD),  # 风险分类办法: 次级 once more than 90 days overdue
        (270, Classification.SUBSTANDARD),
        (271, Classification.DOUBTFUL),
        (360, Classification.DOUBTFUL),
        (361, Classification.LOSS),
    ],
)
def test_loans_are_classified_by_days_past_due(days: int, expected: Classification) -> None:
    assert LOAN_THRESHOLDS.classify(days) is expected


def test_cards_use_the_stricter_card_table() -> None:
    # 信用卡办法 第九十二条: 次级 91–120, 可疑 121–180, 损失 over 180 days.
    assert CARD_THRESHOLDS.classify(121) is Classification.DOUBTFUL
    assert CARD_THRESHOLDS.classify(181) is Classification.LOSS


def test_a_restructured_loan_is_at_least_special_mention() -> None:
    assert LOAN_THRESHOLDS.classify(0, restructured=True) is Classification.SPECIAL_MENTION
    assert LOAN_THRESHOLDS.classify(100, restructured=True) is Classification.SUBSTANDARD


@pytest.mark.parametrize(
    ("days", "bucket"), [(0, "M0"), (1, "M1"), (30, "M1"), (31, "M2"), (180, "M6"), (181, "M6+")]
)
def test_buckets(days: int, bucket: str) -> None:
    assert Buckets().bucket(days) == bucket


def test_thresholds_must_increase() -> None:
    from xieshang.domain.delinquency import ClassificationThresholds

    with pytest.raises(InvalidInput, match="classification"):
        ClassificationThresholds(substandard=300, doubtful=200)
