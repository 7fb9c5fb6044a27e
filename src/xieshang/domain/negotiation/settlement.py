"""A settlement: the customer pays a lump sum they have now and the rest is forgiven — only with
hardship shown, never less than what doing nothing is worth, within the policy's shares."""

from __future__ import annotations

from decimal import Decimal

from xieshang.domain import agreement
from xieshang.domain.money import apply_rate
from xieshang.domain.negotiation.approval import Concessions, route_approval
from xieshang.domain.negotiation.offers import Appraisal, Offer, npv_reason
from xieshang.domain.negotiation.reasons import Reason, money
from xieshang.domain.rates import format_rate


def settlement_offer(appraisal: Appraisal) -> Offer | Reason | None:
    """A settlement for the lump sum the customer has (None without one), or why it cannot be."""
    case, policy, assessment = appraisal.case, appraisal.policy, appraisal.assessment
    baseline = appraisal.baseline
    available = assessment.lump_sum
    if available <= 0:
        return None
    debt = assessment.debt.total
    if available >= debt:  # the customer can repay in full: nothing to forgive
        return Reason("SETTLEMENT_CAN_PAY_IN_FULL", {"available": money(available)})
    if not assessment.shows_hardship:
        return Reason(
            "SETTLEMENT_NEEDS_HARDSHIP",
            {
                "disposable": money(assessment.disposable),
                "installment": money(assessment.installment),
            },
        )
    least = max(apply_rate(debt, policy.settlement.min_share_of_debt), round(baseline))
    most = apply_rate(debt, policy.settlement.max_share_of_debt)
    if available < least:
        return Reason(
            "SETTLEMENT_NOT_AFFORDABLE", {"available": money(available), "least": money(least)}
        )
    amount = min(available, most)
    share = Decimal(amount) / debt
    npv = appraisal.valuer.settlement(amount, baseline)
    concessions = Concessions(settlement_share=share, forgiven=debt - amount)
    approval, why = route_approval(
        concessions, policy, assessment, npv_ok=npv >= baseline, reached=True
    )
    if approval is None:
        return why
    reasons = (
        Reason(
            "SETTLEMENT_OFFER",
            {"amount": money(amount), "share": format_rate(share, 0), "debt": money(debt)},
        ),
        npv_reason(npv, baseline),
        why,
    )
    installation = agreement.settlement(
        assessment.debt, amount, case.as_of, policy.agreements.settlement_pay_within_days
    )
    return Offer(
        id="settlement",
        type="settlement",
        monthly_payment=0,
        term_months=0,
        apr=Decimal(0),
        total_cost=0,
        npv=round(npv),
        concessions=concessions,
        approval=approval,
        checks=(),
        schedule=installation.schedule,
        due_at_signing=amount,
        reasons=reasons,
        installation=installation,
    )
