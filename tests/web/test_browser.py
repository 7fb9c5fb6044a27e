"""The web application in a real headless Chromium (Debian's, driven by Playwright): a customer
signs in, reads a loan's breakdown, negotiates, accepts with consent and sees the new schedule;
an agent approves an offer waiting in the queue; switching to English works; the browser console
stays clean."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import Engine

from tests import factories
from tests.browser import PHONE, launched, sign_in, skip_without_chromium, watched_page
from tests.concurrency.world import CLOCK, CUSTOMER, ready_to_accept, settings_for
from tests.served import in_thread
from xieshang.feedback import service as surveys
from xieshang.feedback.schemas import CampaignCreate
from xieshang.jobs import close_of_business
from xieshang.kit.context import Context, make_cipher
from xieshang.kit.db import session_factory
from xieshang.models.customer import Customer
from xieshang.models.user import Role
from xieshang.negotiations import service
from xieshang.negotiations.schemas import AdjustIn, NegotiationCreate
from xieshang.policy.document import default_text
from xieshang.web.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a served app and Chromium: seconds each

skip_without_chromium()

COMPLAINT = '催收员晚上十一点打电话骚扰我，还打给我的同事。<script>alert("x")</script>'
AXE = Path(__file__).with_name("vendor") / "axe-4.14.1.min.js"
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "guide" / "screenshots"


@pytest.fixture
def site(committed_engine: Engine) -> Iterator[tuple[str, int, int]]:
    """The served app; a case waiting for an agent; and a second loan of the customer's, up to date
    (its due date may be moved, unlike the overdue one's)."""
    url = committed_engine.url.render_as_string(hide_password=False)
    settings = settings_for(url)
    ready = ready_to_accept(committed_engine)
    with session_factory(committed_engine)() as session:  # a case waiting for an agent
        ctx = Context(session, settings, make_cipher(settings), CLOCK)
        agent = factories.user(ctx, Role.AGENT, "web-agent")
        factories.user(ctx, Role.AGENT, "web-agent2")
        factories.user(ctx, Role.COMPLIANCE, "web-compliance")
        factories.user(ctx, Role.ADMIN, "web-admin")
        supervisor = factories.user(ctx, Role.SUPERVISOR, "web-super")
        session.commit()
        ctx.user = supervisor
        customer_id = service.get_case(ctx, ready.case_id).customer_id
        owner = session.get(Customer, customer_id)
        assert owner is not None
        current = factories.loan(ctx, owner, start_date=CLOCK.now().date() - timedelta(days=10))
        surveys.create_campaign(ctx, CampaignCreate(name="2025 Q4", customer_ids=[customer_id]))
        ctx.user = agent
        case = service.open_case(
            ctx,
            NegotiationCreate.model_validate(
                {
                    "loan_id": ready.loan_id,
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
        # beyond an agent's authority (a 5-point rate cut): escalated to a supervisor
        service.adjust(ctx, case.id, AdjustIn(months=24, annual_rate="0.07"))
    close_of_business.run(
        session_factory(committed_engine), settings, CLOCK.now().date(), clock=CLOCK
    )
    with in_thread(create_app(settings, CLOCK)) as base:
        yield base, case.id, current.id


def fill_finances(page: Page, *, income: str, essentials: str, other_debt: str) -> None:
    """The form's monthly finances, income verified in full."""
    for field, value in (
        ("#stated_income", income),
        ("#verified_income", income),
        ("#essential_expenses", essentials),
        ("#other_debt_service", other_debt),
    ):
        page.fill(field, value)


@pytest.fixture
def browser() -> Iterator[Browser]:
    with launched() as chromium:
        yield chromium


def test_a_customer_negotiates_and_accepts_and_an_agent_approves(
    site: tuple[str, int, int], browser: Browser
) -> None:
    base, waiting_case, _ = site
    problems: list[str] = []
    page = watched_page(browser, problems)
    sign_in(page, base, CUSTOMER)
    page.wait_for_url(f"{base}/app")
    owed = page.locator("table.owed").first
    assert "罚息" in owed.inner_text()
    page.screenshot(path=str(SHOTS / "customer-home.png"), full_page=True)

    page.click("text=申请协商")
    page.select_option("#hardship", "income_drop_temporary")
    fill_finances(page, income="5000", essentials="3300", other_debt="600")
    page.click("main button[type=submit]")
    page.wait_for_url("**/app/negotiations/*")
    offers = page.locator("section.offer")
    assert offers.count() >= 1
    page.wait_for_selector("#what-if-answer")  # the slider's first answer, fetched by htmx
    slider = page.locator("#what-if-payment")
    first = page.inner_text("#what-if-answer")
    slider.focus()
    for _ in range(8):
        slider.press("ArrowRight")  # the keyboard moves the slider, as for any user
    page.wait_for_function(
        "t => document.querySelector('#what-if-answer').innerText !== t", arg=first
    )
    assert page.inner_text("#what-if-answer") != first
    page.screenshot(path=str(SHOTS / "customer-offers.png"), full_page=True)
    page.locator("a.button").first.click()
    assert "如未按期还款" in page.locator("pre.terms").inner_text()
    page.click("#accept")  # without consent: refused
    page.wait_for_selector("[role=alert]")  # the refusal is a new page: wait for it to load
    assert page.locator("[role=alert]").count() == 1
    page.check("#consent")
    page.click("#accept")
    page.wait_for_url("**/app/loans/*")
    assert page.locator("#schedule tbody tr").count() >= 6
    assert "协议履行中" in page.inner_text("main")
    page.screenshot(path=str(SHOTS / "customer-new-schedule.png"), full_page=True)

    page.click("#lang-switch")
    assert "Schedule" in page.inner_text("main")
    assert page.get_attribute("html", "lang") == "en"
    page.click("#lang-switch")  # back to 中文

    # The customer files a complaint (with markup an attacker might try) and sees its due date.
    page.goto(f"{base}/app/complaints")
    page.fill("#complaint-text", COMPLAINT)
    page.click("main button[type=submit]")
    page.wait_for_url("**/app/complaints/*")
    due = page.inner_text("#decision-due")
    assert due == "2025-12-05", "15 days from 20 November, the day of receipt not counted"
    complaint_url = page.url
    page.screenshot(path=str(SHOTS / "customer-complaint.png"), full_page=True)

    agent = watched_page(browser, problems)
    sign_in(agent, base, "web-agent2")
    agent.wait_for_url(f"{base}/app/queue")
    agent.click(f"text=#{waiting_case}")
    agent.screenshot(path=str(SHOTS / "agent-case.png"), full_page=True)
    plan = agent.locator("section.offer", has_text="困难还款计划")
    plan.locator("form[action$='/approve'] button").click()
    agent.wait_for_load_state()
    assert "已批准" in agent.locator("section.offer", has_text="困难还款计划").inner_text()
    # Contacts are checked against the conduct rules first; each refusal names its rule.
    agent.click("text=联系记录")
    agent.click("#contact-submit")  # a collection call while the customer's agreement is kept
    assert "CONDUCT_PLAN_PERFORMING" in agent.inner_text("#contact-refused")
    agent.select_option("#contact-purpose", "service")
    agent.select_option("#contact-party", "unrelated")
    agent.click("#contact-submit")
    assert "CONDUCT_THIRD_PARTY" in agent.inner_text("#contact-refused")
    agent.select_option("#contact-party", "debtor")
    agent.fill("#contact-message", "再不还钱就上门找你家人")
    agent.click("#contact-submit")
    assert "LINT_THREAT" in agent.inner_text("#contact-refused")
    agent.fill("#contact-message", "您好，提醒您本期还款日为12月20日。")
    agent.click("#contact-submit")
    agent.wait_for_load_state()
    assert "提醒您本期还款日" in agent.inner_text("table")
    agent.screenshot(path=str(SHOTS / "agent-contacts.png"), full_page=True)
    agent.goto(f"{base}/app/negotiations/{waiting_case}")
    # The agent shapes a plan; the engine's verdict appears as the fields change.
    agent.fill("#adj-months", "30")
    agent.fill("#adj-rate", "0.12")
    agent.locator("#adj-rate").dispatch_event("change")
    agent.wait_for_selector("#adjust-verdict")
    assert "× 30" in agent.inner_text("#adjust-verdict")
    agent.fill("#adj-rate", "0.30")
    agent.locator("#adj-rate").dispatch_event("change")
    agent.wait_for_function(
        "() => document.querySelector('#adjust-verdict').innerText.includes('all-in annual cost above the cap')"
    )
    agent.fill("#adj-rate", "0.12")
    agent.click("#adjust-submit")
    agent.wait_for_load_state()
    assert agent.locator("section.offer", has_text="调整后的方案").count() >= 1

    # The agent finds the complaint in the queue and answers; the linter stops a threat first.
    agent.click("text=投诉处理队列")
    agent.click(f"a[href='{complaint_url.removeprefix(base)}']")
    assert agent.locator("blockquote.complaint-text").inner_text() == COMPLAINT  # shown, not run
    agent.click("#acknowledge")
    agent.fill("#reply", "再不还钱就上门找你家人")
    agent.wait_for_selector("#lint-findings")  # the linter answers as the agent types
    assert "LINT_THREAT" in agent.inner_text("#reply-lint")
    agent.click("#send-reply")
    assert "LINT_THREAT" in agent.inner_text("main")
    agent.fill("#reply", "您好，我们已核实扣款记录，将在三个工作日内退还重复收取的费用。")
    agent.click("#send-reply")
    agent.wait_for_load_state()
    agent.screenshot(path=str(SHOTS / "agent-complaint.png"), full_page=True)
    page.goto(complaint_url)
    assert "将在三个工作日内退还" in page.inner_text("ol.timeline")

    # A supervisor approves the escalated plan the agent could not.
    boss = watched_page(browser, problems)
    sign_in(boss, base, "web-super")
    boss.wait_for_url(f"{base}/app/queue")
    boss.click(f"text=#{waiting_case}")
    escalated = boss.locator("section.offer", has_text="调整后的方案").filter(has_text="主管")
    escalated.locator("form[action$='/approve'] button").click()
    boss.wait_for_load_state()
    approved = boss.locator("section.offer", has_text="调整后的方案").filter(has_text="主管")
    assert "已批准" in approved.inner_text()
    boss.screenshot(path=str(SHOTS / "supervisor-approval.png"), full_page=True)

    # The customer reads the agreement's notice in their messages.
    page.goto(f"{base}/app/inbox")
    assert "还款协议已生效" in page.inner_text("main")
    unread = page.locator("article.unread").count()
    page.locator("article.unread form button").first.click()
    page.wait_for_url(f"{base}/app/inbox")
    assert page.locator("article.unread").count() == unread - 1

    # The customer answers a survey.
    page.goto(f"{base}/app/surveys")
    page.locator("input[name=csat][value='5']").check()
    page.locator("input[name=nps][value='9']").check()
    page.locator("textarea[name=comment]").fill("处理得很快，谢谢")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/app/surveys?thanks=1")
    assert page.locator("[role=status]").count() == 1

    compliance = watched_page(browser, problems)
    sign_in(compliance, base, "web-compliance")
    compliance.wait_for_url(f"{base}/app/portfolio")
    assert compliance.locator("svg.bars").count() == 3, "buckets, classes, this month's complaints"
    assert "催收行为" in (compliance.text_content("#complaints-title + svg") or "")
    assert "关注" in compliance.inner_text("main")
    compliance.screenshot(path=str(SHOTS / "compliance-portfolio.png"), full_page=True)
    with compliance.expect_download() as download:
        compliance.click("#export-xlsx")
    saved = download.value.path()
    assert saved is not None
    assert saved.read_bytes()[:2] == b"PK", "an XLSX file (a zip)"
    assert problems == [], problems


def test_disputes_agreements_the_workbench_and_oversight(
    site: tuple[str, int, int], browser: Browser
) -> None:
    """A customer disputes a charge and claims the refund, moves a due date and reads the
    agreement; an agent works the worklist, the customer's picture and the engine's reasons,
    escalates, and answers from a template; a supervisor sees the escalation and the team's
    quality; compliance reads the statistics and proposes a policy an administrator approves."""
    base, waiting_case, current_loan = site
    problems: list[str] = []
    page = watched_page(browser, problems)
    sign_in(page, base, CUSTOMER)
    page.wait_for_url(f"{base}/app")
    page.click("text=申请协商")
    page.click("#situation-dispute")
    page.click("#dispute-submit")  # nothing chosen: said, and the choices marked
    assert page.get_attribute("#charges", "aria-invalid") == "true"
    page.locator("input[name=pick]").first.check()
    page.click("#dispute-submit")
    page.wait_for_url("**/app/negotiations/*")
    assert page.locator("#dispute-lines tr[data-verdict]").count() >= 1
    page.screenshot(path=str(SHOTS / "customer-dispute.png"), full_page=True)
    page.click("#dispute-complain")
    assert "#" in page.input_value("#complaint-text")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/app/complaints/*")
    assert page.inner_text("#decision-due") == "2025-12-05"
    claim_url = page.url

    page.goto(f"{base}/app")  # the overdue loan's due date cannot simply be moved: said
    page.click("text=申请协商")
    page.click("#situation-change")
    page.fill("#preferred_due_day", "10")
    fill_finances(page, income="9000", essentials="3000", other_debt="0")
    page.click("#change-submit")
    page.wait_for_url("**/app/negotiations/*")
    assert page.locator("section.offer[data-offer=due_date]").count() == 0
    assert "逾期时不能只改还款日" in page.inner_text("main")

    # a change of due date on the loan that is up to date, through the engine's due-date offer
    page.goto(f"{base}/app/loans/{current_loan}/negotiate")
    page.click("#situation-change")
    page.fill("#preferred_due_day", "31")
    fill_finances(page, income="9000", essentials="3000", other_debt="0")
    page.click("#change-submit")
    assert page.get_attribute("#preferred_due_day", "aria-invalid") == "true"
    page.fill("#preferred_due_day", "10")
    page.click("#change-submit")
    page.wait_for_url("**/app/negotiations/*")
    page.locator("section.offer[data-offer=due_date] a.button").click()
    page.check("#consent")
    page.click("#accept")
    page.wait_for_url("**/app/loans/*")
    page.goto(f"{base}/app/agreements")
    assert page.locator("section.card.agreement").count() == 1
    page.screenshot(path=str(SHOTS / "customer-agreements.png"), full_page=True)
    page.click("text=查看协议")
    page.wait_for_selector("#agreement-schedule")
    assert page.locator("#agreement-schedule tr[data-mark]").count() >= 1
    assert len(page.inner_text("#terms-sha256")) == 64

    agent = watched_page(browser, problems)
    sign_in(agent, base, "web-agent2")
    agent.wait_for_url(f"{base}/app/queue")
    assert agent.locator("#queue-complaints tr[data-complaint]").count() >= 1
    agent.screenshot(path=str(SHOTS / "agent-worklist.png"), full_page=True)
    agent.click(f"#queue-cases tr[data-case='{waiting_case}'] a")
    assert "****" in agent.inner_text("#customer-phone"), "masked"
    assert agent.locator("[id^=recommended-]").count() == 1
    assert agent.locator("#engine-reasons li").count() >= 1
    assert agent.locator("#ledger-transactions tbody tr").count() >= 1
    offer = agent.locator("section.offer", has_text="困难还款计划")
    offer.locator("details summary", has_text="提交主管").click()
    offer.locator("[id^=esc-reason-]").select_option("suspected_fraud")
    offer.locator("[id^=esc-note-]").fill("收入证明与流水不符")
    offer.locator("[id^=escalate-]").click()
    agent.wait_for_load_state()
    assert "疑似欺诈" in agent.inner_text("main")
    agent.screenshot(path=str(SHOTS / "agent-case-workbench.png"), full_page=True)
    agent.goto(claim_url)
    agent.select_option("#template", "acknowledgement")
    agent.wait_for_function("() => document.querySelector('#reply').value.includes('编号')")
    agent.click("#send-reply")
    agent.wait_for_load_state()
    assert "编号" in agent.inner_text("ol.timeline")

    boss = watched_page(browser, problems)
    sign_in(boss, base, "web-super")
    boss.wait_for_url(f"{base}/app/queue")
    assert "疑似欺诈" in boss.inner_text(f"#queue-cases tr[data-case='{waiting_case}']")
    boss.goto(f"{base}/app/team")
    assert boss.locator("#quality-negotiations tbody th").count() >= 1
    boss.screenshot(path=str(SHOTS / "supervisor-team.png"), full_page=True)

    officer = watched_page(browser, problems)
    sign_in(officer, base, "web-compliance")
    officer.wait_for_url(f"{base}/app/portfolio")
    officer.goto(f"{base}/app/reports/complaints")
    assert officer.locator("svg.bars").count() >= 3
    officer.screenshot(path=str(SHOTS / "compliance-statistics.png"), full_page=True)
    with officer.expect_download() as download:
        officer.click("#stats-csv")
    assert download.value.suggested_filename.endswith(".csv")
    officer.goto(f"{base}/app/policy")
    draft = (
        default_text()
        .replace('version: "2026.1"', 'version: "2026.3"')
        .replace("effective_from: 2026-01-01", "effective_from: 2026-02-01")
        .replace('max_waiver: "2000.00"', 'max_waiver: "3000.00"', 1)
    )
    officer.fill("#draft", draft)
    officer.click("#review-draft")
    assert officer.locator("#policy-changes li").count() >= 1
    officer.fill("#propose-note", "坐席减免权限调整（演示）")
    officer.click("#propose-draft")
    officer.wait_for_load_state()
    assert officer.locator("#policy-pending").count() == 1, officer.inner_text("[role=alert]")
    assert officer.locator("#policy-pending [id^=approve-]").count() == 0, "four eyes"

    admin = watched_page(browser, problems)
    sign_in(admin, base, "web-admin")
    admin.wait_for_url(f"{base}/app/admin")
    admin.goto(f"{base}/app/policy")
    admin.locator("#policy-pending [id^=approve-]").first.click()
    admin.wait_for_load_state()
    assert "2026.3" in admin.inner_text("#policy-versions"), "approved, in force from 1 February"
    assert admin.locator("#line-diff tr.diff-added").count() >= 1
    admin.screenshot(path=str(SHOTS / "compliance-policy.png"), full_page=True)
    admin.click("#lang-switch")
    assert "policy" in admin.inner_text("main").lower()
    assert problems == [], problems


def _axe(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page (run through DevTools, so the
    page's Content-Security-Policy does not have to allow it), and whether the page is wider than
    the phone it is shown on (a wide table must scroll inside its own region)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = [f"wider than the phone: {width} px"] if width > PHONE["width"] else []
    if "<" in page.title():
        wide.append(f"markup in the title: {page.title()[:60]}")
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    found: list[dict[str, object]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"""
    )
    return wide + [f"{v['id']} ({v['impact']}): {v['nodes']}" for v in found]


def test_the_main_pages_pass_an_accessibility_check(
    site: tuple[str, int, int], browser: Browser
) -> None:
    base, waiting_case, _ = site
    problems: list[str] = []
    page = watched_page(browser, problems)
    page.goto(f"{base}/")
    violations = {"/": _axe(page)}
    page.goto(f"{base}/login")
    violations["/login"] = _axe(page)
    page.evaluate("document.querySelector('label[for=username]').remove()")
    assert any(v.startswith("label ") for v in _axe(page)), "the check finds a missing label"
    page.goto(f"{base}/login")
    sign_in(page, base, CUSTOMER)
    page.wait_for_url(f"{base}/app")
    customer_pages = (
        "/app",
        "/app/loans/1",
        f"/app/negotiations/{waiting_case}",
        "/app/complaints",
        "/app/inbox",
        "/app/surveys",
        "/app/agreements",
        "/app/loans/1/negotiate",
        "/app/loans/1/dispute",
        "/app/loans/1/change",
        "/app/account",
    )
    for path in customer_pages:
        page.goto(base + path)
        violations[path] = _axe(page)
    staff = watched_page(browser, problems)
    sign_in(staff, base, "web-agent2")
    staff.wait_for_url(f"{base}/app/queue")
    violations["/app/queue"] = _axe(staff)
    for path in (
        "/app/complaints/queue",
        f"/app/negotiations/{waiting_case}",
        "/app/customers/1/contacts",
        "/app/customers?q=C",
        "/app/customers/1",
    ):
        staff.goto(base + path)
        violations[f"agent {path}"] = _axe(staff)
    staff.fill("#complaint-text", "客户来电投诉扣款有误")  # a refused complaint: received tomorrow
    staff.fill("#complaint-received", "2030-01-01T09:00")
    staff.click("#complaint-submit")
    assert staff.get_attribute("#complaint-received", "aria-invalid") == "true"
    violations["agent /app/customers/1 (a complaint received in the future)"] = _axe(staff)
    officer = watched_page(browser, problems)
    sign_in(officer, base, "web-compliance")
    officer.wait_for_url(f"{base}/app/portfolio")
    violations["/app/portfolio"] = _axe(officer)
    for path in (
        "/app/policy",
        "/app/audit",
        "/app/team",
        "/app/account",
        "/app/reports/complaints",
    ):
        officer.goto(base + path)
        violations[path] = _axe(officer)
    officer.goto(f"{base}/app/customers/1")
    officer.click("#reveal")
    officer.wait_for_selector("#revealed-note")
    violations["/app/customers/1 (unmasked)"] = _axe(officer)
    officer.goto(f"{base}/app/customers/1")
    officer.screenshot(path=str(SHOTS / "staff-customer.png"), full_page=True)
    admin = watched_page(browser, problems)
    sign_in(admin, base, "web-admin")
    admin.wait_for_url(f"{base}/app/admin")
    admin.fill("#new-username", "x")  # a refused login: the error state is checked too
    admin.fill("#new-display-name", "新同事")
    admin.fill("#new-password", "short")
    admin.click("#create-login")
    assert admin.get_attribute("#new-username", "aria-invalid") == "true"
    violations["/app/admin (a refused login)"] = _axe(admin)
    admin.screenshot(path=str(SHOTS / "admin-logins.png"), full_page=True)
    assert {k: v for k, v in violations.items() if v} == {}
    assert problems == [], problems
