"""Driving the web application in a real headless Chromium (Debian's, through Playwright): the
browser, a phone-sized page that records every console error, script error and dialog, and signing
in. A module that uses it calls ``skip_without_chromium()`` and is marked ``browser``."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
PHONE: ViewportSize = {"width": 390, "height": 844}  # a phone


def skip_without_chromium() -> None:
    """Skip the calling test module when Debian's chromium is not installed."""
    if shutil.which(CHROMIUM) is None:  # pragma: no cover - CI installs it (.ci/run)
        pytest.skip(
            "Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True
        )


@contextmanager
def launched() -> Iterator[Browser]:
    """Headless Chromium, closed afterwards."""
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            yield chromium
        finally:
            chromium.close()


def watched_page(browser: Browser, problems: list[str]) -> Page:
    """A new phone-sized page; console errors, script errors and dialogs go to ``problems``."""
    page = browser.new_page(viewport=PHONE)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: problems.append(f"a script ran: {d.message}"))
    return page


def sign_in(page: Page, base: str, username: str) -> None:
    """Sign ``username`` in (the factories' password) through the sign-in form."""
    page.goto(f"{base}/app")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
