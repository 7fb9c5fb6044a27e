"""Logging in, tokens, masking, unmasking with audit, optimistic locking, statements, payments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests import factories
from xieshang.audit.service import verify
from xieshang.kit.context import Context, FixedClock
from xieshang.models.audit import AuditEntry
from xieshang.models.customer import Customer
from xieshang.models.loan import Loan
from xieshang.models.user import Role, User


def token(client: TestClient, username: str, password: str = factories.PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@dataclass
class World:
    owner: Customer
    other: Customer
    loan: Loan
    other_loan: Loan
    users: dict[Role, User]

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name)


@pytest.fixture
def world(ctx: Context) -> World:
    factories.product(ctx)
    owner = factories.customer(ctx, name="李娜")
    other = factories.customer(ctx, name="王芳")
    loan = factories.loan(ctx, owner)
    other_loan = factories.loan(ctx, other)
    users: dict[Role, User] = {
        role: factories.user(ctx, role) for role in Role if role is not Role.CUSTOMER
    }
    users[Role.CUSTOMER] = factories.user(ctx, Role.CUSTOMER, customer_id=owner.id)
    ctx.session.commit()
    return World(owner, other, loan, other_loan, users)


def test_health_is_public(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_login_issues_a_token_that_identifies_the_user(client: TestClient, world: World) -> None:
    users = world["users"]
    headers = token(client, users[Role.AGENT].username)
    me = client.get("/api/v1/me", headers=headers).json()
    assert me["role"] == "agent"


def test_a_wrong_password_is_401_problem_json_and_repeated_failures_are_throttled(
    client: TestClient, world: World
) -> None:
    users = world["users"]
    name = users[Role.AGENT].username
    for _ in range(5):
        response = client.post("/api/v1/auth/token", data={"username": name, "password": "wrong"})
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"].endswith("/not-authenticated")
    throttled = client.post(
        "/api/v1/auth/token", data={"username": name, "password": factories.PASSWORD}
    )
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "300"


def test_tokens_expire_and_can_be_revoked(
    client: TestClient, world: World, clock: FixedClock
) -> None:
    users = world["users"]
    headers = token(client, users[Role.AGENT].username)
    assert client.post("/api/v1/auth/revoke", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    headers = token(client, users[Role.AGENT].username)
    clock.current += timedelta(minutes=61)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_personal_data_is_masked_and_unmasking_is_audited(
    client: TestClient, world: World, ctx: Context
) -> None:
    users, owner = world["users"], world["owner"]
    headers = token(client, users[Role.AGENT].username)
    body = client.get(f"/api/v1/customers/{owner.id}", headers=headers).json()
    assert body["id_number"].startswith("3301")
    assert "**********" in body["id_number"]
    assert body["phone"].startswith("138")
    assert body["phone"][3:7] == "****"
    assert client.get(f"/api/v1/customers/{owner.id}/pii", headers=headers).status_code == 403
    supervisor = token(client, users[Role.SUPERVISOR].username)
    revealed = client.get(f"/api/v1/customers/{owner.id}/pii", headers=supervisor)
    assert revealed.status_code == 200
    assert "*" not in revealed.json()["id_number"]
    ctx.session.expire_all()
    actions = [e.action for e in ctx.session.query(AuditEntry).order_by(AuditEntry.seq)]
    assert actions.count("customer.pii.unmask") == 1
    assert verify(ctx.session).intact


def test_a_customer_sees_only_their_own_and_others_are_not_found(
    client: TestClient, world: World
) -> None:
    users, owner, other = world["users"], world["owner"], world["other"]
    headers = token(client, users[Role.CUSTOMER].username)
    assert client.get(f"/api/v1/customers/{owner.id}", headers=headers).status_code == 200
    foreign = client.get(f"/api/v1/customers/{other.id}", headers=headers)
    missing = client.get("/api/v1/customers/999999", headers=headers)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["title"] == missing.json()["title"]
    other_loan = world["other_loan"]
    assert client.get(f"/api/v1/loans/{other_loan.id}", headers=headers).status_code == 404


def test_two_agents_cannot_silently_overwrite_each_other(client: TestClient, world: World) -> None:
    users, owner = world["users"], world["owner"]
    agent = token(client, users[Role.AGENT].username)
    supervisor = token(client, users[Role.SUPERVISOR].username)
    url = f"/api/v1/customers/{owner.id}"
    etag = client.get(url, headers=agent).headers["ETag"]
    first = client.patch(url, json={"address": "新地址 1 号"}, headers={**agent, "If-Match": etag})
    assert first.status_code == 200
    assert first.headers["ETag"] != etag
    second = client.patch(
        url, json={"address": "另一个地址"}, headers={**supervisor, "If-Match": etag}
    )
    assert second.status_code == 412
    assert second.json()["type"].endswith("/version-conflict")
    assert client.get(url, headers=agent).json()["address"] == "新地址 1 号"
    assert (
        client.patch(url, json={"address": "x"}, headers=agent).status_code == 422
    )  # If-Match required


def test_a_loan_has_its_schedule_and_statement_with_formulas(
    client: TestClient, world: World
) -> None:
    users, loan = world["users"], world["loan"]
    headers = token(client, users[Role.CUSTOMER].username)
    detail = client.get(f"/api/v1/loans/{loan.id}", headers=headers).json()
    assert detail["schedule"]["installments"][0]["payment"] == "879.16"
    statement = client.get(
        f"/api/v1/loans/{loan.id}/statement",
        params={"as_of": "2026-03-01"},
        headers=headers,
    ).json()
    assert statement["days_past_due"] == 14
    assert statement["owed_now"]["principal"] == "795.83"
    assert any("罚息" in line["formula_zh"] for line in statement["lines"])


def test_a_payment_with_an_idempotency_key_is_recorded_once(
    client: TestClient, world: World, ctx: Context
) -> None:
    users, loan = world["users"], world["loan"]
    headers = {**token(client, users[Role.AGENT].username), "Idempotency-Key": "pay-2026-02-15-a"}
    url = f"/api/v1/loans/{loan.id}/payments"
    body = {"amount": "879.16", "value_date": "2026-02-15", "channel": "transfer"}
    first = client.post(url, json=body, headers=headers)
    again = client.post(url, json=body, headers=headers)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json()
    different = client.post(url, json={**body, "amount": "100.00"}, headers=headers)
    assert different.status_code == 409
    assert different.json()["type"].endswith("/idempotency-conflict")
    statement = client.get(
        f"{url[:-9]}/statement", params={"as_of": "2026-02-20"}, headers=headers
    ).json()
    assert statement["paid"] == "879.16"
