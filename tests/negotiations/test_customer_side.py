"""Reading agreements (a customer's own, staff any) and disputing charges picked from the bill."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests import factories
from tests.customer_side import build_people
from xieshang.agreements import service as agreements
from xieshang.domain.errors import InvalidInput, NotFound
from xieshang.kit.context import Context, FixedClock
from xieshang.loans.schemas import PaymentCreate
from xieshang.loans.service import record_payment
from xieshang.models.customer import Customer
from xieshang.models.user import Role
from xieshang.negotiations import disputes
from xieshang.negotiations.case_input import ChargedIn


@pytest.fixture
def people(ctx: Context) -> dict[str, int]:
    """Two customers with logins, loans to dispute and an agreement each (tests/customer_side.py)."""
    return build_people(ctx)


def test_a_customer_reads_only_their_own_agreements(
    ctx: Context, people: dict[str, int], clock: FixedClock
) -> None:
    me = ctx.session.get(Customer, people["me"])
    assert me is not None
    ctx.user = factories.user(ctx, Role.CUSTOMER, "cp-reader", me.id)
    mine = agreements.list_agreements(ctx)
    assert [a.id for a in mine.items] == [people["my_agreement"]]
    summary = mine.items[0]
    assert (summary.kind, summary.status, summary.kept) == ("due_date_change", "active", 0)
    assert summary.signed_on == ctx.today()
    assert summary.next_due is not None
    assert summary.next_due.due_date == date(2026, 7, 10)
    with pytest.raises(NotFound):
        agreements.get_agreement(ctx, people["their_agreement"])

    detail = agreements.get_agreement(ctx, people["my_agreement"])
    assert [r.mark for r in detail.installments[:2]] == ["due", "upcoming"]
    assert detail.total == len(detail.installments)
    assert detail.terms_language == "zh"
    assert detail.terms_text is not None
    assert "变更还款日" in detail.terms_text
    assert detail.consent_channel == "web"

    # The customer pays the first installment today: it is paid and kept.
    ctx.user = None
    first = detail.installments[0]
    record_payment(
        ctx,
        people["mine"],
        PaymentCreate(amount=first.owed, value_date=ctx.today(), reference="cp-pay-1"),
    )
    ctx.user = factories.user(ctx, Role.CUSTOMER, "cp-reader2", me.id)
    paid = agreements.get_agreement(ctx, people["my_agreement"])
    assert paid.installments[0].mark == "paid"
    assert paid.installments[0].paid_on == ctx.today()
    assert (paid.kept, paid.next_due and paid.next_due.n) == (1, 2)
    # Two months on, the second installment (due on 10 August) is overdue.
    clock.current = clock.current + timedelta(days=61)
    later = agreements.get_agreement(ctx, people["my_agreement"])
    assert later.installments[1].mark == "overdue"

    ctx.user = factories.user(ctx, Role.AGENT, "cp-staff")
    assert agreements.get_agreement(ctx, people["their_agreement"]).id > 0
    assert agreements.list_agreements(ctx).total >= 2
    only_mine = agreements.list_agreements(ctx, customer_id=people["me"])
    assert [a.id for a in only_mine.items] == [people["my_agreement"]]


def test_the_bill_lists_what_was_charged_and_a_dispute_checks_it(
    ctx: Context, people: dict[str, int]
) -> None:
    lines = disputes.charge_lines(ctx, people["over"])
    assert {line.component for line in lines} == {"penalty", "compound"}
    penalty = next(line for line in lines if line.key == "1:penalty")
    assert penalty.first_day == date(2026, 2, 2)
    assert penalty.last_day == ctx.today()
    case = disputes.open_dispute(ctx, people["over"], ["1:penalty"], None)
    assert case.scenario == "charge_dispute"
    assert case.evaluation.dispute is not None
    line = case.evaluation.dispute.lines[0]
    assert line.charged == penalty.amount
    assert line.verdict == "overcharged"
    assert line.refund == line.difference != "0.00"
    assert line.formula_en
    assert "penalty rate" in line.formula_en[0]

    correct = disputes.open_dispute(ctx, people["lawful"], ["1:penalty"], None)
    assert correct.evaluation.dispute is not None
    assert correct.evaluation.dispute.refund_due == "0.00"
    assert correct.evaluation.dispute.lines[0].verdict == "correct"

    with pytest.raises(InvalidInput, match="pick"):
        disputes.open_dispute(ctx, people["lawful"], [], None)
    with pytest.raises(InvalidInput, match="not a charge"):
        disputes.open_dispute(ctx, people["lawful"], ["1:fee"], None)
    typed = ChargedIn.model_validate({"installment": 1, "component": "penalty", "amount": "1.00"})
    under = disputes.open_dispute(ctx, people["lawful"], [], typed)
    assert under.evaluation.dispute is not None
    assert under.evaluation.dispute.lines[0].verdict == "undercharged"
