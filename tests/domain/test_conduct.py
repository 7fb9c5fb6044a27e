"""Collection conduct: contacts refused with the rule named, and agents' messages linted — with the
rules the shipped policy document gives (its ``conduct:`` section)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from xieshang.domain.conduct import (
    ContactRequest,
    LintFinding,
    LintRule,
    Refusal,
    Relation,
    Wording,
)
from xieshang.domain.conduct import check_contact as check
from xieshang.domain.conduct import lint_message as lint
from xieshang.policy.document import load_policy

SHANGHAI = ZoneInfo("Asia/Shanghai")
CONDUCT = load_policy().conduct


def check_contact(request: ContactRequest) -> Refusal | None:
    return check(request, CONDUCT.contact)


def lint_message(text: str) -> tuple[LintFinding, ...]:
    return lint(text, CONDUCT.lint)


def contact(**changes: object) -> ContactRequest:
    base: dict[str, object] = {
        "at": datetime(2026, 6, 20, 10, 0, tzinfo=SHANGHAI),
        "channel": "phone",
        "relation": Relation.DEBTOR,
        "attempts_today_on_channel": 0,
    }
    return ContactRequest(**(base | changes))  # type: ignore[arg-type]


def test_an_ordinary_contact_may_go_ahead() -> None:
    assert check_contact(contact()) is None


def test_a_call_at_21_30_is_refused_for_the_hours() -> None:
    refusal = check_contact(contact(at=datetime(2026, 6, 20, 21, 30, tzinfo=SHANGHAI)))
    assert refusal is not None
    assert refusal.rule == "CONDUCT_HOURS"
    assert refusal.detail == "21:30 is outside 08:00–21:00 local time"


def test_a_seventh_attempt_in_a_day_is_refused() -> None:
    refusal = check_contact(contact(attempts_today_on_channel=6))
    assert refusal is not None
    assert refusal.rule == "CONDUCT_ATTEMPTS"
    assert "attempt 7 today on phone; at most 6 a day" in refusal.detail
    assert check_contact(contact(attempts_today_on_channel=5)) is None


def test_an_unrelated_third_party_is_never_contacted() -> None:
    refusal = check_contact(contact(relation=Relation.UNRELATED))
    assert refusal is not None
    assert refusal.rule == "CONDUCT_THIRD_PARTY"
    assert check_contact(contact(relation=Relation.UNRELATED, collection=False)) is not None


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"plan_performing": True}, "CONDUCT_PLAN_PERFORMING"),
        ({"harassment_complaint_open": True}, "CONDUCT_COMPLAINT_OPEN"),
        ({"relation": Relation.DEBT_RELATED}, "CONDUCT_THIRD_PARTY"),
    ],
)
def test_collection_is_paused_while_a_plan_performs_or_a_complaint_is_open(
    changes: dict[str, object], rule: str
) -> None:
    refusal = check_contact(contact(**changes))
    assert refusal is not None
    assert refusal.rule == rule


def test_service_messages_are_allowed_while_a_plan_performs() -> None:
    assert check_contact(contact(plan_performing=True, collection=False)) is None


def test_threatening_to_visit_the_family_is_blocked_with_a_rewording() -> None:
    findings = lint_message("再不还钱就上门找你家人")
    assert [f.code for f in findings] == ["LINT_THREAT"]
    assert findings[0].matched == "上门"
    assert findings[0].rewording


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("你这个老赖", "LINT_INSULT"),
        ("我是法院的，你已经被立案了", "LINT_IMPERSONATION"),
        ("不还钱你就要坐牢", "LINT_FALSE_LEGAL_CLAIM"),
        ("我们会通知你的单位和同事", "LINT_DISCLOSURE"),
    ],
)
def test_each_kind_of_bad_message_is_named(text: str, code: str) -> None:
    assert code in [f.code for f in lint_message(text)]


def test_a_respectful_message_passes() -> None:
    assert (
        lint_message("您好，您本月的还款 ¥879.16 已逾期 3 天，我们可以为您办理分期，欢迎联系。")
        == ()
    )


def test_a_refusal_and_a_finding_cite_their_source_from_the_policy() -> None:
    refusal = check_contact(contact(at=datetime(2026, 6, 20, 7, 59, tzinfo=SHANGHAI)))
    assert refusal is not None
    assert "CBA" in refusal.source
    (finding,) = lint_message("我们会告诉你的同事")
    assert finding.code == "LINT_DISCLOSURE"
    assert "第六十八条" in finding.source
    assert (
        finding.rewording.in_language("en")
        == "Discuss the debt only with the borrower or the guarantor."
    )


def test_the_policy_can_tighten_the_hours_and_attempts() -> None:
    rules = replace(CONDUCT.contact, latest=time(20, 0), max_attempts_per_day_per_channel=3)
    evening = contact(at=datetime(2026, 6, 20, 20, 30, tzinfo=SHANGHAI))
    assert check(evening, CONDUCT.contact) is None
    refused = check(evening, rules)
    assert refused is not None
    assert refused.detail == "20:30 is outside 08:00–20:00 local time"
    refused = check(contact(attempts_today_on_channel=3), rules)
    assert refused is not None
    assert refused.rule == "CONDUCT_ATTEMPTS"


def test_a_bank_can_add_a_lint_rule_in_its_policy() -> None:
    extra = LintRule(
        "LINT_DEADLINE_PRESSURE",
        r"今天之内必须",
        Wording("不得设置不合理的期限施压", "No artificial deadlines"),
        Wording("请说明还款日和可选方案。", "State the due date and the options."),
        "bank rule",
    )
    (finding,) = lint("今天之内必须还清", (*CONDUCT.lint, extra))
    assert finding.code == "LINT_DEADLINE_PRESSURE"
