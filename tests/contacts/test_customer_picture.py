"""A customer seen whole, for staff (the lookup's service): masked, every negotiation, complaints
open and answered, the latest contacts, who may unmask; and finding a customer without decrypting."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories
from tests.desk import PHONE, build_desk
from xieshang.complaints.schemas import ComplaintCreate
from xieshang.complaints.workflow import withdraw
from xieshang.contacts.schemas import ContactIn
from xieshang.contacts.service import make_contact
from xieshang.contacts.workbench import (
    case_picture,
    customer_picture,
    find_customers,
    record_complaint,
    reveal,
)
from xieshang.domain.errors import PermissionDenied
from xieshang.kit.context import Context
from xieshang.models.audit import AuditEntry
from xieshang.models.user import Role, User


def _as(ctx: Context, username: str) -> None:
    ctx.user = ctx.session.scalar(select(User).where(User.username == username))


def test_the_customer_picture_is_masked_and_whole(ctx: Context) -> None:
    desk = build_desk(ctx)
    _as(ctx, "wb-agent2")
    withdraw(ctx, desk.plain_complaint, "resolved on the phone")
    make_contact(ctx, ContactIn(customer_id=desk.customer_id, channel="phone", purpose="service"))
    whole = customer_picture(ctx, desk.customer_id)
    assert whole.customer.name == "张*"
    assert whole.customer.phone == PHONE[:3] + "****" + PHONE[-4:]
    assert desk.id_number not in whole.customer.id_number
    assert [line.loan.id for line in whole.loans] == [desk.loan_id]
    assert whole.loans[0].days_past_due > 300
    assert [c.id for c in whole.cases] == [desk.risky], "every negotiation, none left out"
    assert [c.id for c in whole.complaints] == [desk.overdue_complaint, desk.threat_complaint]
    assert [c.id for c in whole.answered_complaints] == [desk.plain_complaint]
    assert [c.channel for c in whole.contacts] == ["phone"]
    assert whole.contacts_total == 1
    assert not whole.may_reveal, "an agent never unmasks"
    assert whole.may_record_complaint
    # the case page reuses it, leaving out the case being looked at
    case = case_picture(ctx, desk.risky)
    assert case.customer == whole.customer
    assert case.loans == whole.loans
    assert case.cases == []
    assert case.complaints == whole.complaints


def test_who_may_see_unmask_and_record(ctx: Context) -> None:
    desk = build_desk(ctx)
    factories.user(ctx, Role.COMPLIANCE, "wb-compliance")
    ctx.session.commit()
    _as(ctx, "wb-compliance")
    overseen = customer_picture(ctx, desk.customer_id)
    assert overseen.may_reveal
    assert not overseen.may_record_complaint
    _as(ctx, "wb-super")
    assert customer_picture(ctx, desk.customer_id).may_reveal
    _as(ctx, "wb-agent2")
    with pytest.raises(PermissionDenied):
        reveal(ctx, desk.customer_id)
    _as(ctx, "wb-customer")
    for refused in (
        lambda: customer_picture(ctx, desk.customer_id),
        lambda: find_customers(ctx, "张"),
        lambda: reveal(ctx, desk.customer_id),
        lambda: record_complaint(
            ctx, ComplaintCreate(text="x", customer_id=desk.customer_id, channel="web")
        ),
    ):
        with pytest.raises(PermissionDenied):
            refused()
    actions = ctx.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action == "customer.pii.unmask")
    ).all()
    assert actions == [], "no refused unmasking leaves data or an audit row behind"
    _as(ctx, "wb-super")
    assert reveal(ctx, desk.customer_id).phone == PHONE
    actions = ctx.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action == "customer.pii.unmask")
    ).all()
    assert actions == ["customer.pii.unmask"]


def test_find_customers_by_name_number_or_exact_id_number(ctx: Context) -> None:
    desk = build_desk(ctx)
    _as(ctx, "wb-agent2")
    by_name = find_customers(ctx, " 张伟 ")
    assert [c.id for c in by_name.customers] == [desk.customer_id]
    assert by_name.customers[0].name == "张*"
    assert by_name.query == "张伟"
    assert (by_name.total, by_name.page, by_name.pages) == (1, 1, 1)
    number = by_name.customers[0].customer_no
    assert [c.id for c in find_customers(ctx, number).customers] == [desk.customer_id]
    assert [c.id for c in find_customers(ctx, desk.id_number).customers] == [desk.customer_id]
    assert find_customers(ctx, desk.id_number[:-1]).customers == []
    assert find_customers(ctx, PHONE).customers == []
    assert find_customers(ctx, "").pages == 0, "no query, no list of everyone"
