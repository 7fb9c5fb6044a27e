"""The customer's side of the web application: my agreements, the four situations of negotiating
(a charge disputed through the engine, another due date, an application, a service problem) and
forms that say what is wrong accessibly."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests import factories
from tests.customer_side import FINANCES, build_people
from tests.web.test_pages import csrf_of, sign_in
from xieshang.kit.context import Context
from xieshang.models.complaint import Complaint
from xieshang.models.negotiation import NegotiationCase
from xieshang.negotiations.offers import expire


@pytest.fixture
def people(ctx: Context) -> dict[str, int]:
    """Two customers with logins, loans to dispute and an agreement each (tests/customer_side.py)."""
    return build_people(ctx)


# -- the pages ----------------------------------------------------------------------------------


def test_my_agreements_list_and_detail_in_both_languages(
    client: TestClient, people: dict[str, int]
) -> None:
    sign_in(client, "cp-me")
    home = client.get("/app")
    assert 'href="/app/agreements"' in home.text
    page = client.get("/app/agreements")
    assert page.status_code == 200
    assert page.text.count('class="card agreement"') == 1
    assert "变更还款日" in page.text
    assert "履行中" in page.text
    assert "无附条件减免" in page.text
    assert "2026-07-10" in page.text, "the next installment due"
    detail = client.get(f"/app/agreements/{people['my_agreement']}")
    assert detail.status_code == 200
    assert 'data-mark="due"' in detail.text
    assert 'data-mark="upcoming"' in detail.text
    sha = re.search(r'id="terms-sha256">([0-9a-f]{64})<', detail.text)
    assert sha is not None
    assert "协商还款协议条款" in detail.text, "the terms text consented to"
    assert "网站" in detail.text
    assert client.get(f"/app/agreements/{people['their_agreement']}").status_code == 404
    assert client.get("/app/agreements/999999").status_code == 404

    client.get("/lang/en?next=/app/agreements")
    english = client.get("/app/agreements")
    assert "My agreements" in english.text
    assert "Due date change" in english.text
    assert "0 of " in english.text, "progress: payments kept of the total"
    detail = client.get(f"/app/agreements/{people['my_agreement']}")
    assert "Your consent" in detail.text
    assert "SHA-256 of the terms text" in detail.text


def test_the_negotiate_page_names_four_situations(
    client: TestClient, people: dict[str, int]
) -> None:
    sign_in(client, "cp-me")
    page = client.get(f"/app/loans/{people['lawful']}/negotiate")
    for anchor in ("situation-hardship", "situation-dispute", "situation-change"):
        assert f'id="{anchor}"' in page.text
    assert f'href="/app/loans/{people["lawful"]}/dispute"' in page.text
    assert f'href="/app/loans/{people["lawful"]}/change"' in page.text
    assert "/app/complaints?about=service&amp;loan=" in page.text
    service_problem = client.get("/app/complaints?about=service&loan=L1")
    assert "关于贷款 L1 的服务问题" in service_problem.text
    assert 'id="complaint-about"' in service_problem.text, "the situation explained"


def test_a_customer_disputes_an_overcharged_and_a_correct_charge(
    client: TestClient, people: dict[str, int], ctx: Context
) -> None:
    sign_in(client, "cp-me")
    form = client.get(f"/app/loans/{people['over']}/dispute")
    assert form.status_code == 200
    assert "<legend>您账单上的收费</legend>" in form.text
    assert 'value="1:penalty"' in form.text
    assert 'value="1:compound"' in form.text
    answer = client.post(
        f"/app/loans/{people['over']}/dispute",
        data={"csrf": csrf_of(form.text), "pick": ["1:penalty", "2:penalty"]},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    case_url = answer.headers["location"]
    case = client.get(case_url)
    assert 'id="dispute-result"' in case.text
    assert 'id="refund-due"' in case.text
    assert "我行多收了您" in case.text
    assert case.text.count('data-verdict="overcharged"') == 2
    assert "罚息年利率" in case.text, "the formula"
    assert 'id="compliance-flags"' in case.text
    assert "银发〔2003〕251号" in case.text
    case_id = case_url.rsplit("/", 1)[1]
    complain = re.search(r'id="dispute-complain" href="([^"]+)"', case.text)
    assert complain is not None
    assert "申请退还 ¥" in case.text, "an overcharge is claimed, not promised"
    prefilled = client.get(complain.group(1).replace("&amp;", "&"))
    assert f"协商案件 #{case_id}" in prefilled.text
    refund = re.search(r"请退还多收的 (¥[\d,.]+)", prefilled.text)
    assert refund is not None, "the amount comes from the case, not the address"
    assert refund.group(1) in case.text
    assert f'name="loan_id" value="{people["over"]}"' in prefilled.text
    claimed = client.post(
        "/app/complaints",
        data={
            "csrf": csrf_of(prefilled.text),
            "text": f"请退还多收的 {refund.group(1)}（协商案件 #{case_id}）",
            "loan_id": str(people["over"]),
        },
        follow_redirects=False,
    )
    assert claimed.status_code == 303, "registered as a complaint, on the regulatory clock"
    complaint = ctx.session.get(Complaint, int(claimed.headers["location"].rsplit("/", 1)[1]))
    assert complaint is not None
    assert complaint.loan_id == people["over"]
    foreign = client.post(
        "/app/complaints",
        data={"csrf": csrf_of(prefilled.text), "text": "x退款", "loan_id": str(people["theirs"])},
    )
    assert 'role="alert"' in foreign.text, "never filed against someone else's loan"
    assert ctx.session.scalar(select(func.count()).select_from(Complaint)) == 1

    client.get("/lang/en?next=/app")
    english = client.get(case_url)
    assert "We charged you too much by" in english.text
    assert "penalty rate" in english.text, "the formula in English"
    assert "Claim the refund of ¥" in english.text

    form = client.get(f"/app/loans/{people['lawful']}/dispute")
    answer = client.post(
        f"/app/loans/{people['lawful']}/dispute",
        data={"csrf": csrf_of(form.text), "pick": "1:penalty"},
    )
    assert answer.status_code == 200
    assert 'id="no-refund"' in answer.text
    assert 'id="refund-due"' not in answer.text
    assert 'data-verdict="correct"' in answer.text
    assert "Not satisfied? File a complaint" in answer.text

    # Amounts the customer entered from a bill they hold: the first installment's interest is
    # ¥120.00 (¥12,000 at 12 % for a month); a bill saying ¥150.00 overcharged it by ¥30.00.
    for amount, verdict in (("120.00", "correct"), ("150.00", "overcharged")):
        typed = client.post(
            f"/app/loans/{people['lawful']}/dispute",
            data={
                "csrf": csrf_of(form.text),
                "installment": "1",
                "component": "interest",
                "amount": amount,
            },
        )
        assert f'data-verdict="{verdict}"' in typed.text
    assert "¥30.00" in typed.text


def test_dispute_errors_are_announced_and_mark_the_input(
    client: TestClient, people: dict[str, int]
) -> None:
    sign_in(client, "cp-me")
    url = f"/app/loans/{people['lawful']}/dispute"
    form = client.get(url)
    nothing = client.post(url, data={"csrf": csrf_of(form.text)})
    assert nothing.status_code == 200
    assert '<p class="problem" role="alert" id="form-problem">' in nothing.text
    assert re.search(r'<fieldset class="choose" id="charges" aria-invalid="true"', nothing.text)
    bad = client.post(
        url,
        data={
            "csrf": csrf_of(form.text),
            "installment": "1",
            "component": "penalty",
            "amount": "12.345",
        },
    )
    assert 'role="alert"' in bad.text
    amount = re.search(r'<input id="amount"[^>]*>', bad.text)
    assert amount is not None
    assert 'aria-invalid="true"' in amount.group(0)
    assert 'aria-describedby="form-problem"' in amount.group(0)
    assert 'value="12.345"' in amount.group(0), "the value is kept"
    assert re.search(r'<option value="1" selected>', bad.text)


def test_changing_the_due_date_and_why_an_application_is_not_changed_here(
    client: TestClient, people: dict[str, int]
) -> None:
    sign_in(client, "cp-me")
    url = f"/app/loans/{people['lawful']}/change"
    form = client.get(url)
    assert "换一个还款日" in form.text
    assert "更长的期限" in form.text
    assert "不能由您在这里调整申请" in form.text
    assert 'href="/app/complaints?about=application&amp;loan=' in form.text
    overdue = client.post(
        url, data={"csrf": csrf_of(form.text), "preferred_due_day": "25"} | FINANCES
    )
    assert overdue.status_code == 200
    assert 'data-offer="due_date"' not in overdue.text, "moving an overdue loan's dates is a plan"
    assert "逾期时不能只改还款日" in overdue.text
    current = f"/app/loans/{people['fresh']}/change"
    form = client.get(current)
    answer = client.post(
        current, data={"csrf": csrf_of(form.text), "preferred_due_day": "25"} | FINANCES
    )
    assert answer.status_code == 200
    assert 'data-offer="due_date"' in answer.text
    wrong = client.post(
        url, data={"csrf": csrf_of(form.text), "preferred_due_day": "31"} | FINANCES
    )
    assert 'role="alert"' in wrong.text
    day = re.search(r'<input id="preferred_due_day"[^>]*>', wrong.text)
    assert day is not None
    assert 'aria-invalid="true"' in day.group(0)
    assert 'value="31"' in day.group(0)
    assert "form-problem" in day.group(0)
    loan_no = re.search(r"about=application&amp;loan=([A-Z0-9]+)", form.text)
    assert loan_no is not None
    request = client.get(f"/app/complaints?about=application&loan={loan_no.group(1)}")
    assert f"请求重新审核贷款 {loan_no.group(1)} 的审批决定" in request.text

    client.get("/lang/en?next=/app")
    english = client.get(url)
    assert "You cannot change an application from a loan already paid out" in english.text
    assert "Another due date" in english.text


def test_an_offer_card_shows_each_phase_and_keeps_the_banks_reckoning_for_staff(
    client: TestClient, people: dict[str, int]
) -> None:
    """Five months unpaid after an illness on a low income: each card lists its payments phase by
    phase with the total repaid, the interest and the current payment; the customer reads no NPV
    and no authority limits, which staff still see on the same case."""
    sign_in(client, "cp-me")
    url = f"/app/loans/{people['lawful']}/negotiate"
    form = client.get(url)
    low = FINANCES | {"verified_income": "3500.00", "stated_income": "3500.00",
                      "essential_expenses": "2600.00", "other_debt_service": "0"}  # fmt: skip
    answer = client.post(url, data={"csrf": csrf_of(form.text), "hardship": "illness"} | low)
    assert answer.status_code == 200
    assert "还款安排" in answer.text
    assert re.search(r"\d+ 期，每期 ¥[\d,]+\.\d\d（\d{4}-\d\d-\d\d 至", answer.text)
    assert "共需还款" in answer.text
    assert "其中利息" in answer.text
    assert "当前合同月供" in answer.text
    assert "方案预期回收现值" not in answer.text, "the NPV test is the bank's own"
    assert "审批" in answer.text
    assert "专员权限" not in answer.text
    case_url = str(answer.url)
    sign_in(client, "cp-agent")
    staff = client.get(case_url)
    assert "方案预期回收现值" in staff.text


def test_a_customer_proposes_asks_for_a_call_and_declines_on_the_case_page(
    client: TestClient, people: dict[str, int]
) -> None:
    """On the case page the customer says what they can pay and reads the engine's answer in words;
    a nonsense amount is refused in Chinese and changes nothing; they ask a specialist to call and
    read the day it is due by; then they decline what is offered."""
    sign_in(client, "cp-me")
    url = f"/app/loans/{people['lawful']}/negotiate"
    form = client.get(url)
    low = FINANCES | {"verified_income": "3500.00", "stated_income": "3500.00",
                      "essential_expenses": "2600.00", "other_debt_service": "0"}  # fmt: skip
    case_page = client.post(url, data={"csrf": csrf_of(form.text), "hardship": "illness"} | low)
    case_url = str(case_page.url)
    assert 'id="what-if-range"' in case_page.text
    token = csrf_of(case_page.text)
    for bad in ("-5", "abc", "1" * 30):
        refused = client.post(f"{case_url}/propose", data={"csrf": token, "monthly_payment": bad})
        assert refused.status_code == 200
        assert 'id="propose-problem"' in refused.text
        assert "Traceback" not in refused.text
    assert 'id="proposal-answer"' not in client.get(case_url).text, "nothing was proposed"
    answered = client.post(f"{case_url}/propose", data={"csrf": token, "monthly_payment": "300"})
    assert 'id="proposal-answer"' in answered.text
    assert "关于您提出的方案" in answered.text or "您提出的方案可以同意" in answered.text
    assert "专员权限" not in answered.text
    if 'id="call-me-form"' in answered.text:
        called = client.post(f"{case_url}/call-me", data={"csrf": token})
        assert 'id="callback-due"' in called.text
        assert 'id="call-me-form"' not in called.text
    declined = client.post(f"{case_url}/decline", data={"csrf": token, "note": "想再考虑"})
    assert 'id="talk"' not in declined.text, "a declined case has nothing more to say"


def test_an_expired_offer_says_so_in_the_customers_language(
    client: TestClient, people: dict[str, int], ctx: Context
) -> None:
    """The note the system writes when an offer expires reads in Chinese, and in English when
    chosen — never the internal English note."""
    sign_in(client, "cp-me")
    url = f"/app/loans/{people['lawful']}/negotiate"
    form = client.get(url)
    opened = client.post(url, data={"csrf": csrf_of(form.text), "hardship": "illness"} | FINANCES)
    case_id = int(str(opened.url).rsplit("/", 1)[1])
    case = ctx.session.get(NegotiationCase, case_id)
    assert case is not None
    assert expire(ctx, case, date(2099, 1, 1)) > 0
    ctx.session.commit()
    page = client.get(f"/app/negotiations/{case_id}")
    assert "有效期内未接受，已失效" in page.text
    assert "not accepted in time" not in page.text
    client.get(f"/lang/en?next=/app/negotiations/{case_id}")
    assert "Not accepted in time: it has expired" in client.get(f"/app/negotiations/{case_id}").text


def test_the_hardship_form_marks_what_is_wrong_and_keeps_the_values(
    client: TestClient, people: dict[str, int]
) -> None:
    sign_in(client, "cp-me")
    url = f"/app/loans/{people['lawful']}/negotiate"
    form = client.get(url)
    bad = client.post(
        url,
        data={"csrf": csrf_of(form.text), "hardship": "illness"}
        | FINANCES
        | {"essential_expenses": "lots"},
    )
    assert 'role="alert" id="form-problem"' in bad.text
    field = re.search(r'<input id="essential_expenses"[^>]*>', bad.text)
    assert field is not None
    assert 'aria-invalid="true"' in field.group(0)
    assert 'value="lots"' in field.group(0)
    assert '<option value="illness" selected>' in bad.text
    other = re.search(r'<input id="stated_income"[^>]*>', bad.text)
    assert other is not None
    assert "aria-invalid" not in other.group(0)


def test_complaint_and_survey_errors_are_accessible(
    client: TestClient, people: dict[str, int], ctx: Context
) -> None:
    from xieshang.feedback.service import invite_after_negotiation

    invitation = invite_after_negotiation(ctx, people["me"], 1)
    ctx.session.commit()
    sign_in(client, "cp-me")
    page = client.get("/app/complaints")
    empty = client.post("/app/complaints", data={"csrf": csrf_of(page.text), "text": "  "})
    assert 'role="alert" id="form-problem"' in empty.text
    text = re.search(r"<textarea id=\"complaint-text\"[^>]*>", empty.text)
    assert text is not None
    assert 'aria-invalid="true"' in text.group(0)

    surveys = client.get("/app/surveys")
    assert invitation is not None
    blank = client.post(
        f"/app/surveys/{invitation.id}", data={"csrf": csrf_of(surveys.text), "csat": "9"}
    )
    assert f'role="alert" id="problem-{invitation.id}"' in blank.text
    radios = re.findall(r'<input type="radio" name="csat"[^>]*>', blank.text)
    assert radios
    assert all('aria-invalid="true"' in r for r in radios)
    assert all(f'aria-describedby="problem-{invitation.id}"' in r for r in radios)


def test_form_problems_are_said_in_chinese_by_default_and_in_english_when_chosen(
    client: TestClient, people: dict[str, int]
) -> None:
    """A form validated by pydantic (the due day out of range, text for a number) and refused by a
    service (no charge chosen) says so in the page's language, through the catalogues."""
    sign_in(client, "cp-me")

    def problems(url: str, data: dict[str, str]) -> list[str]:
        form = client.get(url)
        answer = client.post(url, data={"csrf": csrf_of(form.text)} | data)
        return re.findall(r'<p class="problem" role="alert"[^>]*>([^<]*)<', answer.text)

    change = f"/app/loans/{people['lawful']}/change"
    dispute = f"/app/loans/{people['lawful']}/dispute"
    wrong_day = {"preferred_due_day": "31"} | FINANCES
    not_a_number = {"installment": "abc", "component": "penalty", "amount": "1"}
    assert problems(change, wrong_day) == ["希望的每月还款日（1–28，可选）：不能大于 28"]
    assert problems(dispute, not_a_number) == ["期次：请填写整数"]
    assert problems(dispute, {}) == [
        "要核查的收费：请从账单中选择一笔收费，或填写您被收取的一笔费用"
    ]
    expired = client.post(dispute, data={})  # FastAPI's own check, on the error page
    assert expired.status_code == 422
    assert "表单安全码（请刷新页面后重新提交）：必填" in expired.text

    client.get("/lang/en?next=/app")
    assert problems(change, wrong_day) == [
        "preferred_due_day: Input should be less than or equal to 28"
    ]
    assert problems(dispute, not_a_number) == ["installment: Input should be a valid integer"]
    assert problems(dispute, {}) == [
        "pick: choose a charge from your bill, or enter one you were charged"
    ]
    assert "csrf: Field required" in client.post(dispute, data={}).text


# -- the API ------------------------------------------------------------------------------------


def _bearer(client: TestClient, username: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token", data={"username": username, "password": factories.PASSWORD}
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_the_agreements_api(client: TestClient, people: dict[str, int]) -> None:
    me = _bearer(client, "cp-me")
    mine = client.get("/api/v1/agreements", headers=me)
    assert mine.status_code == 200
    body = mine.json()
    assert body["total"] == 1
    assert body["items"][0]["id"] == people["my_agreement"]
    assert body["items"][0]["next_due"] == {
        "n": 1,
        "due_date": "2026-07-10",
        "amount": body["items"][0]["next_due"]["amount"],
    }
    one = client.get(f"/api/v1/agreements/{people['my_agreement']}", headers=me).json()
    assert one["terms_language"] == "zh"
    assert len(one["terms_sha256"]) == 64
    assert one["installments"][0]["mark"] == "due"
    foreign = client.get(f"/api/v1/agreements/{people['their_agreement']}", headers=me)
    assert foreign.status_code == 404
    assert client.get("/api/v1/agreements?customer_id=999", headers=me).json()["total"] == 1, (
        "a customer's list is their own whatever they ask"
    )
    agent = _bearer(client, "cp-agent")
    theirs = client.get(f"/api/v1/agreements/{people['their_agreement']}", headers=agent)
    assert theirs.status_code == 200
    filtered = client.get(f"/api/v1/agreements?customer_id={people['me']}", headers=agent)
    assert [a["id"] for a in filtered.json()["items"]] == [people["my_agreement"]]
    assert client.get("/api/v1/agreements/0", headers=agent).status_code == 422
    assert client.get("/api/v1/agreements/999999", headers=agent).status_code == 404
