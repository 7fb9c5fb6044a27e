"""Surveys: invitations after a resolution (once each), one answer per invitation until it expires,
campaigns, and the analytics — CSAT average and NPS by month, and the words customers use."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text

from tests import factories
from xieshang.cli import main
from xieshang.feedback.analytics import survey_report
from xieshang.feedback.schemas import SurveyAnswerCreate
from xieshang.feedback.service import answer, invite_after_complaint, invite_after_negotiation
from xieshang.kit.context import Context, FixedClock
from xieshang.models.customer import Customer
from xieshang.models.notification import Notification
from xieshang.models.user import Role, User


def customer_user(ctx: Context, **overrides: object) -> tuple[Customer, User]:
    owner = factories.customer(ctx, **overrides)
    user = factories.user(ctx, Role.CUSTOMER, customer_id=owner.id)
    ctx.session.commit()
    return owner, user


def bearer(client: TestClient, user: User) -> dict[str, str]:
    issued = client.post(
        "/api/v1/auth/token", data={"username": user.username, "password": factories.PASSWORD}
    ).json()
    return {"Authorization": f"Bearer {issued['access_token']}"}


def test_a_resolved_negotiation_invites_the_customer_once(ctx: Context) -> None:
    owner, _ = customer_user(ctx)
    first = invite_after_negotiation(ctx, owner.id, 41)
    again = invite_after_negotiation(ctx, owner.id, 41)
    ctx.session.commit()
    assert first.id == again.id
    assert (first.trigger, first.subject_id) == ("negotiation", "41")
    assert first.expires_at - first.created_at == timedelta(days=14)
    (note,) = ctx.session.scalars(
        select(Notification).where(Notification.template == "survey_after_negotiation")
    ).all()
    assert note.subject == "您对这次协商满意吗？"
    assert "编号 41" in note.body
    assert "2026-07-04 前有效" in note.body


def test_a_resolved_complaint_invites_in_the_customers_language(ctx: Context) -> None:
    owner, _ = customer_user(ctx, language="en")
    invitation = invite_after_complaint(ctx, owner.id, "TS-2026-0007")
    ctx.session.commit()
    assert invitation.subject_id == "TS-2026-0007"
    note = ctx.session.scalars(
        select(Notification).where(Notification.template == "survey_after_complaint")
    ).one()
    assert note.subject == "How did we handle your complaint?"


def test_a_customer_answers_once_and_not_after_expiry(
    ctx: Context, client: TestClient, clock: FixedClock
) -> None:
    owner, user = customer_user(ctx)
    _, stranger = customer_user(ctx)
    invitation = invite_after_negotiation(ctx, owner.id, 7)
    late = invite_after_complaint(ctx, owner.id, 8)
    ctx.session.commit()
    headers = bearer(client, user)

    open_ones = client.get("/api/v1/me/surveys", headers=headers).json()
    assert [o["id"] for o in open_ones] == [late.id, invitation.id]

    url = f"/api/v1/me/surveys/{invitation.id}/answer"
    bad = client.post(url, json={"csat": 6}, headers=headers)
    assert (bad.status_code, bad.json()["field"]) == (422, "csat")
    empty = client.post(url, json={"comment": "  "}, headers=headers)
    assert empty.status_code == 422
    assert "at least one of csat, nps or comment" in empty.json()["detail"]
    foreign = client.post(url, json={"csat": 1}, headers=bearer(client, stranger))
    assert foreign.status_code == 404

    made = client.post(url, json={"csat": 5, "nps": 10, "comment": "客服很耐心"}, headers=headers)
    assert made.status_code == 201
    assert made.json()["answered_at"] == "2026-06-20T10:00:00+08:00"
    twice = client.post(url, json={"csat": 1}, headers=headers)
    assert twice.status_code == 409
    assert twice.headers["content-type"] == "application/problem+json"
    assert "already answered" in twice.json()["detail"]

    late.expires_at = clock.current - timedelta(hours=1)
    ctx.session.commit()
    expired = client.post(f"/api/v1/me/surveys/{late.id}/answer", json={"nps": 3}, headers=headers)
    assert expired.status_code == 409
    assert expired.json()["detail"] == f"survey invitation {late.id} expired on 2026-06-20"
    assert client.get("/api/v1/me/surveys", headers=headers).json() == []


def test_a_supervisor_runs_a_campaign_and_unknown_customers_are_named(
    ctx: Context, client: TestClient
) -> None:
    one, two = factories.customer(ctx), factories.customer(ctx)
    supervisor = factories.user(ctx, Role.SUPERVISOR)
    ctx.session.commit()
    headers = bearer(client, supervisor)
    made = client.post(
        "/api/v1/surveys/campaigns",
        json={"name": "2026 Q2", "customer_ids": [one.id, two.id, one.id]},
        headers=headers,
    )
    assert made.status_code == 201
    assert (made.json()["invited"], made.json()["already_invited"]) == (2, 1)
    unknown = client.post(
        "/api/v1/surveys/campaigns",
        json={"name": "x", "customer_ids": [one.id, 987654]},
        headers=headers,
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == "customer_ids: no such customers: 987654"


ANSWERS = [
    # (day answered, csat, nps, comment)
    (date(2026, 4, 10), 5, 10, "客服态度很好，协商还款很顺利"),
    (date(2026, 4, 20), 4, 9, "利息减免了，客服很耐心"),
    (date(2026, 4, 28), 2, 3, "等待时间太长，客服电话打不通"),
    (date(2026, 5, 3), 3, 7, "The agent was helpful but waiting took too long"),
    (date(2026, 5, 30), None, 6, "helpful agent"),
]


def test_scores_by_month_and_the_words_customers_use(ctx: Context, clock: FixedClock) -> None:
    for n, (day, csat, nps, comment) in enumerate(ANSWERS):
        owner, user = customer_user(ctx)
        clock.current = datetime(day.year, day.month, day.day, 3, tzinfo=UTC)
        invitation = invite_after_negotiation(ctx, owner.id, 100 + n)
        ctx.session.commit()
        ctx.user = user
        answer(ctx, invitation.id, SurveyAnswerCreate(csat=csat, nps=nps, comment=comment))
        ctx.user = None
    clock.current = datetime(2026, 6, 20, 2, tzinfo=UTC)
    factories.user(ctx, Role.COMPLIANCE, "compliance-reader")

    report = survey_report(ctx, date(2026, 4, 1), date(2026, 6, 30))

    april, may, june = report.months
    assert (april.month, april.responses, april.csat_average) == ("2026-04", 3, "3.67")
    # NPS April: promoters 10 and 9, detractor 3 → (2 − 1) / 3 = +33.3
    assert (april.nps, april.promoters, april.detractors) == (33.3, 2, 1)
    # May: a passive (7) and a detractor (6) → −50; one CSAT answer
    assert (may.nps, may.passives, may.csat_average, may.csat_answers) == (-50.0, 1, "3.00", 1)
    assert (june.responses, june.nps, june.csat_average) == (0, None, None)
    assert report.overall.invitations == 5
    assert report.overall.nps == 0.0  # 2 promoters, 2 detractors of 5
    assert report.keywords_zh[0].word == "客服"
    assert report.keywords_zh[0].answers == 3
    assert {"减免", "耐心"} <= {w.word for w in report.keywords_zh}
    assert [(w.word, w.answers) for w in report.words_en[:2]] == [("agent", 2), ("helpful", 2)]


def test_a_report_the_wrong_way_round_is_refused(ctx: Context) -> None:
    with pytest.raises(Exception, match="is before from"):
        survey_report(ctx, date(2026, 5, 1), date(2026, 4, 1))


def test_the_cli_runs_a_campaign_and_prints_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XIESHANG_DATABASE_URL", f"sqlite:///{tmp_path / 'surveys.db'}")
    monkeypatch.setenv("XIESHANG_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("XIESHANG_ARGON2_MEMORY_KIB", "1024")
    assert main(["db", "upgrade"]) == 0
    assert main(["seed-demo", "--customers", "5"]) == 0
    capsys.readouterr()
    engine = create_engine(f"sqlite:///{tmp_path / 'surveys.db'}")
    with engine.connect() as connection:
        numbers = connection.scalars(text("SELECT customer_no FROM customers LIMIT 2")).all()
    engine.dispose()
    assert main(["surveys", "campaign", "--name", "2026 Q2", "--customers", ",".join(numbers)]) == 0
    assert "2 customers invited" in capsys.readouterr().out
    assert main(["surveys", "campaign", "--name", "2026 Q2", "--customers", "NOPE"]) == 2
    assert capsys.readouterr().err.strip() == (
        "xieshang: error: customers: no such customer numbers: NOPE"
    )
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    assert (
        main(["surveys", "report", "--from", "2026-01-01", "--to", today.isoformat(), "--json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["months"][0]["month"] == "2026-01"
    assert data["overall"]["invitations"] >= 2
    assert main(["surveys", "report", "--from", "2026-01-01", "--to", today.isoformat()]) == 0
    assert capsys.readouterr().out.startswith(f"surveys 2026-01-01 to {today}")
    assert main(["surveys", "report", "--from", "2026-13-01", "--to", "2026-02-01"]) == 2
    assert capsys.readouterr().err.startswith("xieshang: error: from:")
