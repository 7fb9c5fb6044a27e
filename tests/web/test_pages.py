"""The web application's pages without a browser: sign-in, sessions, CSRF, escaping, headers."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from tests import factories
from xieshang.kit.config import Environment, Settings
from xieshang.kit.context import Context
from xieshang.loans.schemas import PaymentCreate
from xieshang.loans.service import record_payment
from xieshang.models.customer import Customer
from xieshang.models.user import Role
from xieshang.negotiations import service
from xieshang.negotiations.schemas import NegotiationCreate
from xieshang.policy.document import default_text as load_policy_text
from xieshang.web.app import create_app
from xieshang.web.ui.pages.landing import DEMO_LOGINS

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def case_id(ctx: Context) -> int:
    factories.product(ctx)
    owner = factories.customer(ctx)
    loan = factories.loan(
        ctx, owner, principal="12000.00", annual_rate="12%", months=12, start_date=date(2025, 6, 1)
    )
    record_payment(ctx, loan.id, PaymentCreate(amount="1066.19", value_date=date(2025, 7, 1)))
    factories.user(ctx, Role.CUSTOMER, "page-customer", owner.id)
    agent = factories.user(ctx, Role.AGENT, "page-agent")
    factories.user(ctx, Role.AGENT, "page-agent2")
    ctx.session.commit()
    ctx.user = agent
    case = service.open_case(
        ctx,
        NegotiationCreate.model_validate(
            {
                "loan_id": loan.id,
                "as_of": "2026-06-20",
                "finances": {
                    "verified_income": "5000.00",
                    "stated_income": "5000.00",
                    "essential_expenses": "3300.00",
                    "other_debt_service": "600.00",
                },
                "new_debts_recent": 3,
                "request": {"scenario": "hardship", "hardship": "job_loss"},
            }
        ),
    )
    return case.id


def sign_in(client: TestClient, username: str, password: str = factories.PASSWORD) -> Response:
    """Sign in through the form, as a browser does (the form carries its own token)."""
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "next": "/app",
            "login_token": login_token(client),
        },
        follow_redirects=False,
    )
    if response.status_code == 303:
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie
    return response


def login_token(client: TestClient) -> str:
    found = re.search(r'name="login_token" value="([0-9a-f]+)"', client.get("/login").text)
    assert found is not None
    return found.group(1)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found is not None
    return found.group(1)


def test_pages_need_a_session_and_send_security_headers(client: TestClient) -> None:
    response = client.get("/app/queue", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/app/queue"
    page = client.get("/login")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store", "pages hold personal data"
    assert "camera=()" in page.headers["permissions-policy"]
    token = client.post("/api/v1/auth/token", data={"username": "nobody", "password": "x"})
    assert token.headers["cache-control"] == "no-store"
    assert "no-store" not in client.get("/static/app.css").headers.get("cache-control", "")
    assert re.findall(r"<script[^>]*>", page.text) == [
        '<script src="/static/htmx-2.0.11.min.js" defer>'
    ], "no inline script: only this site's files"
    wrong = sign_in(client, "nobody", "x")
    assert wrong.status_code == 401
    assert 'role="alert"' in wrong.text
    assert client.get("/login?next=//evil.example/").text.count("//evil.example") == 0


def test_a_note_with_markup_is_shown_as_text_never_run(
    client: TestClient, case_id: int, ctx: Context
) -> None:
    sign_in(client, "page-agent2")
    page = client.get(f"/app/negotiations/{case_id}")
    assert page.status_code == 200
    offer = re.search(r'action="(/app/negotiations/\d+/offers/\d+)/approve"', page.text)
    assert offer is not None
    forged = client.post(f"{offer.group(1)}/reject", data={"csrf": "0" * 40, "note": XSS})
    assert forged.status_code == 403, "no CSRF token, no change"
    done = client.post(f"{offer.group(1)}/reject", data={"csrf": csrf_of(page.text), "note": XSS})
    assert done.status_code == 200
    assert XSS not in done.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in done.text
    client.cookies.clear()
    sign_in(client, "page-customer")
    seen = client.get(f"/app/negotiations/{case_id}")
    assert "&lt;img src=x onerror=alert(1)&gt;" in seen.text
    assert "<img src=x" not in seen.text


def test_a_customer_sees_only_their_own_and_english_on_request(
    client: TestClient, case_id: int
) -> None:
    sign_in(client, "page-customer")
    home = client.get("/app")
    assert "今日应还" in home.text
    assert client.get("/app/loans/999999").status_code == 404
    english = client.get("/lang/en?next=/app")
    assert "Owed today" in english.text
    assert '<html lang="en">' in english.text
    queue = client.get("/app/queue")
    assert queue.status_code == 403


def test_compliance_sees_the_portfolio_with_charts_and_tables(
    client: TestClient, case_id: int, ctx: Context
) -> None:
    factories.user(ctx, Role.COMPLIANCE, "page-compliance")
    ctx.session.commit()
    sign_in(client, "page-compliance")
    home = client.get("/app")
    assert home.url.path == "/app/portfolio"
    assert home.text.count("<svg") == 2
    assert home.text.count("<table") == 3, "every chart has its table"
    api = client.get("/api/v1/reports/portfolio", headers={"Authorization": "Bearer x"})
    assert api.status_code == 401


def test_supervisors_see_deadlines_at_risk_and_what_each_person_did(
    client: TestClient, case_id: int, ctx: Context
) -> None:
    factories.user(ctx, Role.SUPERVISOR, "page-super")
    factories.user(ctx, Role.COMPLIANCE, "page-compliance")
    ctx.session.commit()
    sign_in(client, "page-agent2")
    page = client.get(f"/app/negotiations/{case_id}")
    offer = re.search(r'action="(/app/negotiations/\d+/offers/\d+)/approve"', page.text)
    assert offer is not None
    approved = client.post(f"{offer.group(1)}/approve", data={"csrf": csrf_of(page.text)})
    assert approved.status_code == 200
    client.cookies.clear()
    sign_in(client, "page-super")
    team = client.get("/app/team")
    assert team.status_code == 200
    table = team.text[team.text.index('id="quality-negotiations"') :]
    row = re.search(r"\(page-agent2\)</span></th>(.*?)</tr>", table, re.S)
    assert row is not None
    handled, approved_count = re.findall(r'<td class="num">(\d+)</td>', row.group(1))[:2]
    assert (handled, approved_count) == ("1", "1"), "one case handled, one offer approved"
    client.cookies.clear()
    sign_in(client, "page-compliance")
    audit = client.get("/app/audit")
    assert 'class="ok" id="audit-result"' in audit.text


def test_compliance_reviews_the_policy_history_and_a_draft(
    client: TestClient, case_id: int, ctx: Context
) -> None:
    factories.user(ctx, Role.COMPLIANCE, "page-compliance")
    ctx.session.commit()
    sign_in(client, "page-compliance")
    page = client.get("/app/policy")
    assert page.status_code == 200
    assert "2026.1" in page.text
    assert re.search(r'<td class="num">1</td>', page.text), "one decision under the policy in force"
    document = load_policy_text()
    draft = document.replace("offer_valid_days: 7 ", "offer_valid_days: 10 ").replace(
        'apr_cap: "0.24"', 'apr_cap: "1.50"'
    )
    review = client.post("/app/policy/review", data={"csrf": csrf_of(page.text), "draft": draft})
    assert "changed offer_valid_days: 7 → 10" in review.text
    problems = re.findall(r'<p class="problem" role="alert">([^<]*)</p>', review.text)
    assert any(p.startswith("regulatory") and "apr_cap" in p for p in problems), problems


def test_a_customer_asks_for_another_due_date_and_sees_that_offer(
    client: TestClient, case_id: int, ctx: Context
) -> None:
    owner = service.get_case(ctx, case_id).customer_id
    customer = ctx.session.get(Customer, owner)
    assert customer is not None
    current = factories.loan(ctx, customer, start_date=date(2026, 6, 1))  # first due 1 July
    ctx.session.commit()
    sign_in(client, "page-customer")
    home = client.get("/app")
    loan = re.search(rf'href="/app/loans/({current.id})/negotiate"', home.text)
    assert loan is not None, "the up-to-date loan is listed"
    form = client.get(f"/app/loans/{loan.group(1)}/negotiate")
    assert "对一笔收费有异议" in form.text
    answer = client.post(
        f"/app/loans/{loan.group(1)}/negotiate",
        data={
            "csrf": csrf_of(form.text),
            "hardship": "income_drop_temporary",
            "stated_income": "5000",
            "verified_income": "5000",
            "essential_expenses": "3300",
            "other_debt_service": "600",
            "preferred_due_day": "10",
        },
    )
    assert answer.status_code == 200
    assert "变更还款日" in answer.text
    bad = client.post(
        f"/app/loans/{loan.group(1)}/negotiate",
        data={"csrf": csrf_of(form.text), "hardship": "other", "stated_income": "abc",
              "verified_income": "1", "essential_expenses": "1", "other_debt_service": "1"},
    )  # fmt: skip
    assert 'role="alert"' in bad.text, "the form again, saying what was wrong"
    dispute = client.get("/app/complaints?about=charge&loan=L1")
    assert "贷款 L1 的收费有误" in dispute.text


def test_a_customer_says_the_hardship_will_last_and_asks_for_care(
    client: TestClient, case_id: int, ctx: Context
) -> None:
    """The form asks whether the hardship will last and, optionally, what calls for care; the
    answer then promises a specialist's call, and an unknown circumstance is refused in words."""
    owner = service.get_case(ctx, case_id).customer_id
    customer = ctx.session.get(Customer, owner)
    assert customer is not None
    other = factories.loan(ctx, customer, start_date=date(2026, 1, 15))
    ctx.session.commit()
    sign_in(client, "page-customer")
    form = client.get(f"/app/loans/{other.id}/negotiate")
    assert "这种困难预计会长期持续" in form.text
    assert 'value="serious_illness"' in form.text
    fields = {
        "csrf": csrf_of(form.text),
        "hardship": "job_loss",
        "stated_income": "3000",
        "verified_income": "3000",
        "essential_expenses": "2500",
        "other_debt_service": "0",
        "lasting": "yes",
    }
    bad = client.post(
        f"/app/loans/{other.id}/negotiate", data={**fields, "vulnerability": ["unlucky"]}
    )
    assert 'role="alert"' in bad.text
    assert "需要我们特别关照的情况（可选）：只能是" in bad.text, "named by its label, in Chinese"
    answer = client.post(
        f"/app/loans/{other.id}/negotiate",
        data={**fields, "vulnerability": ["serious_illness", "elderly"]},
    )
    assert answer.status_code == 200
    assert "专门的协商专员都会在" in answer.text
    opened = service.list_cases(ctx).items[0]
    snapshot_request = service.get_case(ctx, opened.id)
    assert snapshot_request.evaluation.reasons
    codes = {r.code for r in snapshot_request.evaluation.reasons}
    assert "VULNERABLE_CARE" in codes


def test_the_landing_page_says_where_each_user_starts(settings: Settings) -> None:
    """Every kind of user is told where to start; the demo adds its logins, a real bank never."""
    demo = create_app(settings.model_copy(update={"environment": Environment.DEMO}))
    with TestClient(demo) as client:
        page = client.get("/")
        english = client.get("/lang/en?next=/")
    assert page.status_code == 200
    assert "style=" not in page.text, "no inline style: the CSP would refuse it"
    for role in ("客户", "坐席", "主管", "合规", "管理员"):
        assert f">{role}</h3>" in page.text
    for name, _ in DEMO_LOGINS:
        assert f'href="/login?username={name}"' in page.text
    assert "xieshang-demo" in page.text
    assert "Where to start" in english.text
    with TestClient(create_app(settings)) as client:
        real = client.get("/")
        prefilled = client.get("/login?username=agent1")
    assert "xieshang-demo" not in real.text
    assert "customer1" not in real.text
    assert 'value="agent1"' in prefilled.text


def test_the_linter_answers_as_the_agent_types(client: TestClient, case_id: int) -> None:
    sign_in(client, "page-agent2")
    page = client.get(f"/app/negotiations/{case_id}")
    csrf = csrf_of(page.text)
    threat = client.post("/app/lint", data={"csrf": csrf, "note": "再不还钱就上门找你家人"})
    assert 'id="lint-findings"' in threat.text
    assert "LINT_THREAT" in threat.text
    clean = client.post("/app/lint", data={"csrf": csrf, "message": "您好，提醒您本期还款日。"})
    assert 'id="lint-ok"' in clean.text
    assert client.post("/app/lint", data={"csrf": csrf}).text.strip() == "", "nothing typed yet"
    assert client.post("/app/lint", data={"csrf": "0" * 40, "note": "x"}).status_code == 403
    client.cookies.clear()
    sign_in(client, "page-customer")
    customer = client.get("/app")
    mine = client.post("/app/lint", data={"csrf": csrf_of(customer.text), "note": "x"})
    assert mine.status_code == 403, "the linter is a staff tool"


def test_another_site_cannot_sign_a_browser_in(client: TestClient, ctx: Context) -> None:
    """Login CSRF: a sign-in post without the token of a form this site gave this browser is
    refused, even with the right password; the form then carries a fresh token."""
    factories.user(ctx, Role.AGENT, "page-csrf")
    ctx.session.commit()
    data = {"username": "page-csrf", "password": factories.PASSWORD, "next": "/app"}
    forged = client.post("/login", data=data, follow_redirects=False)
    assert forged.status_code == 403
    assert "登录表单已过期" in forged.text
    assert "xs_session" not in forged.headers.get("set-cookie", "")
    stolen = login_token(client)
    client.cookies.clear()  # a token from another browser's form: its cookie is not this one's
    other = client.post("/login", data=data | {"login_token": stolen}, follow_redirects=False)
    assert other.status_code == 403
    assert sign_in(client, "page-csrf").status_code == 303
