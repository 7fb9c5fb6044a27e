"""Days past due → delinquency bucket (账龄) and the five-category classification (五级分类).

Thresholds are parameters; the defaults follow 《商业银行金融资产风险分类办法》(银保监会 人民银行令
2023年第1号): special mention (关注) once anything is overdue, substandard (次级) over 90 days, doubtful
(可疑) over 270, loss (损失) over 360. Credit cards use 信用卡办法 第九十二条 (91 / 121 / 181 days):
:data:`CARD_THRESHOLDS`. A restructured loan in its observation period is at least special mention
(办法 第二十一条, marked UNVERIFIED in REGULATIONS.md, hence a parameter).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from xieshang.domain.errors import InvalidInput


class Classification(enum.StrEnum):
    NORMAL = "normal"
    SPECIAL_MENTION = "special_mention"
    SUBSTANDARD = "substandard"
    DOUBTFUL = "doubtful"
    LOSS = "loss"


_ORDER = list(Classification)


@dataclass(frozen=True, slots=True)
class ClassificationThresholds:
    """The first day past due at which each class begins."""

    special_mention: int = 1
    substandard: int = 91
    doubtful: int = 271
    loss: int = 361
    restructured_floor: Classification = Classification.SPECIAL_MENTION

    def __post_init__(self) -> None:
        if not 0 < self.special_mention < self.substandard < self.doubtful < self.loss:
            raise InvalidInput(
                "classification", "thresholds must increase: 关注 < 次级 < 可疑 < 损失"
            )

    def classify(self, days_past_due: int, *, restructured: bool = False) -> Classification:
        if days_past_due < 0:
            raise InvalidInput("days_past_due", "cannot be negative")
        found = Classification.NORMAL
        for threshold, cls in (
            (self.special_mention, Classification.SPECIAL_MENTION),
            (self.substandard, Classification.SUBSTANDARD),
            (self.doubtful, Classification.DOUBTFUL),
            (self.loss, Classification.LOSS),
        ):
            if days_past_due >= threshold:
                found = cls
        if restructured and _ORDER.index(found) < _ORDER.index(self.restructured_floor):
            return self.restructured_floor
        return found


LOAN_THRESHOLDS = ClassificationThresholds()
CARD_THRESHOLDS = ClassificationThresholds(substandard=91, doubtful=121, loss=181)


@dataclass(frozen=True, slots=True)
class Buckets:
    """Delinquency buckets: M0 current, then one bucket per ``width`` days up to an open last one.

    The default gives M0, M1 (1–30), M2 (31–60) … M6 (151–180), M6+ (over 180).
    """

    width: int = 30
    last: int = 6

    def __post_init__(self) -> None:
        if self.width < 1 or self.last < 1:
            raise InvalidInput("buckets", "width and count must be at least 1")

    def bucket(self, days_past_due: int) -> str:
        if days_past_due < 0:
            raise InvalidInput("days_past_due", "cannot be negative")
        if days_past_due == 0:
            return "M0"
        index = (days_past_due - 1) // self.width + 1
        return f"M{self.last}+" if index > self.last else f"M{index}"
