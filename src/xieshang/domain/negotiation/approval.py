"""Who may approve an offer: what it concedes, measured against each level's authority — automatic,
an agent, a supervisor — with the reason for the level it is routed to."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xieshang.domain.money import Fen
from xieshang.domain.negotiation.assess import Assessment
from xieshang.domain.negotiation.policy import Authority, Policy
from xieshang.domain.negotiation.reasons import Reason, money
from xieshang.domain.rates import format_rate

LEVELS = ("automatic", "agent", "supervisor")

FLAG_WORDS: dict[str, tuple[str, str]] = {
    "MH_ABLE_BUT_NOT_PAYING": ("有能力还款但未还款", "able to pay but not paying"),
    "MH_RECENT_RESTRUCTURE": ("近期已调整过还款计划", "a plan was made recently"),
    "MH_BROKEN_PLAN": ("近期有未履行的方案", "a recent plan was broken"),
    "MH_MANY_NEW_DEBTS": ("近期新增多笔负债", "many new debts recently"),
    "MH_LOW_WILLINGNESS": (
        "还款记录不足以自动审批",
        "the repayment record is too short or too weak",
    ),
}
"""The moral-hazard flags as people read them (the codes stay for staff and the audit trail)."""


@dataclass(frozen=True)
class Concessions:
    waived: Fen = 0
    extension_months: int = 0
    rate_reduction: Decimal = Decimal(0)
    forbearance_share: Decimal = Decimal(0)
    interest_suspended: bool = False
    settlement_share: Decimal | None = None
    forgiven: Fen = 0
    forborne: Fen = 0
    """Principal set aside interest-free to the last installment."""
    interest_forgone: Fen = 0
    """What the rate cut is worth to the customer: the plan's interest at the contract rate less
    its interest at the plan rate."""

    @property
    def forgives(self) -> bool:
        """Something owed is waived or forgiven (not merely rescheduled)."""
        return bool(self.waived or self.forgiven or self.settlement_share is not None)

    def exceeds(self, limit: Authority) -> list[tuple[str, str]]:
        """What goes beyond ``limit``, each said in Chinese and in English."""
        over = []
        if self.waived > limit.max_waiver:
            amounts = f"{money(self.waived)} > {money(limit.max_waiver)}"
            over.append((f"减免 {amounts}", f"waiver {amounts}"))
        if self.extension_months > limit.max_extension_months:
            months = f"{self.extension_months} > {limit.max_extension_months}"
            over.append((f"延期 {months} 个月", f"extension {months} months"))
        if self.rate_reduction > limit.max_rate_reduction:
            cut = f"{format_rate(self.rate_reduction)} > {format_rate(limit.max_rate_reduction)}"
            over.append((f"降息 {cut}", f"rate cut {cut}"))
        if self.forbearance_share > limit.max_forbearance_share:
            share = (
                f"{format_rate(self.forbearance_share)} > "
                f"{format_rate(limit.max_forbearance_share)}"
            )
            over.append((f"本金缓收 {share}", f"forbearance {share}"))
        if self.interest_suspended and not limit.interest_suspension:
            over.append(("停息", "interest suspension (停息)"))
        if self.settlement_share is not None and self.settlement_share < limit.settlement_min_share:
            share = (
                f"{format_rate(self.settlement_share)} < {format_rate(limit.settlement_min_share)}"
            )
            over.append((f"结清比例 {share}", f"settlement at {share}"))
        return over


def beyond(code: str, over: list[tuple[str, str]]) -> Reason:
    """A reason naming what goes beyond an authority, in both languages."""
    return Reason(
        code,
        {"what": "; ".join(en for _, en in over), "what_zh": "；".join(zh for zh, _ in over)},
    )


def route_approval(
    concessions: Concessions, policy: Policy, assessment: Assessment, *, npv_ok: bool, reached: bool
) -> tuple[str | None, Reason]:
    """The lowest level whose authority covers ``concessions`` (None beyond every authority), and
    why. Automatic approval also needs the NPV test passed, the target reached and no flag."""
    levels = policy.authority
    for level, limit in zip(
        LEVELS, (levels.automatic, levels.agent, levels.supervisor), strict=True
    ):
        over = concessions.exceeds(limit)
        if over:
            continue
        if level == "automatic":
            # Forgiving anything needs shown hardship: never automatic for a customer who can pay.
            unearned = concessions.forgives and not assessment.shows_hardship
            if npv_ok and reached and assessment.may_be_automatic and not unearned:
                return level, Reason("APPROVAL_AUTOMATIC")
            why = []
            if not npv_ok:
                why.append(("净现值", "NPV"))
            if not reached:
                why.append(("可负担性", "affordability"))
            if unearned:
                why.append(("有能力按期还款", "able to pay as contracted"))
            why += [FLAG_WORDS.get(flag.code, (flag.code, flag.code)) for flag in assessment.flags]
            return "agent", beyond("APPROVAL_AGENT", why)
        if level == "agent":
            return level, beyond("APPROVAL_AGENT", concessions.exceeds(levels.automatic))
        return level, beyond("APPROVAL_SUPERVISOR", concessions.exceeds(levels.agent))
    return None, beyond("BEYOND_AUTHORITY", concessions.exceeds(levels.supervisor))
