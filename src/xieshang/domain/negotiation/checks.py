"""The regulatory checks a plan must pass before it is offered; an offer that fails one is never
produced. The caps come from the policy (:class:`~xieshang.domain.negotiation.policy.RegulatoryCaps`,
which cites the rule behind each)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xieshang.domain.negotiation.policy import Policy
from xieshang.domain.rates import apr, format_rate
from xieshang.domain.restructure import Restructuring
from xieshang.domain.schedule import Schedule

CHECK_WORDS: dict[str, tuple[str, str]] = {
    "CHECK_APR": ("年化综合成本超过上限", "all-in annual cost above the cap"),
    "CHECK_TERM": ("期限超过上限", "term beyond the longest allowed"),
    "CHECK_NO_INTEREST_ON_FEES": ("对费用计收利息", "interest on fees"),
    "CHECK_PENALTY_MARKUP": ("罚息上浮超过法定上限", "penalty markup above the legal maximum"),
}
"""Each check as people read it when a plan fails it (the codes stay for staff and the audit)."""


@dataclass(frozen=True)
class Check:
    code: str
    passed: bool
    params: dict[str, str]


def regulatory_checks(
    schedule: Schedule,
    result: Restructuring,
    policy: Policy,
    months: int,
    markup: Decimal,
    *,
    cost: Decimal | None = None,
) -> tuple[Check, ...]:
    """The all-in APR under the cap, the term within the longest plan, no interest on fees, and the
    penalty markup should the plan break. ``cost`` is the schedule's :func:`plan_apr_of` when the
    caller has it already."""
    caps = policy.regulatory
    plan_apr = plan_apr_of(schedule) if cost is None else cost
    fees_capitalised = result.capitalised > result.debt.interest
    return (
        Check(
            "CHECK_APR",
            plan_apr <= caps.apr_cap,
            {"apr": format_rate(plan_apr), "cap": format_rate(caps.apr_cap)},
        ),
        Check(
            "CHECK_TERM",
            months <= caps.max_plan_months,
            {"months": str(months), "cap": str(caps.max_plan_months)},
        ),
        Check(
            "CHECK_NO_INTEREST_ON_FEES", caps.interest_on_fees_allowed or not fees_capitalised, {}
        ),
        # If the plan breaks, penalty resumes at the markup of the loan the plan is built on (the
        # contract's, recomputed at the maximum when above it: negotiation/lawful.py).
        Check(
            "CHECK_PENALTY_MARKUP",
            markup <= caps.penalty_markup_max,
            {
                "markup": format_rate(markup, 0),
                "min": format_rate(caps.penalty_markup_min, 0),
                "max": format_rate(caps.penalty_markup_max, 0),
            },
        ),
    )


def plan_apr_of(schedule: Schedule) -> Decimal:
    """The schedule's all-in APR, computed once per plan: the check and the offer both show it."""
    return apr(schedule.cash_flows(), schedule.start_date)
