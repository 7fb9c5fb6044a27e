"""Staff find a customer who phones in, see them whole (masked), unmask their personal data only
when their role allows (audited), and record a complaint received by phone on its real clock."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests import factories
from tests.desk import PHONE, Desk, build_desk
from tests.web.test_pages import csrf_of, sign_in
from xieshang.complaints.records import calendar, rules
from xieshang.domain.complaints import decision_due
from xieshang.kit.context import Context
from xieshang.models.audit import AuditEntry
from xieshang.models.complaint import Complaint
from xieshang.models.customer import Customer
from xieshang.models.negotiation import Agreement
from xieshang.models.user import Role, User


@pytest.fixture
def desk(ctx: Context) -> Desk:
    desk = build_desk(ctx)
    factories.user(ctx, Role.COMPLIANCE, "wb-compliance")
    ctx.session.commit()
    return desk


def _customer_no(ctx: Context, desk: Desk) -> str:
    customer = ctx.session.get(Customer, desk.customer_id)
    assert customer is not None
    return customer.customer_no


def _found(html: str) -> list[int]:
    table = re.search(r'<table id="lookup-results">(.*?)</table>', html, re.S)
    return [int(n) for n in re.findall(r'data-customer="(\d+)"', table.group(1))] if table else []


def test_search_finds_by_name_number_and_exact_id_number_and_shows_it_masked(
    ctx: Context, client: TestClient, desk: Desk
) -> None:
    sign_in(client, "wb-agent2")
    home = client.get("/app/queue").text
    assert '<a href="/app/customers">客户</a>' in home, "the nav names the lookup"
    assert client.get("/app/customers").status_code == 200
    by_name = client.get("/app/customers", params={"q": "张伟"})
    assert by_name.status_code == 200
    assert _found(by_name.text) == [desk.customer_id]
    assert "张*" in by_name.text
    assert "139****5678" in by_name.text
    for secret in (PHONE, desk.id_number, "张伟</td>"):
        assert secret not in by_name.text, "search results show masked data only"
    number = _customer_no(ctx, desk)
    by_number = client.get("/app/customers", params={"q": number})
    assert _found(by_number.text) == [desk.customer_id]
    by_id = client.get("/app/customers", params={"q": desk.id_number.lower()})
    assert _found(by_id.text) == [desk.customer_id], "an ID number is matched by its digest"
    assert desk.id_number not in by_id.text.replace(f'value="{desk.id_number.lower()}"', "")
    partial_id = client.get("/app/customers", params={"q": desk.id_number[:10]})
    assert _found(partial_id.text) == [], "part of an ID number finds nothing (exact digest only)"
    assert 'id="no-results"' in partial_id.text
    by_phone = client.get("/app/customers", params={"q": PHONE})
    assert _found(by_phone.text) == [], "phone numbers are not searched (no decrypting every row)"


def test_search_pages_its_results(ctx: Context, client: TestClient, desk: Desk) -> None:
    for _ in range(21):
        factories.customer(ctx, name="欧阳娜娜")
    ctx.session.commit()
    sign_in(client, "wb-agent2")
    first = client.get("/app/customers", params={"q": "欧阳"})
    assert len(_found(first.text)) == 20
    assert "(21)" in first.text
    assert 'id="page-next" href="/app/customers?q=%E6%AC%A7%E9%98%B3&amp;page=2"' in first.text
    second = client.get("/app/customers", params={"q": "欧阳", "page": 2})
    assert len(_found(second.text)) == 1
    assert 'id="page-previous"' in second.text
    assert set(_found(first.text)).isdisjoint(_found(second.text))
    assert "欧***" in second.text


def test_the_customer_page_shows_them_whole_and_masked(client: TestClient, desk: Desk) -> None:
    sign_in(client, "wb-agent2")
    page = client.get(f"/app/customers/{desk.customer_id}")
    assert page.status_code == 200
    html = page.text
    for secret in (PHONE, desk.id_number, "张伟"):
        assert secret not in html
    assert "139****5678" in html
    loans = re.search(r'<table id="customer-loans">(.*?)</table>', html, re.S)
    assert loans is not None
    assert f'href="/app/loans/{desk.loan_id}"' in loans.group(1)
    assert re.search(rf'<ul id="earlier-cases">.*?/app/negotiations/{desk.risky}"', html, re.S)
    opened = re.search(r'<ul id="customer-complaints">(.*?)</ul>', html, re.S)
    assert opened is not None
    assert opened.group(1).count("<li>") == 3
    assert f'href="/app/customers/{desk.customer_id}/contacts"' in html
    assert 'id="reveal"' not in html, "an agent is never offered the unmasking"
    assert 'id="record-complaint"' in html
    assert 'id="recent-contacts"' not in html, "no contacts yet"
    assert 'id="all-contacts"' in html
    # the loan page and the negotiate flow open for staff, and the contact log is still there
    loan = client.get(f"/app/loans/{desk.loan_id}")
    assert loan.status_code == 200
    assert f'href="/app/loans/{desk.loan_id}/negotiate"' in loan.text
    assert client.get(f"/app/loans/{desk.loan_id}/negotiate").status_code == 200
    assert client.get(f"/app/customers/{desk.customer_id}/contacts").status_code == 200


def test_an_agent_may_not_unmask_and_a_forged_reveal_is_refused(
    ctx: Context, client: TestClient, desk: Desk
) -> None:
    sign_in(client, "wb-agent2")
    page = client.get(f"/app/customers/{desk.customer_id}")
    forged = client.post(
        f"/app/customers/{desk.customer_id}/reveal", data={"csrf": csrf_of(page.text)}
    )
    assert forged.status_code == 403
    assert PHONE not in forged.text
    assert desk.id_number not in forged.text
    unmasked = ctx.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "customer.pii.unmask")
    ).all()
    assert unmasked == []


@pytest.mark.parametrize("username", ["wb-super", "wb-compliance"])
def test_a_supervisor_or_compliance_reveals_once_and_it_is_audited(
    ctx: Context, client: TestClient, desk: Desk, username: str
) -> None:
    sign_in(client, username)
    page = client.get(f"/app/customers/{desk.customer_id}")
    assert page.status_code == 200
    assert 'id="reveal"' in page.text
    assert PHONE not in page.text
    shown = client.post(
        f"/app/customers/{desk.customer_id}/reveal", data={"csrf": csrf_of(page.text)}
    )
    assert shown.status_code == 200
    assert shown.headers["cache-control"] == "no-store"
    assert f'<dd id="customer-phone">{PHONE}</dd>' in shown.text
    assert f'<dd id="customer-id-number">{desk.id_number}</dd>' in shown.text
    assert 'id="customer-account"' in shown.text
    assert 'id="revealed-note"' in shown.text
    assert "审计" in shown.text
    assert 'id="reveal"' not in shown.text
    entries = ctx.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "customer.pii.unmask",
            AuditEntry.subject_id == str(desk.customer_id),
        )
    ).all()
    assert [e.actor.rpartition(":")[2] for e in entries] == [username]
    again = client.get(f"/app/customers/{desk.customer_id}")
    assert PHONE not in again.text, "masked again once the page is left"


def test_compliance_sees_the_customer_but_records_no_complaint(
    client: TestClient, desk: Desk
) -> None:
    sign_in(client, "wb-compliance")
    page = client.get(f"/app/customers/{desk.customer_id}")
    assert page.status_code == 200
    assert 'id="record-complaint"' not in page.text
    refused = client.post(
        f"/app/customers/{desk.customer_id}/complaints",
        data={"csrf": csrf_of(page.text), "text": "电话投诉", "channel": "phone"},
    )
    assert refused.status_code == 403


def test_a_phone_complaint_runs_on_the_clock_from_when_it_was_received(
    ctx: Context, client: TestClient, desk: Desk
) -> None:
    sign_in(client, "wb-agent2")
    page = client.get(f"/app/customers/{desk.customer_id}")
    assert 'value="2026-06-20T10:00"' in page.text, "received now (Shanghai time) by default"
    done = client.post(
        f"/app/customers/{desk.customer_id}/complaints",
        data={
            "csrf": csrf_of(page.text),
            "text": "客户来电：上月被重复扣款两次，要求退还",
            "channel": "phone",
            "received_at": "2026-06-18T09:30",
            "loan_id": str(desk.loan_id),
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    location = done.headers["location"]
    complaint_id = int(location.rsplit("/", 1)[1])
    row = ctx.session.get(Complaint, complaint_id)
    assert row is not None
    assert row.channel == "phone"
    assert row.loan_id == desk.loan_id
    assert row.received_on == date(2026, 6, 18)
    expected = decision_due(date(2026, 6, 18), calendar=calendar(), rules=rules(ctx).clock).due
    assert (
        expected != decision_due(date(2026, 6, 20), calendar=calendar(), rules=rules(ctx).clock).due
    )
    assert row.decision_due == expected
    shown = client.get(location)
    assert shown.status_code == 200
    assert f'<span id="decision-due">{expected}</span>' in shown.text
    whole = client.get(f"/app/customers/{desk.customer_id}")
    opened = re.search(r'<ul id="customer-complaints">(.*?)</ul>', whole.text, re.S)
    assert opened is not None
    assert f"/app/complaints/{complaint_id}" in opened.group(1)


def test_a_future_receipt_is_refused_with_the_input_marked(
    ctx: Context, client: TestClient, desk: Desk
) -> None:
    sign_in(client, "wb-agent2")
    page = client.get(f"/app/customers/{desk.customer_id}")
    before = ctx.session.scalars(select(Complaint.id)).all()
    refused = client.post(
        f"/app/customers/{desk.customer_id}/complaints",
        data={
            "csrf": csrf_of(page.text),
            "text": "客户来信投诉",
            "channel": "letter",
            "received_at": "2026-06-21T09:00",
        },
    )
    assert refused.status_code == 200
    assert '<p class="problem" role="alert" id="complaint-problem">' in refused.text
    assert (
        'name="received_at" min="2025-06-20T10:00" value="2026-06-21T09:00" required '
        'aria-invalid="true" aria-describedby="received-hint complaint-problem"'
    ) in refused.text
    assert "客户来信投诉</textarea>" in refused.text, "what was typed is kept"
    assert '<option value="letter" selected>' in refused.text
    assert ctx.session.scalars(select(Complaint.id)).all() == before
    too_old = client.post(
        f"/app/customers/{desk.customer_id}/complaints",
        data={
            "csrf": csrf_of(page.text),
            "text": "客户来信投诉",
            "channel": "letter",
            "received_at": "2025-01-01T09:00",
        },
    )
    assert too_old.status_code == 200
    assert "超出可补录的期限" in too_old.text
    assert 'aria-invalid="true" aria-describedby="received-hint complaint-problem"' in (
        too_old.text
    )
    empty = client.post(
        f"/app/customers/{desk.customer_id}/complaints",
        data={"csrf": csrf_of(page.text), "text": " ", "channel": "phone", "received_at": ""},
    )
    assert empty.status_code == 200
    assert (
        'name="text" rows="5" maxlength="20000" required aria-invalid="true" '
        'aria-describedby="complaint-problem"'
    ) in empty.text


def test_a_customer_gets_none_of_these_pages(client: TestClient, desk: Desk) -> None:
    sign_in(client, "wb-customer")
    home = client.get("/app/complaints")
    assert 'href="/app/customers"' not in home.text
    assert client.get("/app/customers", params={"q": "张"}).status_code == 403
    assert client.get(f"/app/customers/{desk.customer_id}").status_code == 403
    csrf = csrf_of(home.text)
    assert (
        client.post(f"/app/customers/{desk.customer_id}/reveal", data={"csrf": csrf}).status_code
        == 403
    ), "customers.pii lets a customer unmask their own data through the API, not this page"
    assert (
        client.post(
            f"/app/customers/{desk.customer_id}/complaints",
            data={"csrf": csrf, "text": "x", "channel": "phone"},
        ).status_code
        == 403
    )


def test_in_english(client: TestClient, desk: Desk) -> None:
    sign_in(client, "wb-super")
    search = client.get("/lang/en?next=/app/customers").text
    assert "Find a customer" in search
    assert '<a href="/app/customers">Customers</a>' in search
    page = client.get(f"/app/customers/{desk.customer_id}")
    for words in (
        "Record a complaint received by phone, in branch or by letter",
        "The customer&#39;s words",
        "Really received at",
        "Show the full ID number, phone and account",
        "Latest contacts",
        "Negotiations",
    ):
        assert words in page.text, words
    refused = client.post(
        f"/app/customers/{desk.customer_id}/complaints",
        data={
            "csrf": csrf_of(page.text),
            "text": "called about a double charge",
            "channel": "phone",
            "received_at": "2026-06-21T09:00",
        },
    )
    assert "received_at: is in the future" in refused.text


def test_an_agent_negotiates_for_the_customer_and_records_their_consent_by_phone(
    ctx: Context, client: TestClient, desk: Desk
) -> None:
    owner = ctx.session.get(Customer, desk.customer_id)
    assert owner is not None
    loan = factories.loan(ctx, owner, start_date=date(2026, 6, 1))
    ctx.session.commit()
    sign_in(client, "wb-agent2")
    whole = client.get(f"/app/customers/{desk.customer_id}")
    assert f'href="/app/loans/{loan.id}"' in whole.text
    page = client.get(f"/app/loans/{loan.id}")
    assert f'id="customer-page" href="/app/customers/{desk.customer_id}"' in page.text
    assert f'id="negotiate-for" href="/app/loans/{loan.id}/negotiate"' in page.text
    form = client.get(f"/app/loans/{loan.id}/negotiate")
    assert 'id="on-behalf"' in form.text
    assert f'href="/app/customers/{desk.customer_id}#record-complaint"' in form.text
    opened = client.post(
        f"/app/loans/{loan.id}/change",
        data={
            "csrf": csrf_of(form.text),
            "preferred_due_day": "10",
            "verified_income": "9000.00",
            "stated_income": "9000.00",
            "essential_expenses": "3000.00",
            "other_debt_service": "0",
        },
        follow_redirects=False,
    )
    assert opened.status_code == 303, opened.text
    case_url = opened.headers["location"]
    case = client.get(case_url).text
    offer = re.search(rf'href="({case_url}/offers/\d+)"', case)
    assert offer is not None, "an offer the customer may accept"
    terms = client.get(offer.group(1)).text
    assert 'id="consent-how"' in terms
    assert '<select id="consent-channel" name="consent_channel">' in terms
    sha = re.search(r'name="terms_sha256" value="([0-9a-f]{64})"', terms)
    assert sha is not None
    accepted = client.post(
        f"{offer.group(1)}/accept",
        data={
            "csrf": csrf_of(terms),
            "terms_sha256": sha.group(1),
            "consent": "yes",
            "consent_channel": "phone",
        },
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    made = ctx.session.scalar(select(Agreement).where(Agreement.loan_id == loan.id))
    assert made is not None
    assert made.consent_channel == "phone", "the consent given by phone is recorded as such"
    agent = ctx.session.scalar(select(User).where(User.username == "wb-agent2"))
    assert agent is not None
    assert made.accepted_by == agent.id
