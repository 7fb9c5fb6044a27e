"""A call the engine promises the customer is a task with a date until someone makes it."""

from __future__ import annotations

from datetime import date

from tests import factories
from tests.customer_side import figures, open_hardship
from xieshang.contacts.schemas import ContactIn
from xieshang.contacts.service import make_contact
from xieshang.contacts.worklist import worklist
from xieshang.kit.context import Context
from xieshang.models.audit import AuditEntry
from xieshang.models.user import Role
from xieshang.negotiations import service


def test_a_promised_call_is_due_in_working_days_and_stays_owed_until_it_reaches_the_customer(
    ctx: Context,
) -> None:
    """Income of ¥2,000 against essentials of ¥1,900: no offer the customer can afford, so the
    answer promises a specialist within two working days. Opened on Saturday 20 June 2026, that is
    Tuesday the 23rd. The case is on the agent's worklist with that date; an unanswered call keeps
    it there; a call that reaches the customer takes it off, and the promise is no longer shown."""
    factories.product(ctx)
    owner = factories.customer(ctx)
    loan = factories.loan(ctx, owner, principal="30000.00", months=12, start_date=date(2026, 1, 15))
    case = open_hardship(
        ctx,
        loan,
        figures("2000.00", "1900.00"),
        "over_indebted",
    )
    assert ctx.today() == date(2026, 6, 20)
    assert "NEXT_STEP_PERSON" in {r.code for r in case.evaluation.reasons}
    assert case.callback_due == date(2026, 6, 23)
    assert (
        ctx.session.query(AuditEntry).filter_by(action="negotiation.callback_promised").count() == 1
    )

    ctx.user = factories.user(ctx, Role.AGENT, "cb-agent")
    listed = {item.case_id: item for item in worklist(ctx).cases}
    assert listed[case.id].callback_due == date(2026, 6, 23)
    assert listed[case.id].deadline == date(2026, 6, 23)

    make_contact(ctx, ContactIn(customer_id=owner.id, channel="phone", purpose="service",
                                outcome="no_answer"))  # fmt: skip
    assert case.id in {item.case_id for item in worklist(ctx).cases}
    make_contact(ctx, ContactIn(customer_id=owner.id, channel="phone", purpose="service"))
    assert case.id not in {item.case_id for item in worklist(ctx).cases}
    assert service.get_case(ctx, case.id).callback_due is None


def test_a_case_with_an_affordable_offer_promises_no_call(ctx: Context) -> None:
    factories.product(ctx)
    owner = factories.customer(ctx)
    loan = factories.loan(ctx, owner, principal="30000.00", months=12, start_date=date(2026, 1, 15))
    case = open_hardship(
        ctx,
        loan,
        figures("9000.00", "4000.00"),
        "income_drop_temporary",
    )
    assert case.callback_due is None
