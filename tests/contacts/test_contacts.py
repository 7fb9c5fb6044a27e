"""Collection contact through the API: the issue's four refusals (21:30, a seventh attempt, an
unrelated third party, a threatening message), no contact while a plan is kept or a harassment
complaint is open, and the contact log."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from tests import factories
from xieshang.complaints.intake import file_complaint
from xieshang.complaints.schemas import ComplaintCreate
from xieshang.kit.context import Context, FixedClock
from xieshang.models.user import Role


@pytest.fixture
def customer_id(ctx: Context) -> int:
    factories.product(ctx)
    owner = factories.customer(ctx)
    factories.loan(ctx, owner, start_date=date(2026, 1, 15))
    factories.user(ctx, Role.AGENT, "co-agent")
    factories.user(ctx, Role.COMPLIANCE, "co-compliance")
    ctx.session.commit()
    return owner.id


def token(client: TestClient, username: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token", data={"username": username, "password": factories.PASSWORD}
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def contact(client: TestClient, customer_id: int, **extra: object) -> tuple[int, dict[str, object]]:
    body = {"customer_id": customer_id, "channel": "phone", "outcome": "no_answer", **extra}
    response = client.post("/api/v1/contacts", json=body, headers=token(client, "co-agent"))
    return response.status_code, response.json()


def test_a_contact_at_2130_is_refused_naming_the_hours_rule(
    client: TestClient, customer_id: int, clock: FixedClock
) -> None:
    clock.current = datetime(2026, 6, 20, 13, 30, tzinfo=UTC)  # 21:30 in Shanghai
    status, problem = contact(client, customer_id)
    assert status == 409
    assert problem["rule"] == "CONDUCT_HOURS"
    assert "21:30" in str(problem["detail"])
    clock.current = datetime(2026, 6, 20, 0, 30, tzinfo=UTC)  # 08:30
    assert contact(client, customer_id)[0] == 201


def test_a_seventh_attempt_in_a_day_on_one_channel_is_refused(
    client: TestClient, customer_id: int
) -> None:
    for _ in range(6):
        assert contact(client, customer_id)[0] == 201
    status, problem = contact(client, customer_id)
    assert status == 409
    assert problem["rule"] == "CONDUCT_ATTEMPTS"
    assert contact(client, customer_id, channel="sms")[0] == 201, "another channel is counted apart"
    log = client.get(
        f"/api/v1/customers/{customer_id}/contacts", headers=token(client, "co-compliance")
    )
    assert log.json()["total"] == 7, "the refused attempt was never logged"


def test_an_unrelated_third_party_is_never_contacted(client: TestClient, customer_id: int) -> None:
    status, problem = contact(client, customer_id, party="unrelated", purpose="service")
    assert status == 409
    assert problem["rule"] == "CONDUCT_THIRD_PARTY"
    status, problem = contact(client, customer_id, party="debt_related")
    assert problem["rule"] == "CONDUCT_THIRD_PARTY", "only when the debtor cannot be reached"
    assert contact(client, customer_id, party="debt_related", debtor_unreachable=True)[0] == 201


def test_a_threatening_message_is_refused_with_the_rule_and_a_rewording(
    client: TestClient, customer_id: int
) -> None:
    status, problem = contact(
        client, customer_id, outcome="answered", message="再不还钱就上门找你家人"
    )
    assert status == 409
    assert problem["rule"] == "LINT_THREAT"
    assert "Say instead" in str(problem["detail"])
    fine = contact(client, customer_id, outcome="answered", message="您好，您本期应还款尚未到账。")
    assert fine[0] == 201


def test_no_collection_while_a_harassment_complaint_is_open(
    client: TestClient, customer_id: int, ctx: Context
) -> None:
    ctx.user = None
    file_complaint(
        ctx,
        ComplaintCreate(
            text="催收员晚上十一点打电话骚扰我，还打给我的同事",
            customer_id=customer_id,
            channel="phone",
        ),
    )
    status, problem = contact(client, customer_id)
    assert status == 409
    assert problem["rule"] == "CONDUCT_COMPLAINT_OPEN"
    assert contact(client, customer_id, purpose="service")[0] == 201, "service messages go"
