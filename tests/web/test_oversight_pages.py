"""The supervisor's quality figures on the team page and compliance's complaint statistics page:
periods, figures checked against work done through the API, downloads, bad periods."""

from __future__ import annotations

import io
import re

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session, sessionmaker

from tests.feedback.quality_scenario import build
from tests.web.test_pages import sign_in
from xieshang.kit.config import Settings
from xieshang.kit.context import Context, FixedClock

PERIOD = {"from": "2025-11-01", "to": "2026-06-30"}


def _row(html: str, table: str, username: str) -> list[str]:
    section = re.search(rf'<table id="{table}">(.*?)</table>', html, re.S)
    assert section is not None, table
    row = re.search(rf"\({username}\)</span></th>(.*?)</tr>", section.group(1), re.S)
    assert row is not None, f"{username} in {table}"
    return re.findall(r'<td class="num">(.*?)</td>', row.group(1))


def test_the_team_page_shows_each_person_s_quality_for_a_period(
    client: TestClient,
    clock: FixedClock,
    ctx: Context,
    sessions: sessionmaker[Session],
    settings: Settings,
) -> None:
    built = build(client, clock, ctx, sessions, settings)
    sign_in(client, "q-super")
    page = client.get("/app/team", params=PERIOD)
    assert page.status_code == 200, page.text
    html = page.text
    assert 'for="quality-from"' in html
    assert 'value="2025-11-01"' in html
    assert _row(html, "quality-agreements", "q-agent1") == [
        "1",
        "1",
        "0",
        "0",
        "0",
        "1/1 (100.00%)",
    ]
    assert _row(html, "quality-agreements", "q-agent2") == ["1", "0", "0", "0", "1", "0/1 (0.00%)"]
    assert _row(html, "quality-complaints", "q-agent1") == ["1", "1/1 (100.00%)", "3.0", "0", "0"]
    assert _row(html, "quality-complaints", "q-agent2") == ["1", "0/1 (0.00%)", "20.0", "0", "0"]
    assert _row(html, "quality-satisfaction", "q-agent1") == [
        "1",
        "4.00 (份数=1)",
        "100.0 (份数=1)",
        "0",
        "1",
    ]
    assert _row(html, "quality-negotiations", "q-agent1")[0] == "1"
    if built.approvals:
        assert _row(html, "quality-negotiations", "q-super")[1] == str(built.approvals)
    assert "q-customer1" not in html
    client.get("/lang/en?next=/app/team")
    english = client.get("/app/team", params=PERIOD).text
    assert "Quality and outcomes per person" in english
    assert "How each figure is counted" in english
    assert _row(english, "quality-satisfaction", "q-agent2")[-2:] == ["1", "0"]


def test_compliance_reads_the_quality_figures_too_and_the_api_gives_them(
    client: TestClient,
    clock: FixedClock,
    ctx: Context,
    sessions: sessionmaker[Session],
    settings: Settings,
) -> None:
    build(client, clock, ctx, sessions, settings)
    sign_in(client, "q-compliance")
    page = client.get("/app/team", params=PERIOD)
    assert page.status_code == 200
    assert _row(page.text, "quality-complaints", "q-agent2")[1] == "0/1 (0.00%)"
    token = client.post(
        "/api/v1/auth/token",
        data={"username": "q-compliance", "password": "correct horse battery staple"},
    ).json()["access_token"]
    api = client.get(
        "/api/v1/reports/quality", params=PERIOD, headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 200, api.text
    people = {p["username"]: p for p in api.json()["people"]}
    assert people["q-agent1"]["contacts_refused"] == 1
    assert people["q-agent2"]["keep_rate"] == "0.0000"
    bad = client.get(
        "/api/v1/reports/quality",
        params={"from": "2026-02-01", "to": "2026-01-01"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert bad.status_code == 422


def test_a_bad_period_on_the_team_page_is_said_not_crashed(
    client: TestClient,
    clock: FixedClock,
    ctx: Context,
    sessions: sessionmaker[Session],
    settings: Settings,
) -> None:
    build(client, clock, ctx, sessions, settings)
    sign_in(client, "q-super")
    for period in ({"from": "2026-02-01", "to": "2026-01-01"}, {"from": "1 March", "to": ""}):
        page = client.get("/app/team", params=period)
        assert page.status_code == 422
        assert 'id="quality-problem"' in page.text
        assert 'id="quality-agreements"' not in page.text
        assert f'value="{period["from"]}"' in page.text, "what was typed is kept"


def test_compliance_sees_the_complaint_statistics_with_charts_tables_and_downloads(
    client: TestClient,
    clock: FixedClock,
    ctx: Context,
    sessions: sessionmaker[Session],
    settings: Settings,
) -> None:
    build(client, clock, ctx, sessions, settings)
    sign_in(client, "q-compliance")
    portfolio = client.get("/app/portfolio").text
    assert 'href="/app/reports/complaints"' in portfolio
    page = client.get("/app/reports/complaints", params=PERIOD)
    assert page.status_code == 200, page.text
    html = page.text
    assert html.count("<svg") == 11, "six tables, timeliness, days, extensions, reviews, the series"
    assert html.count('role="img"') == 11
    assert html.count("<title id=") == 11
    assert "style=" not in html
    summary = re.search(r'<dl id="stats-summary">(.*?)</dl>', html, re.S)
    assert summary is not None
    figures = re.findall(r'<dd class="num">(.*?)</dd>', summary.group(1))
    assert figures[:2] == ["2", "2"], "two received, two decided"
    assert figures[-1] == "1/2 (50.00%)", "one told on time of two"
    days = re.search(r'<table id="stats-days">(.*?)</table>', html, re.S)
    assert days is not None
    assert re.findall(r'<td class="num">(\d+)</td>', days.group(1)) == ["1", "0", "0", "1", "0"]
    series = re.search(r'<table id="stats-series">(.*?)</table>', html, re.S)
    assert series is not None
    assert sum(int(n) for n in re.findall(r'<td class="num">(\d+)</td>', series.group(1))) == 2
    assert "/app/reports/complaints.xlsx?from=2025-11-01&amp;to=2026-06-30" in html
    xlsx = client.get("/app/reports/complaints.xlsx", params=PERIOD)
    assert xlsx.status_code == 200
    assert "complaints-2025-11-01-2026-06-30.xlsx" in xlsx.headers["content-disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    summary_sheet = {r[0]: r[1] for r in book["summary"].iter_rows(min_row=2, values_only=True)}
    assert summary_sheet["received"] == 2
    assert summary_sheet["notified_on_time"] == 1
    csv = client.get("/app/reports/complaints.csv", params=PERIOD)
    assert csv.status_code == 200
    assert "summary,received,2," in csv.content.decode("utf-8-sig")
    client.get("/lang/en?next=/app/reports/complaints")
    english = client.get(
        "/app/reports/complaints", params={"from": "2026-01-01", "to": "2026-01-31"}
    )
    assert "Complaints received each week (from Monday)" in english.text
    assert english.text.count("<tr><td>2026-01-") == 5, "the 1st, then four Mondays"
    assert "Decision told on time (Article 18)" in english.text
    monthly = client.get("/app/reports/complaints", params=PERIOD).text
    assert "Complaints received each month" in monthly


def test_bad_statistics_periods_re_render_the_form_and_others_may_not_look(
    client: TestClient,
    clock: FixedClock,
    ctx: Context,
    sessions: sessionmaker[Session],
    settings: Settings,
) -> None:
    build(client, clock, ctx, sessions, settings)
    sign_in(client, "q-compliance")
    for period in (
        {"from": "2026-02-01", "to": "2026-01-01"},
        {"from": "2026-13-01", "to": ""},
        {"from": "1900-01-01", "to": "2026-01-01"},
    ):
        page = client.get("/app/reports/complaints", params=period)
        assert page.status_code == 422, period
        assert 'id="stats-problem"' in page.text
        assert "<svg" not in page.text
    bad_file = client.get("/app/reports/complaints.csv", params={"from": "someday"})
    assert bad_file.status_code == 422
    default = client.get("/app/reports/complaints")
    assert default.status_code == 200
    assert f'value="{ctx.today().replace(day=1)}"' in default.text, "this month by default"
    client.cookies.clear()
    sign_in(client, "q-agent1")
    assert client.get("/app/reports/complaints").status_code == 403
    assert client.get("/app/team").status_code == 403
