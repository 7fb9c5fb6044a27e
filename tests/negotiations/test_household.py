"""A negotiation on one loan shares the customer's affordability budget with their other loans."""

from __future__ import annotations

import json
from decimal import Decimal

from tests import factories
from tests.customer_side import open_hardship
from xieshang.kit.context import Context
from xieshang.loans.schemas import PaymentCreate
from xieshang.loans.service import record_payment
from xieshang.models.negotiation import NegotiationCase


def test_the_customers_other_active_loans_share_the_budget(ctx: Context) -> None:
    """Two loans of one customer and a paid-off third: the case on the first holds the second (not
    the paid-off one, not another customer's), says the budget is shared, and its target is the
    first loan's share of what the same customer alone on one loan would get."""
    factories.product(ctx)
    me, someone, single = (factories.customer(ctx) for _ in range(3))
    first = factories.loan(ctx, me)
    factories.loan(ctx, me, principal="20000.00")
    done = factories.loan(ctx, me, principal="1000.00", months=1)
    record_payment(
        ctx, done.id, PaymentCreate(amount="1000.00", value_date=done.start_date, reference="p")
    )
    factories.loan(ctx, someone)
    alone = factories.loan(ctx, single)

    shared = open_hardship(ctx, first)
    stored = ctx.session.get(NegotiationCase, shared.id)
    assert stored is not None
    others = json.loads(stored.input_snapshot)["other_loans"]
    assert [o["terms"]["principal"] for o in others] == ["20000.00"]
    household = [r for r in shared.evaluation.reasons if r.code == "ASSESS_HOUSEHOLD"]
    assert [r.params["loans"] for r in household] == ["2"]
    assert "2 笔贷款共用一份可承受额度" in household[0].text_zh

    whole = open_hardship(ctx, alone)
    assert not [r for r in whole.evaluation.reasons if r.code == "ASSESS_HOUSEHOLD"]
    assert whole.evaluation.assessment is not None
    assert shared.evaluation.assessment is not None
    target = Decimal(shared.evaluation.assessment.target_payment.lstrip("¥").replace(",", ""))
    full = Decimal(whole.evaluation.assessment.target_payment.lstrip("¥").replace(",", ""))
    # A ¥10,000 loan beside a ¥20,000 one on the same terms: a third of the budget, rounded down.
    assert full / 3 - Decimal("0.02") <= target <= full / 3
