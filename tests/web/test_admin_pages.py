"""Administration in the web application and the API: logins opened, refused with the field marked,
disabled and re-enabled; anyone changes their own password and signs in again; the job runs."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests import factories
from tests.web.test_pages import csrf_of, sign_in
from xieshang.kit.context import Context
from xieshang.models.user import Role

GOOD = "correct horse battery"


def test_an_admin_opens_and_disables_logins(client: TestClient, ctx: Context) -> None:
    factories.user(ctx, Role.ADMIN, "page-admin")
    ctx.session.commit()
    sign_in(client, "page-admin")
    page = client.get("/app")
    assert page.url.path == "/app/admin"
    assert 'id="job-runs"' in page.text
    form = {"csrf": csrf_of(page.text), "display_name": "李娜", "role": "agent"}

    short = client.post("/app/admin/users", data=form | {"username": "li.na", "password": "short"})
    assert short.status_code == 200
    assert 'role="alert" id="form-problem"' in short.text
    assert "密码：至少 12 个字符" in short.text, "said in the page's language"
    field = re.search(r'<input id="new-password"[^>]*>', short.text)
    assert field is not None
    assert 'aria-invalid="true"' in field.group(0)
    assert "form-problem" in field.group(0)
    assert 'value="li.na"' in short.text, "what was typed is kept"
    assert 'data-username="li.na"' not in short.text, "nothing was opened"

    made = client.post(
        "/app/admin/users",
        data=form | {"username": "li.na", "password": GOOD},
        follow_redirects=False,
    )
    assert made.status_code == 303
    listing = client.get(made.headers["location"])
    assert 'data-username="li.na"' in listing.text
    row = re.search(r'data-username="li.na">.*?/app/admin/users/(\d+)/disable', listing.text, re.S)
    assert row is not None
    user_id = row.group(1)
    disabled = client.post(
        f"/app/admin/users/{user_id}/disable", data={"csrf": csrf_of(listing.text)}
    )
    assert disabled.status_code == 200
    assert re.search(r'data-username="li.na">.*?已停用', disabled.text, re.S)
    forged = client.post(f"/app/admin/users/{user_id}/enable", data={"csrf": "0" * 40})
    assert forged.status_code == 403
    client.cookies.clear()
    refused = sign_in(client, "li.na", GOOD)
    assert refused.status_code == 401, "a disabled login cannot sign in"


def test_admin_pages_are_for_admins_only(client: TestClient, ctx: Context) -> None:
    factories.user(ctx, Role.SUPERVISOR, "page-boss")
    ctx.session.commit()
    sign_in(client, "page-boss")
    assert client.get("/app/admin").status_code == 403


def test_anyone_changes_their_own_password(client: TestClient, ctx: Context) -> None:
    factories.user(ctx, Role.AGENT, "page-pw")
    ctx.session.commit()
    sign_in(client, "page-pw")
    page = client.get("/app/account")
    assert "page-pw" in page.text
    wrong = client.post(
        "/app/account/password",
        data={"csrf": csrf_of(page.text), "current_password": "nope", "new_password": GOOD},
    )
    assert "当前密码：与当前密码不符" in wrong.text
    field = re.search(r'<input id="current-password"[^>]*>', wrong.text)
    assert field is not None
    assert 'aria-invalid="true"' in field.group(0)
    done = client.post(
        "/app/account/password",
        data={
            "csrf": csrf_of(page.text),
            "current_password": factories.PASSWORD,
            "new_password": GOOD,
        },
        follow_redirects=False,
    )
    assert done.headers["location"] == "/login?changed=1"
    assert client.get("/app/queue", follow_redirects=False).status_code == 303, "signed out"
    assert "密码已修改" in client.get("/login?changed=1").text
    again = sign_in(client, "page-pw", GOOD)
    assert again.status_code == 303, "signed in with the new password"


def test_the_api_opens_logins_with_problem_json(client: TestClient, ctx: Context) -> None:
    factories.user(ctx, Role.ADMIN, "api-admin")
    ctx.session.commit()
    token = client.post(
        "/api/v1/auth/token", data={"username": "api-admin", "password": factories.PASSWORD}
    ).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    body = {"username": "zhao.lei", "display_name": "赵磊", "role": "supervisor", "password": GOOD}
    bad = client.post("/api/v1/users", json=body | {"username": "Zhao Lei"}, headers=auth)
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert "username" in bad.json()["detail"]
    made = client.post("/api/v1/users", json=body, headers=auth)
    assert made.status_code == 201
    assert made.json()["role"] == "supervisor"
    again = client.post("/api/v1/users", json=body, headers=auth)
    assert again.status_code == 409
    listed = client.get("/api/v1/users?role=supervisor", headers=auth).json()
    assert [u["username"] for u in listed["items"]] == ["zhao.lei"]
