"""The terms a customer consents to say what the law took off their debt."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests import factories
from tests.customer_side import figures, open_hardship
from xieshang.agreements import service as agreements
from xieshang.kit.context import Context
from xieshang.models.negotiation import NegotiationEvaluation


def test_an_offer_on_a_contract_beyond_the_law_states_the_credit_in_its_terms(
    ctx: Context,
) -> None:
    """Five months unpaid on a product charging penalty interest at the contract rate + 80 % (the
    legal maximum is + 50 %): the plan starts from the lawful debt, and its terms say, in both
    languages, how much was taken off — the same amount the answer gives."""
    factories.product(ctx, "OVER-MARKUP", penalty_markup="0.8")
    owner = factories.customer(ctx)
    loan = factories.loan(
        ctx,
        owner,
        "OVER-MARKUP",
        principal="12000.00",
        annual_rate="12%",
        months=12,
        start_date=date(2026, 1, 1),
    )
    case = open_hardship(
        ctx,
        loan,
        figures("3000.00", "2000.00"),
        "job_loss",
    )
    credit = next(r for r in case.evaluation.reasons if r.code == "LAWFUL_CREDITED")
    amount = credit.params["amount"]
    offer = next(o for o in case.offers if o.offer.installation is not None)
    assert offer.offer.installation is not None
    assert f"¥{offer.offer.installation.credited}" == amount.replace(",", "")
    zh = agreements.offer_terms(ctx, case.id, offer.id, "zh").text
    en = agreements.offer_terms(ctx, case.id, offer.id, "en").text
    assert f"合同超出法定标准多收的 {amount} 已从欠款中扣减" in zh
    assert f"the {amount} the contract charged beyond the lawful amount" in en
    # What each offer derives on reading (its phases) is shown, not stored beside its schedule.
    assert offer.offer.phases
    assert offer.offer.phases[0].count >= 1
    stored = ctx.session.scalars(
        select(NegotiationEvaluation.result).where(NegotiationEvaluation.case_id == case.id)
    ).all()
    assert stored
    assert all('"phases"' not in result for result in stored)
