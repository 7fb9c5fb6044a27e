"""Quality and outcomes per person, computed from work done through the API."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.feedback.quality_scenario import build
from xieshang.domain.errors import InvalidInput, PermissionDenied
from xieshang.feedback.quality import quality_report, share
from xieshang.kit.config import Settings
from xieshang.kit.context import Context, FixedClock
from xieshang.models.negotiation import Agreement
from xieshang.models.user import Role, User


def test_each_person_s_cases_agreements_complaints_scores_and_refusals(
    client: TestClient,
    clock: FixedClock,
    ctx: Context,
    sessions: sessionmaker[Session],
    settings: Settings,
) -> None:
    built = build(client, clock, ctx, sessions, settings)
    kept = ctx.session.get(Agreement, built.kept_agreement)
    broken = ctx.session.get(Agreement, built.broken_agreement)
    assert kept is not None
    assert broken is not None
    assert (kept.status, broken.status) == ("active", "broken")

    report = quality_report(ctx, date(2025, 11, 1), date(2026, 6, 30))
    people = {p.username: p for p in report.people}
    one, two = people["q-agent1"], people["q-agent2"]
    assert (one.cases_handled, two.cases_handled) == (1, 1)
    assert (one.agreements, one.agreements_active, one.agreements_broken) == (1, 1, 0)
    assert (two.agreements, two.agreements_active, two.agreements_broken) == (1, 0, 1)
    assert (one.keep_rate, two.keep_rate) == ("1.0000", "0.0000")
    assert (one.complaints_decided, one.complaints_on_time, one.on_time_share) == (1, 1, "1.0000")
    assert (two.complaints_decided, two.complaints_on_time, two.on_time_share) == (1, 0, "0.0000")
    assert one.days_to_decision_mean == "3.0"
    assert two.days_to_decision_mean == "20.0"
    assert (one.survey_answers, one.csat_average, one.csat_answers) == (1, "4.00", 1)
    assert (one.nps, one.nps_answers) == (100.0, 1)
    assert (two.survey_answers, two.csat_average) == (0, None)
    assert (one.contacts_made, one.contacts_refused) == (0, 1)
    assert (two.contacts_made, two.contacts_refused) == (1, 0)
    assert "q-customer1" not in people, "a customer's own actions are not staff work"
    if built.approvals:
        supervisor = people["q-super"]
        assert supervisor.offers_approved == built.approvals
        assert supervisor.cases_handled == built.approvals
        assert supervisor.agreements == built.approvals
    assert one.offers_approved == 0, "an agent cannot approve the plan they entered"


def test_the_period_bounds_what_counts(
    client: TestClient,
    clock: FixedClock,
    ctx: Context,
    sessions: sessionmaker[Session],
    settings: Settings,
) -> None:
    build(client, clock, ctx, sessions, settings)
    before = quality_report(ctx, date(2025, 1, 1), date(2025, 11, 19))
    assert before.people == []
    default = quality_report(ctx)
    assert (default.end - default.start).days == 29
    assert default.end == ctx.today()


def test_bad_periods_and_who_may_read_it(ctx: Context) -> None:
    from tests import factories

    with pytest.raises(InvalidInput, match="after"):
        quality_report(ctx, date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(InvalidInput, match="three years"):
        quality_report(ctx, date(2020, 1, 1), date(2026, 1, 1))
    for role, allowed in ((Role.SUPERVISOR, True), (Role.COMPLIANCE, True), (Role.AGENT, False)):
        user: User = factories.user(ctx, role)
        ctx.user = user
        if allowed:
            assert quality_report(ctx).people == []
        else:
            with pytest.raises(PermissionDenied):
                quality_report(ctx)
    assert share(1, 3) == "0.3333"
    assert share(0, 0) is None
