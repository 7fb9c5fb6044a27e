"""The customer's inbox over the API, marking read, staff's view with delivery outcomes, and a
customer's channel preferences and language."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests import factories
from xieshang.kit.context import Context
from xieshang.models.customer import Customer
from xieshang.models.user import Role
from xieshang.notifications.service import notify


def token(
    ctx: Context, client: TestClient, role: Role, customer: Customer | None = None
) -> dict[str, str]:
    user = factories.user(ctx, role, customer_id=customer.id if customer else None)
    ctx.session.commit()
    issued = client.post(
        "/api/v1/auth/token", data={"username": user.username, "password": factories.PASSWORD}
    ).json()
    return {"Authorization": f"Bearer {issued['access_token']}"}


def test_a_customer_reads_their_inbox_and_marks_a_message_read(
    ctx: Context, client: TestClient
) -> None:
    owner, other = factories.customer(ctx), factories.customer(ctx)
    first = notify(ctx, owner.id, "offer_rejected", {"loan_no": "L1", "note": "缺少材料"})
    second = notify(ctx, owner.id, "offer_approved", {"loan_no": "L1", "expires_on": "2026-06-27"})
    foreign = notify(ctx, other.id, "offer_rejected", {"loan_no": "L2", "note": "-"})
    ctx.session.commit()
    headers = token(ctx, client, Role.CUSTOMER, owner)

    page = client.get("/api/v1/me/notifications", headers=headers).json()
    assert [item["id"] for item in page["items"]] == [second.id, first.id]
    assert page["any_unread"] is True
    assert (
        page["items"][1]["body"]
        == "关于贷款 L1 的方案未获批准：缺少材料。您可以提出新的方案或联系我们。"
    )
    assert page["items"][1]["created_at"].endswith("+08:00")

    read = client.post(f"/api/v1/me/notifications/{first.id}/read", headers=headers)
    assert read.status_code == 200
    assert read.json()["read_at"] == "2026-06-20T10:00:00+08:00"
    again = client.post(f"/api/v1/me/notifications/{first.id}/read", headers=headers)
    assert again.json()["read_at"] == read.json()["read_at"]
    unread = client.get("/api/v1/me/notifications?unread=true", headers=headers).json()
    assert [item["id"] for item in unread["items"]] == [second.id]

    missing = client.post(f"/api/v1/me/notifications/{foreign.id}/read", headers=headers)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_staff_see_a_customers_notifications_with_their_deliveries(
    ctx: Context, client: TestClient
) -> None:
    owner = factories.customer(ctx, email="zhang.wei@example.com", notify_sms=True)
    notify(ctx, owner.id, "offer_rejected", {"loan_no": "L1", "note": "-"})
    ctx.session.commit()
    headers = token(ctx, client, Role.AGENT)
    page = client.get(f"/api/v1/customers/{owner.id}/notifications", headers=headers).json()
    (item,) = page["items"]
    assert item["template"] == "offer_rejected"
    assert [(d["channel"], d["status"]) for d in item["deliveries"]] == [
        ("email", "queued"),
        ("sms", "queued"),
    ]
    none = client.get("/api/v1/customers/999999/notifications", headers=headers)
    assert none.status_code == 404


def test_a_customer_chooses_english_and_sms_and_is_written_to_so(
    ctx: Context, client: TestClient
) -> None:
    owner = factories.customer(ctx)
    ctx.session.commit()
    headers = token(ctx, client, Role.CUSTOMER, owner)
    changed = client.patch(
        f"/api/v1/customers/{owner.id}",
        json={"language": "en", "notify_sms": True, "notify_email": False},
        headers={**headers, "If-Match": '"1"'},
    )
    assert changed.status_code == 200
    body = changed.json()
    assert (body["language"], body["notify_sms"], body["notify_email"]) == ("en", True, False)
    ctx.session.expire_all()  # the API changed the customer in its own session
    note = notify(ctx, owner.id, "offer_rejected", {"loan_no": "L1", "note": "no payslip"})
    ctx.session.commit()
    assert note.subject == "Your negotiation offer was not approved"
    bad = client.patch(
        f"/api/v1/customers/{owner.id}",
        json={"language": "fr"},
        headers={**headers, "If-Match": '"2"'},
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == "language"
