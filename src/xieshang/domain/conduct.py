"""Collection conduct (催收行为规范): who may be contacted, when, how often, and what may be said.

Defaults: contact only 08:00–21:00 local (meets both the CBA guideline's ban on 22:00–08:00 and Reg F's
08:00–21:00); at most 6 attempts a day on one channel (中国银行业协会《金融机构个人消费类贷款催收工作
指引(试行)》2026); never an unrelated third party (信用卡办法 第六十八条; 消保办法 第四十一条); no collection
contact while a plan performs (信用卡办法 第七十条) or while a harassment complaint is open. The message
linter blocks threats, insults, impersonating courts or police, disclosure to third parties and false
legal claims (消保办法 第四十一条; CBA guideline), naming the rule and suggesting a rewording.
Every number is a parameter.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, time

from xieshang.errors import InvalidInput


class Relation(enum.StrEnum):
    DEBTOR = "debtor"
    GUARANTOR = "guarantor"
    DEBT_RELATED = "debt_related"
    """债务相关第三人, e.g. a spouse where the debt was family spending: only when the debtor cannot be reached."""
    UNRELATED = "unrelated"


@dataclass(frozen=True)
class ContactRules:
    earliest: time = time(8, 0)
    latest: time = time(21, 0)
    max_attempts_per_day_per_channel: int = 6

    def __post_init__(self) -> None:
        if not self.earliest < self.latest:
            raise InvalidInput("contact_hours", "earliest must be before latest")
        if self.max_attempts_per_day_per_channel < 1:
            raise InvalidInput("max_attempts_per_day_per_channel", "must be at least 1")


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


def check_contact(request: ContactRequest, rules: ContactRules = ContactRules()) -> Refusal | None:
    """None if the contact may go ahead, else the rule it would break."""
    if request.relation is Relation.UNRELATED:
        return Refusal(
            "CONDUCT_THIRD_PARTY", "unrelated third parties are never contacted about a debt"
        )
    if not request.collection:
        return None
    if request.relation is Relation.DEBT_RELATED and not request.debtor_unreachable:
        return Refusal(
            "CONDUCT_THIRD_PARTY",
            "a debt-related third party only when the debtor cannot be reached",
        )
    if request.plan_performing:
        return Refusal(
            "CONDUCT_PLAN_PERFORMING", "no collection contact while an agreed plan is being kept"
        )
    if request.harassment_complaint_open:
        return Refusal(
            "CONDUCT_COMPLAINT_OPEN", "no collection contact while a harassment complaint is open"
        )
    moment = request.at.time()
    if not rules.earliest <= moment < rules.latest:
        return Refusal(
            "CONDUCT_HOURS",
            f"{moment:%H:%M} is outside {rules.earliest:%H:%M}–{rules.latest:%H:%M} local time",
        )
    if request.attempts_today_on_channel >= rules.max_attempts_per_day_per_channel:
        return Refusal(
            "CONDUCT_ATTEMPTS",
            f"attempt {request.attempts_today_on_channel + 1} today on {request.channel}; "
            f"at most {rules.max_attempts_per_day_per_channel} a day",
        )
    return None


@dataclass(frozen=True)
class LintRule:
    code: str
    pattern: re.Pattern[str]
    why: str
    rewording: str


def _rule(code: str, words: str, why: str, rewording: str) -> LintRule:
    return LintRule(code, re.compile(words, re.IGNORECASE), why, rewording)


LINT_RULES: tuple[LintRule, ...] = (
    _rule(
        "LINT_THREAT",
        r"上门|找你家人|找你(父母|老婆|老公|孩子|单位|公司)|让你好看|后果自负|走着瞧|曝光|爆通讯录"
        r"|we will come to your|visit your family",
        "threats and pressure through family, home visits or exposure are forbidden (消保办法 第四十一条)",
        "请说明逾期的事实、金额和您可以选择的还款方案，例如：“您的欠款为 ¥X，我们可以为您办理分期，欢迎联系我们。”",
    ),
    _rule(
        "LINT_INSULT",
        r"骗子|无赖|老赖|废物|不要脸|垃圾|滚|去死|stupid|idiot|scum",
        "insults and abuse are forbidden (信用卡办法 第六十八条)",
        "请用中性、尊重的语言陈述事实。",
    ),
    _rule(
        "LINT_IMPERSONATION",
        r"(我是|我们是|这里是)(法院|公安|警察|派出所|检察院|律师事务所)|法院(已经|已)?(立案|传票)"
        r"|警察(会|将)(上门|抓)|court officer|police",
        "impersonating courts, police or other authorities is forbidden (消保办法 第四十一条)",
        "只以本行名义联系，不得冒用司法或行政机关名义。",
    ),
    _rule(
        "LINT_FALSE_LEGAL_CLAIM",
        r"坐牢|判刑|拘留|刑事责任|上黑名单|永久(拉黑|征信)|全家(都)?上征信|jail|arrest",
        "false or exaggerated legal consequences are forbidden (CBA 催收工作指引)",
        "如实说明：逾期记录将按《征信业管理条例》报送，并可能产生合同约定的罚息。",
    ),
    _rule(
        "LINT_DISCLOSURE",
        r"告诉你(的)?(同事|朋友|邻居|领导|亲戚)|通知你(的)?(单位|公司|同事|通讯录)|发给你(的)?通讯录"
        r"|tell your (boss|colleagues|friends)",
        "disclosing a debt to third parties is forbidden (信用卡办法 第六十八条; PIPL)",
        "债务信息只与借款人本人或担保人沟通。",
    ),
)


@dataclass(frozen=True)
class LintFinding:
    code: str
    matched: str
    why: str
    rewording: str


def lint_message(text: str) -> tuple[LintFinding, ...]:
    """Every rule an agent's message breaks; an empty tuple means it may be sent."""
    findings = []
    for rule in LINT_RULES:
        match = rule.pattern.search(text)
        if match:
            findings.append(LintFinding(rule.code, match.group(0), rule.why, rule.rewording))
    return tuple(findings)
