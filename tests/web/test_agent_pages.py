"""The agent's workbench in the web application: the worklist, the case seen whole (masked personal
data, the ledger, the engine's recommendation and reasons), escalation, reply templates, and forms
that say what is wrong accessibly."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.desk import PHONE, Desk, build_desk
from tests.web.test_pages import csrf_of, sign_in
from xieshang.kit.context import Context
from xieshang.models.user import User
from xieshang.negotiations import service
from xieshang.negotiations.schemas import CounterIn


@pytest.fixture
def desk(ctx: Context) -> Desk:
    return build_desk(ctx)


def _rows(html: str, table: str, attribute: str) -> list[int]:
    body = re.search(rf'<table id="{table}">(.*?)</table>', html, re.S)
    assert body is not None
    return [int(n) for n in re.findall(rf'data-{attribute}="(\d+)"', body.group(1))]


def test_the_worklist_puts_the_nearest_deadline_first_then_the_riskiest(
    client: TestClient, desk: Desk
) -> None:
    sign_in(client, "wb-agent2")
    page = client.get("/app/queue")
    assert page.status_code == 200
    assert _rows(page.text, "queue-cases", "case") == [desk.soon, desk.risky, desk.calm]
    assert _rows(page.text, "queue-complaints", "complaint") == [
        desk.overdue_complaint,
        desk.threat_complaint,
        desk.plain_complaint,
    ]
    assert "已逾期" in page.text, "overdue said in words, not by colour alone"
    assert "监管热线" in page.text, "the regulator threat is shown as a risk"
    assert "2 天后到期" in page.text
    english = client.get("/lang/en?next=/app/queue")
    assert "Overdue by" in english.text
    assert "regulator&#39;s hotline" in english.text


def test_the_case_page_shows_the_customer_masked_the_ledger_and_the_recommendation(
    client: TestClient, desk: Desk
) -> None:
    sign_in(client, "wb-agent2")
    page = client.get(f"/app/negotiations/{desk.risky}")
    assert page.status_code == 200
    html = page.text
    assert PHONE not in html, "the full phone number never reaches an agent"
    assert desk.id_number not in html, "nor the full ID number"
    assert "张伟" not in html, "nor the full name"
    assert "139****5678" in html
    assert f"{desk.id_number[:4]}**********{desk.id_number[-4:]}" in html
    assert "张*" in html
    ledger = re.search(r'<table id="ledger-transactions">(.*?)</table>', html, re.S)
    assert ledger is not None
    assert "¥1,066.19" in ledger.group(1)
    assert re.search(r'<table id="ledger-accruals">.*?罚息.*?</table>', html, re.S)
    recommended = re.findall(r'id="recommended-(\d+)"', html)
    assert len(recommended) == 1, "exactly one offer is marked as the engine's recommendation"
    assert 'data-offer="plan"' in html
    plan = re.search(
        r'<section class="card offer" aria-labelledby="offer-(\d+)" data-offer="plan"', html
    )
    assert plan is not None
    assert plan.group(1) == recommended[0]
    assert 'id="engine-assessment"' in html
    why = re.search(r'<ul id="recommendation-reasons">(.*?)</ul>', html, re.S)
    assert why is not None
    assert "NPV_ABOVE_BASELINE" in why.group(1), "why it is recommended: it beats the baseline"
    assert re.search(r'<ul id="engine-reasons">\s*<li>', html)
    english = client.get(f"/lang/en?next=/app/negotiations/{desk.risky}").text
    for words in ("Recommended", "The loan&#39;s ledger", "Moral-hazard checks", "Escalate"):
        assert words in english, words
    complaints = re.search(r'<ul id="customer-complaints">(.*?)</ul>', html, re.S)
    assert complaints is not None
    assert complaints.group(1).count("<li>") == 3


def test_the_customers_proposal_shows_staff_the_level_and_the_customer_words(
    client: TestClient, desk: Desk, ctx: Context
) -> None:
    """The customer proposes ¥300 a month on the risky case: the workbench shows the engine's
    answer with who may approve the plan it names and that plan's checks; the customer's own
    what-if answer says the same in words, never a code."""
    ctx.user = ctx.session.scalars(select(User).where(User.username == "wb-customer")).one()
    answer = service.counter(ctx, desk.risky, CounterIn(monthly_payment="300.00"))
    ctx.user = None
    counter = answer.evaluation.counter_offer if answer.evaluation else None
    assert counter is not None
    assert counter.approval is not None
    sign_in(client, "wb-agent2")
    html = client.get(f"/app/negotiations/{desk.risky}").text
    shown = re.search(r'<p id="engine-counter">(.*?)</p>', html, re.S)
    assert shown is not None
    level = {"automatic": "自动", "agent": "专员", "supervisor": "主管"}[counter.approval]
    assert level in shown.group(1)
    assert "CHECK_APR" in shown.group(1)
    assert re.search(r'<ul id="engine-counter-reasons">\s*<li>COUNTER_', html)
    client.post("/logout", data={"csrf": csrf_of(html)})
    sign_in(client, "wb-customer")
    said = client.get(f"/app/negotiations/{desk.risky}/what-if?monthly_payment=300").text
    assert 'id="what-if-answer"' in said
    assert not re.search(r"\b[A-Z]{2,}(?:_[A-Z0-9]+)+\b", said), said


def test_a_customer_sees_none_of_the_workbench(client: TestClient, desk: Desk) -> None:
    sign_in(client, "wb-customer")
    page = client.get(f"/app/negotiations/{desk.risky}")
    assert page.status_code == 200
    for staff_only in ('id="customer-picture"', 'id="ledger"', 'id="engine"', "/escalate"):
        assert staff_only not in page.text
    assert client.get("/app/queue").status_code == 403


def test_an_agent_escalates_and_the_supervisor_sees_why(client: TestClient, desk: Desk) -> None:
    sign_in(client, "wb-agent2")
    page = client.get(f"/app/negotiations/{desk.calm}")
    offer = re.search(r'action="(/app/negotiations/\d+/offers/(\d+))/escalate"', page.text)
    assert offer is not None
    base, offer_id = offer.group(1), offer.group(2)
    refused = client.post(
        f"{base}/escalate", data={"csrf": csrf_of(page.text), "reason": "other", "note": ""}
    )
    assert refused.status_code == 422
    assert f'<p class="problem" role="alert" id="escalate-problem-{offer_id}">' in refused.text
    assert (
        f'name="note" rows="2" maxlength="500" aria-invalid="true" '
        f'aria-describedby="escalate-problem-{offer_id}"'
    ) in refused.text
    done = client.post(
        f"{base}/escalate",
        data={"csrf": csrf_of(page.text), "reason": "suspected_fraud", "note": "两份工资单不一致"},
    )
    assert done.status_code == 200
    assert f'id="escalation-{offer_id}"' in done.text
    assert "疑似欺诈" in done.text
    assert f'action="{base}/approve"' not in done.text, "a supervisor's now, not an agent's"
    client.cookies.clear()
    sign_in(client, "wb-super")
    queue = client.get("/app/queue")
    assert desk.calm in _rows(queue.text, "queue-cases", "case")
    row = re.search(rf'<tr data-case="{desk.calm}">(.*?)</tr>', queue.text, re.S)
    assert row is not None
    assert "疑似欺诈" in row.group(1)
    assert "两份工资单不一致" in row.group(1)
    case = client.get(f"/app/negotiations/{desk.calm}")
    assert "两份工资单不一致" in case.text
    assert f'action="{base}/approve"' in case.text
    client.cookies.clear()
    sign_in(client, "wb-customer")
    assert "两份工资单不一致" not in client.get(f"/app/negotiations/{desk.calm}").text


def test_a_reply_template_fills_the_box_and_still_meets_the_linter(
    client: TestClient, desk: Desk
) -> None:
    sign_in(client, "wb-agent2")
    url = f"/app/complaints/{desk.overdue_complaint}"
    page = client.get(url)
    assert '<select id="template" name="template"' in page.text
    assert 'hx-get="' + url + '/reply-template"' in page.text
    filled = client.get(f"{url}?template=acknowledgement")  # without JavaScript
    box = re.search(r'<textarea id="reply"[^>]*>(.*?)</textarea>', filled.text, re.S)
    assert box is not None
    assert f"编号 {desk.overdue_complaint}" in box.group(1)
    assert "张先生/女士" in box.group(1)
    fragment = client.get(f"{url}/reply-template?template=extension")  # what htmx swaps in
    assert fragment.text.lstrip().startswith('<div id="reply-box">')
    assert "延长处理期限" in fragment.text
    bad = client.post(
        f"{url}/reply", data={"csrf": csrf_of(page.text), "note": box.group(1) + "否则后果自负"}
    )
    assert 'id="reply-problems"' in bad.text
    assert "LINT_THREAT" in bad.text
    assert 'aria-invalid="true" aria-describedby="reply-problems"' in bad.text
    assert "否则后果自负" in bad.text, "what was written is kept"
    sent = client.post(
        f"{url}/reply",
        data={"csrf": csrf_of(page.text), "note": box.group(1).replace("&#34;", '"')},
        follow_redirects=False,
    )
    assert sent.status_code == 303


def test_the_adjust_and_contact_forms_say_what_is_wrong_accessibly(
    client: TestClient, desk: Desk
) -> None:
    sign_in(client, "wb-agent2")
    page = client.get(f"/app/negotiations/{desk.risky}")
    bad = client.post(
        f"/app/negotiations/{desk.risky}/adjust",
        data={
            "csrf": csrf_of(page.text),
            "months": "24",
            "annual_rate": "0.08",
            "grace_months": "30",
        },
    )
    assert bad.status_code == 422
    assert '<p class="problem" role="alert" id="adjust-problem">' in bad.text
    assert re.search(
        r'<input id="adj-grace"[^>]*aria-invalid="true" aria-describedby="adjust-problem"', bad.text
    )
    assert re.search(r'<input id="adj-rate"[^>]*value="0.08"', bad.text), "values kept"
    assert not re.search(r'<input id="adj-rate"[^>]*aria-invalid', bad.text)
    contacts = client.get(f"/app/customers/{desk.customer_id}/contacts")
    refused = client.post(
        f"/app/customers/{desk.customer_id}/contacts",
        data={
            "csrf": csrf_of(contacts.text),
            "channel": "phone",
            "party": "unrelated",
            "purpose": "collection",
            "message": "您好",
        },
    )
    assert 'role="alert" id="contact-refused"' in refused.text
    assert "CONDUCT_THIRD_PARTY" in refused.text
    assert re.search(
        r'<select id="contact-party"[^>]*aria-invalid="true" aria-describedby="contact-refused"',
        refused.text,
    )
    assert re.search(r'<option value="unrelated" selected', refused.text)
