"""/api/v1/policy/versions: propose, decide with four eyes, and every reader follows the version in
force (conduct linting, complaint deadlines)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests import factories
from xieshang.complaints.intake import file_complaint
from xieshang.complaints.schemas import ComplaintCreate
from xieshang.kit.context import Context
from xieshang.models.user import Role
from xieshang.policy.document import default_text

STRICTER = (
    default_text()
    .replace('version: "2026.1"', 'version: "2026.2"')
    .replace("effective_from: 2026-01-01", "effective_from: 2026-06-20")
    .replace("    decision_days: 15 ", "    decision_days: 10 ")
    .replace('pattern: "骗子|', 'pattern: "笨蛋|骗子|')
)


def signed_in(ctx: Context, client: TestClient, role: Role) -> dict[str, str]:
    user = factories.user(ctx, role)
    ctx.session.commit()
    response = client.post(
        "/api/v1/auth/token", data={"username": user.username, "password": factories.PASSWORD}
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_compliance_proposes_another_person_approves_and_the_readers_follow(
    ctx: Context, client: TestClient, sessions: sessionmaker[Session]
) -> None:
    proposer = signed_in(ctx, client, Role.COMPLIANCE)
    admin = signed_in(ctx, client, Role.ADMIN)
    agent = signed_in(ctx, client, Role.AGENT)
    factories.product(ctx)
    customer = factories.customer(ctx)
    ctx.session.commit()
    before = file_complaint(
        ctx, ComplaintCreate(text="银行重复收取了手续费", customer_id=customer.id, channel="phone")
    )
    lint = client.post("/api/v1/conduct/lint", json={"text": "你这个笨蛋"}, headers=agent)
    assert lint.json()["allowed"] is True

    body = {"text": STRICTER, "note": "decide complaints in 10 days; one more insult"}
    response = client.post("/api/v1/policy/versions", json=body, headers=proposer)
    assert response.status_code == 201, response.text
    proposed = response.json()
    assert proposed["status"] == "proposed"
    assert "changed complaints.clock.decision_days: 15 → 10" in proposed["changes"]
    url = f"/api/v1/policy/versions/{proposed['id']}"
    own = client.post(f"{url}/approve", json={"note": "fine"}, headers=proposer)
    assert own.status_code == 403
    assert "four-eyes" in own.json()["detail"]
    approved = client.post(f"{url}/approve", json={"note": "checked both"}, headers=admin)
    assert approved.status_code == 200, approved.text
    assert approved.json()["standing"] == "in_force"
    again = client.post(f"{url}/reject", json={"note": "no"}, headers=admin)
    assert again.status_code == 409

    listing = client.get("/api/v1/policy/versions", headers=admin).json()
    assert listing["in_force"] == {
        "version": "2026.2",
        "digest": proposed["digest"],
        "effective_from": "2026-06-20",
        "version_id": proposed["id"],
    }
    detail = client.get(url, headers=proposer).json()
    assert detail["text"] == STRICTER
    assert detail["decided_by"] is not None

    lint = client.post("/api/v1/conduct/lint", json={"text": "你这个笨蛋"}, headers=agent)
    assert lint.json()["allowed"] is False
    # A new unit of work (a request, a job) reads the version in force; a session keeps the policy
    # it first read for a day, as a nightly job does.
    with sessions() as session:
        later = Context(session, ctx.settings, ctx.cipher, ctx.clock)
        after = file_complaint(
            later,
            ComplaintCreate(text="银行重复收取了手续费", customer_id=customer.id, channel="phone"),
        )
        assert after.decision_due < before.decision_due


def test_a_bad_document_lists_every_problem(ctx: Context, client: TestClient) -> None:
    proposer = signed_in(ctx, client, Role.COMPLIANCE)
    bad = STRICTER.replace("offer_valid_days: 7", "offer_valid_day: 7").replace(
        '    max_waiver: "10000.00"', '    max_waiver: "lots"'
    )
    response = client.post(
        "/api/v1/policy/versions", json={"text": bad, "note": "typo"}, headers=proposer
    )
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert [p["field"] for p in problems] == ["offer_valid_day", "authority.agent.max_waiver"]
    missing = client.get("/api/v1/policy/versions/999", headers=proposer)
    assert missing.status_code == 404
