"""POST /api/v1/conduct/lint: an agent's draft checked against the policy's linter."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests import factories
from xieshang.kit.context import Context
from xieshang.models.user import Role


def signed_in(ctx: Context, client: TestClient, role: Role) -> dict[str, str]:
    user = factories.user(ctx, role)
    ctx.session.commit()
    response = client.post(
        "/api/v1/auth/token", data={"username": user.username, "password": factories.PASSWORD}
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_a_threat_is_refused_with_the_rule_and_a_rewording(
    ctx: Context, client: TestClient
) -> None:
    headers = signed_in(ctx, client, Role.AGENT)
    response = client.post(
        "/api/v1/conduct/lint", json={"text": "再不还钱就上门找你家人"}, headers=headers
    )
    assert response.status_code == 200
    report = response.json()
    assert report["allowed"] is False
    (finding,) = report["findings"]
    assert finding["rule"] == "LINT_THREAT"
    assert finding["matched"] == "上门"
    assert finding["rewording"]["zh"].startswith("请说明逾期的事实")
    assert finding["rewording"]["en"].startswith("State the facts")
    assert "第四十一条" in finding["source"]


def test_a_respectful_message_is_allowed(ctx: Context, client: TestClient) -> None:
    headers = signed_in(ctx, client, Role.AGENT)
    response = client.post(
        "/api/v1/conduct/lint",
        json={"text": "您好，您本月的还款已逾期 3 天，我们可以为您办理分期。"},
        headers=headers,
    )
    assert response.json() == {"allowed": True, "findings": [], "policy_version": "2026.1"}


def test_an_empty_message_is_a_422_naming_the_field(ctx: Context, client: TestClient) -> None:
    headers = signed_in(ctx, client, Role.AGENT)
    response = client.post("/api/v1/conduct/lint", json={"text": ""}, headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == "text"


def test_a_customer_may_not_use_the_linter(ctx: Context, client: TestClient) -> None:
    owner = factories.customer(ctx)
    user = factories.user(ctx, Role.CUSTOMER, customer_id=owner.id)
    ctx.session.commit()
    token = client.post(
        "/api/v1/auth/token", data={"username": user.username, "password": factories.PASSWORD}
    ).json()["access_token"]
    response = client.post(
        "/api/v1/conduct/lint", json={"text": "你好"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403
