"""Decision and review letters in zh-CN and en (投诉办法 第十九条): the facts verified, the basis and
reasons, what the bank will do, and the remedies the rules require — review (核查, 第二十条) within
its period, mediation, arbitration, court and the regulator's hotline."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from xieshang.complaints.records import calendar
from xieshang.domain.complaints import ComplaintRules, review_deadlines
from xieshang.models.complaint import Complaint

LANGUAGES = ("zh", "en")


@cache
def _texts() -> dict[str, Any]:
    text = resources.files("xieshang.complaints").joinpath("letters.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def remedies(language: str, notified_on: date | None, *, review: ComplaintRules | None) -> str:
    """The remedies paragraph; with the rules of a review, the review line names its last day when
    the notice day is known."""
    texts = _texts()["remedies"]
    lines = []
    if review is not None and review.review_offered:
        clock = review.clock
        last = "—"
        if notified_on is not None:
            last = review_deadlines(notified_on, calendar=calendar(), rules=clock)[0].isoformat()
        line = texts["review"][language]
        lines.append(line.format(review_days=clock.review_request_days, review_last_day=last))
    lines.append(texts["others"][language])
    return "\n".join(lines)


def decision_letters(
    complaint: Complaint, notified_on: date | None, rules: ComplaintRules
) -> tuple[str, str]:
    """(zh, en) decision letters; ``notified_on`` dates the review period (None before notice)."""
    texts = _texts()
    assert complaint.decision is not None
    assert complaint.decided_on is not None
    letters = []
    for language in LANGUAGES:
        letters.append(
            texts["decision"][language].format(
                complaint=complaint.id,
                received_on=complaint.received_on.isoformat(),
                decided_on=complaint.decided_on.isoformat(),
                decision=texts["decision_labels"][complaint.decision][language],
                facts=complaint.decision_facts,
                basis=complaint.decision_basis,
                remedy=complaint.decision_remedy or texts["no_remedy"][language],
                remedies=remedies(language, notified_on, review=rules),
            )
        )
    return letters[0], letters[1]


def review_letters(complaint: Complaint, findings: str) -> tuple[str, str]:
    texts = _texts()
    assert complaint.review_outcome is not None
    assert complaint.review_requested_on is not None
    assert complaint.review_decided_on is not None
    letters = []
    for language in LANGUAGES:
        letters.append(
            texts["review"][language].format(
                complaint=complaint.id,
                requested_on=complaint.review_requested_on.isoformat(),
                decided_on=complaint.review_decided_on.isoformat(),
                outcome=texts["review_labels"][complaint.review_outcome][language],
                findings=findings,
                remedies=remedies(language, None, review=None),
            )
        )
    return letters[0], letters[1]
