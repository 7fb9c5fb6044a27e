"""The customer's loan page shows the cost disclosure table (明示表, 金规〔2026〕2号 — UNVERIFIED) in
Chromium, at phone and desktop width, in Chinese and English, with a clean console. The phone
screenshot in Chinese is the guide's (docs/guide/customer.md); the others go to the test's folder."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from sqlalchemy import Engine

from tests import factories
from tests.browser import PHONE, launched, sign_in, skip_without_chromium, watched_page
from tests.concurrency.world import CLOCK, settings_for
from tests.served import in_thread
from xieshang.kit.context import Context, make_cipher
from xieshang.kit.db import session_factory
from xieshang.models.user import Role
from xieshang.web.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

skip_without_chromium()

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "guide" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def site(committed_engine: Engine) -> Iterator[tuple[str, int]]:
    url = committed_engine.url.render_as_string(hide_password=False)
    settings = settings_for(url)
    with session_factory(committed_engine)() as session:
        ctx = Context(session, settings, make_cipher(settings), CLOCK)
        factories.product(ctx, "DISCLOSED", penalty_markup="0.3", grace_days=3)
        owner = factories.customer(ctx)
        loan = factories.loan(
            ctx,
            owner,
            "DISCLOSED",
            principal="20000.00",
            annual_rate="9.6%",
            months=24,
            start_date=date(2025, 9, 10),
        )
        factories.user(ctx, Role.CUSTOMER, "disclosure-customer", owner.id)
        session.commit()
        loan_id = loan.id
    with in_thread(create_app(settings, CLOCK)) as base:
        yield base, loan_id


@pytest.fixture
def browser() -> Iterator[Browser]:
    with launched() as chromium:
        yield chromium


def test_the_loan_page_shows_the_disclosure_table_in_both_languages_at_both_widths(
    site: tuple[str, int], browser: Browser, tmp_path: Path
) -> None:
    base, loan_id = site
    problems: list[str] = []
    page = watched_page(browser, problems)
    sign_in(page, base, "disclosure-customer")
    page.goto(f"{base}/app/loans/{loan_id}")
    table = page.locator("#disclosure")
    expected = {
        "zh": ("综合融资成本明示表", "罚息", "合同利率 ×（1 + 30%）", "不收取", "本行"),
        "en": (
            "Cost disclosure table",
            "penalty interest",
            "contract rate × (1 + 30%)",
            "not charged",
            "the bank",
        ),
    }
    for lang in ("zh", "en"):
        if lang == "en":
            page.click("#lang-switch")
            page.wait_for_load_state()
            assert page.get_attribute("html", "lang") == "en"
        for name, size in (("390", PHONE), ("1280", DESKTOP)):
            page.set_viewport_size(size)  # type: ignore[arg-type]
            text = table.inner_text()
            for phrase in expected[lang]:
                assert phrase in text, (lang, phrase)
            overflow = "e => e.querySelector('table').scrollWidth - e.clientWidth"
            assert table.evaluate(overflow) <= 0, (lang, name, "no column cut off")
            table.screenshot(path=str(tmp_path / f"disclosure-{lang}-{name}.png"))
            if (lang, name) == ("zh", "390"):
                table.screenshot(path=str(SHOTS / "customer-disclosure.png"))
    assert problems == []
