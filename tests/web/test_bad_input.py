"""Bad input never yields a 500: every refusal is a 4xx problem JSON, and nothing is written.

Each test sends one kind of bad input as a signed-in agent, supervisor or admin and checks the
status, that the body is ``application/problem+json`` with ``type``/``title``/``status``/``detail``
(and ``field`` naming the culprit for a 422), and that the watched tables did not change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from tests import factories
from xieshang.domain.errors import InvalidInput
from xieshang.kit.context import Context
from xieshang.models.user import Role
from xieshang.web.api.customers import parse_if_match

PROBLEM = "application/problem+json"
# Rows a bad request must not add. Signing in is audited, and staff sign in on first use, so the
# audit log is counted without its sign-ins.
WATCHED = {
    "customers": "SELECT count(*) FROM customers",
    "loans": "SELECT count(*) FROM loans",
    "loan_transactions": "SELECT count(*) FROM loan_transactions",
    "idempotency_records": "SELECT count(*) FROM idempotency_records",
    "audit_log": "SELECT count(*) FROM audit_log WHERE action <> 'auth.login'",
}
SQL = "'; DROP TABLE customers; --"
SCRIPT = "<script>alert(1)</script>"
LONG = "长" * 10_000  # 10,000 characters (30,000 bytes of UTF-8)
LONG_ASCII = "x" * 10_000  # as long, but short enough for a URL
PAYMENT = {"amount": "100.00", "value_date": "2026-02-15", "channel": "transfer"}


@dataclass
class Bank:
    """One customer with one loan, and staff who sign in (through the form login) when first used."""

    client: TestClient
    customer_id: int
    loan_id: int
    usernames: dict[Role, str]

    def _login(self, role: Role) -> dict[str, str]:
        response = self.client.post(
            "/api/v1/auth/token",
            data={"username": self.usernames[role], "password": factories.PASSWORD},
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    @cached_property
    def agent(self) -> dict[str, str]:
        return self._login(Role.AGENT)

    @cached_property
    def supervisor(self) -> dict[str, str]:
        return self._login(Role.SUPERVISOR)

    @cached_property
    def admin(self) -> dict[str, str]:
        return self._login(Role.ADMIN)

    @cached_property
    def customer(self) -> dict[str, str]:
        return self._login(Role.CUSTOMER)

    @property
    def customer_url(self) -> str:
        return f"/api/v1/customers/{self.customer_id}"

    @property
    def payments_url(self) -> str:
        return f"/api/v1/loans/{self.loan_id}/payments"

    @property
    def statement_url(self) -> str:
        return f"/api/v1/loans/{self.loan_id}/statement"


@pytest.fixture
def bank(ctx: Context, client: TestClient) -> Bank:
    factories.product(ctx)
    owner = factories.customer(ctx)
    loan = factories.loan(ctx, owner)
    users = {role: factories.user(ctx, role) for role in (Role.AGENT, Role.SUPERVISOR, Role.ADMIN)}
    users[Role.CUSTOMER] = factories.user(ctx, Role.CUSTOMER, customer_id=owner.id)
    ctx.session.commit()
    return Bank(client, owner.id, loan.id, {role: user.username for role, user in users.items()})


def assert_problem(response: httpx2.Response, status: int, field: str | None = None) -> Any:
    """The response is a ``status`` problem JSON; for a 422, ``field`` names the culprit."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys(), body
    assert body["type"].startswith("https://xieshang.dev/problems/")
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    if status == 422:
        assert body["field"] == field, body
    return body


def row_counts(ctx: Context) -> dict[str, int]:
    return {table: ctx.session.execute(text(sql)).scalar_one() for table, sql in WATCHED.items()}


def customer_row(ctx: Context, customer_id: int) -> tuple[int, str]:
    version, address = ctx.session.execute(
        text("SELECT version, address FROM customers WHERE id = :id"), {"id": customer_id}
    ).one()
    return version, address


@pytest.fixture
def unchanged(ctx: Context, bank: Bank) -> Iterator[None]:
    """Row counts of the watched tables and the customer's row before the test; its teardown
    asserts that neither moved."""
    before = row_counts(ctx), customer_row(ctx, bank.customer_id)
    yield
    assert (row_counts(ctx), customer_row(ctx, bank.customer_id)) == before


def patch_customer(
    client: TestClient, bank: Bank, json: Any, if_match: str = '"1"'
) -> httpx2.Response:
    return client.patch(bank.customer_url, json=json, headers={**bank.agent, "If-Match": if_match})


# --- PATCH /api/v1/customers/{id} -------------------------------------------------------------


@pytest.mark.usefixtures("unchanged")
def test_malformed_json_in_a_customer_update_is_422_for_the_body(
    client: TestClient, bank: Bank
) -> None:
    response = client.patch(
        bank.customer_url,
        content=b'{"address": "x",',
        headers={**bank.agent, "If-Match": '"1"', "Content-Type": "application/json"},
    )
    body = assert_problem(response, 422, "body")
    assert "JSON decode error" in body["detail"]


@pytest.mark.usefixtures("unchanged")
def test_a_json_array_instead_of_an_object_is_422_for_the_body(
    client: TestClient, bank: Bank
) -> None:
    assert_problem(patch_customer(client, bank, [{"address": "x"}]), 422, "body")


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"address": 12345}, "address"),
        ({"address": ["杭州"]}, "address"),
        ({"phone": 13800000000}, "phone"),
        ({"phone": "12345"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"address": "   "}, "address"),
    ],
)
def test_a_wrong_type_or_shape_in_a_customer_update_is_422_naming_the_field(
    client: TestClient, bank: Bank, changes: dict[str, Any], field: str
) -> None:
    assert_problem(patch_customer(client, bank, changes), 422, field)


@pytest.mark.usefixtures("unchanged")
def test_an_over_long_address_is_422_naming_the_address(client: TestClient, bank: Bank) -> None:
    assert_problem(patch_customer(client, bank, {"address": LONG}), 422, "address")


@pytest.mark.usefixtures("unchanged")
def test_an_unknown_field_in_a_customer_update_is_422_naming_it(
    client: TestClient, bank: Bank
) -> None:
    response = patch_customer(client, bank, {"address": "x", "version": 99})
    assert_problem(response, 422, "version")


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("customer_id", "status", "field"),
    [(999999, 404, None), (2**63, 422, "path.customer_id"), ("abc", 422, "path.customer_id")],
)
def test_an_unknown_or_malformed_customer_id_is_refused(
    client: TestClient, bank: Bank, customer_id: object, status: int, field: str | None
) -> None:
    response = client.patch(
        f"/api/v1/customers/{customer_id}",
        json={"address": "x"},
        headers={**bank.agent, "If-Match": '"1"'},
    )
    assert_problem(response, status, field)


@pytest.mark.usefixtures("unchanged")
def test_a_stale_etag_is_412_and_changes_nothing(client: TestClient, bank: Bank) -> None:
    response = patch_customer(client, bank, {"address": "新地址"}, if_match='"7"')
    assert_problem(response, 412)


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    "if_match",
    [None, "", "abc", '"-1"', '"1.0"', '"' + "9" * 19 + '"', "*"],
    ids=["missing", "empty", "word", "negative", "decimal", "too-long", "star"],
)
def test_a_missing_or_malformed_if_match_is_422_naming_it(
    client: TestClient, bank: Bank, if_match: str | None
) -> None:
    headers = dict(bank.agent)
    if if_match is not None:
        headers["If-Match"] = if_match
    response = client.patch(bank.customer_url, json={"address": "x"}, headers=headers)
    assert_problem(response, 422, "If-Match")


@pytest.mark.parametrize("if_match", ['"\u00b2"', '"\u00b9"', '"\u0661"', '"\U0001d7cf"'])
def test_an_if_match_of_digits_that_are_not_ascii_is_invalid_input_not_a_crash(
    if_match: str,
) -> None:
    # "²" passes str.isdigit() but int() refuses it (a ValueError, so a 500). A server hands the
    # app header bytes as latin-1, so b'"\xb2"' arrives as '"²"'; the TestClient re-encodes header
    # values as UTF-8 and cannot send it, so the parser is checked directly (and the schemathesis
    # run sends such headers end to end).
    with pytest.raises(InvalidInput) as refused:
        parse_if_match(if_match)
    assert refused.value.field == "If-Match"


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("field", ["address", "email"])
def test_a_nul_character_in_a_text_field_is_422_not_a_database_error(
    client: TestClient, bank: Bank, field: str
) -> None:
    value = "杭州\x00市" if field == "address" else "a\x00b@example.com"
    assert_problem(patch_customer(client, bank, {field: value}), 422, field)


@pytest.mark.parametrize("address", [SQL, SCRIPT, "Robert'); DROP TABLE loans;--"])
def test_sql_or_script_in_an_address_is_stored_verbatim_and_injects_nothing(
    client: TestClient, bank: Bank, ctx: Context, address: str
) -> None:
    counts = row_counts(ctx)
    response = patch_customer(client, bank, {"address": address})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json()["address"] == address
    assert customer_row(ctx, bank.customer_id) == (2, address)
    read = client.get(bank.customer_url, headers=bank.agent)
    assert read.json()["address"] == address
    after = row_counts(ctx)  # every table is still there, and only the update was audited
    assert after == {**counts, "audit_log": counts["audit_log"] + 1}


def test_a_customer_may_not_change_someone_elses_record_and_an_unsigned_request_is_401(
    client: TestClient, bank: Bank, ctx: Context
) -> None:
    other = factories.customer(ctx)
    ctx.session.commit()
    before = row_counts(ctx), customer_row(ctx, other.id)
    url = f"/api/v1/customers/{other.id}"
    stranger = client.patch(
        url, json={"address": "x"}, headers={**bank.customer, "If-Match": '"1"'}
    )
    assert_problem(stranger, 404)
    unsigned = client.patch(url, json={"address": "x"}, headers={"If-Match": '"1"'})
    assert_problem(unsigned, 401)
    assert unsigned.headers["WWW-Authenticate"] == "Bearer"
    forged = client.patch(
        url, json={"address": "x"}, headers={"Authorization": "Bearer forged", "If-Match": '"1"'}
    )
    assert_problem(forged, 401)
    assert (row_counts(ctx), customer_row(ctx, other.id)) == before


# --- POST /api/v1/loans/{id}/payments ---------------------------------------------------------


def pay(
    client: TestClient, bank: Bank, body: Any, headers: dict[str, str] | None = None
) -> httpx2.Response:
    return client.post(bank.payments_url, json=body, headers={**bank.supervisor, **(headers or {})})


@pytest.mark.usefixtures("unchanged")
def test_malformed_json_in_a_payment_is_422_for_the_body(client: TestClient, bank: Bank) -> None:
    response = client.post(
        bank.payments_url,
        content=b'{"amount": "1.00", value_date: 2026-02-15}',
        headers={**bank.supervisor, "Content-Type": "application/json"},
    )
    assert_problem(response, 422, "body")


@pytest.mark.usefixtures("unchanged")
def test_a_body_that_is_not_utf8_is_a_400_problem_and_writes_nothing(
    client: TestClient, bank: Bank
) -> None:
    response = client.post(
        bank.payments_url,
        content=b'{"amount": "\xbf"}',
        headers={**bank.supervisor, "Content-Type": "application/json"},
    )
    body = assert_problem(response, 400)
    assert body["detail"] == "There was an error parsing the body"


@pytest.mark.usefixtures("unchanged")
def test_a_json_array_instead_of_a_payment_is_422_for_the_body(
    client: TestClient, bank: Bank
) -> None:
    assert_problem(pay(client, bank, [PAYMENT]), 422, "body")


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    "amount",
    [
        12.5,
        1250,
        None,
        "-1",
        "-0.01",
        "0",
        "0.00",
        "99999999999999999999.99",
        "12.345",
        "1e3",
        "NaN",
        "Infinity",
        "¥100",
        "1,000.00",
        "",
        SQL,
    ],
)
def test_an_amount_that_is_not_a_positive_yuan_string_is_422_naming_the_amount(
    client: TestClient, bank: Bank, amount: object
) -> None:
    assert_problem(pay(client, bank, {**PAYMENT, "amount": amount}), 422, "amount")


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    "value_date",
    ["2024-02-30", "2026-13-01", "15/02/2026", "", 20260215, "2026-06-21", "2099-01-01"],
    ids=["feb-30", "month-13", "dd-mm-yyyy", "empty", "number", "tomorrow", "far-future"],
)
def test_a_malformed_or_future_value_date_is_422_naming_it(
    client: TestClient, bank: Bank, value_date: object
) -> None:
    assert_problem(pay(client, bank, {**PAYMENT, "value_date": value_date}), 422, "value_date")


@pytest.mark.usefixtures("unchanged")
def test_a_payment_dated_before_the_loan_started_is_422(client: TestClient, bank: Bank) -> None:
    assert_problem(pay(client, bank, {**PAYMENT, "value_date": "2025-12-31"}), 422, "value_date")


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("reference", [SQL, SCRIPT, "x" * 10_000, "", "a b"])
def test_sql_script_or_over_long_text_in_a_payment_reference_is_422_naming_it(
    client: TestClient, bank: Bank, reference: str
) -> None:
    assert_problem(pay(client, bank, {**PAYMENT, "reference": reference}), 422, "reference")


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(("extra", "field"), [({"loan_id": 2}, "loan_id"), ({"x": 1}, "x")])
def test_an_unknown_field_in_a_payment_is_422_naming_it(
    client: TestClient, bank: Bank, extra: dict[str, object], field: str
) -> None:
    assert_problem(pay(client, bank, {**PAYMENT, **extra}), 422, field)


@pytest.mark.usefixtures("unchanged")
def test_an_unknown_channel_is_422_naming_it(client: TestClient, bank: Bank) -> None:
    assert_problem(pay(client, bank, {**PAYMENT, "channel": "cash"}), 422, "channel")


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("loan_id", "status", "field"),
    [(999999, 404, None), (2**63, 422, "path.loan_id"), ("abc", 422, "path.loan_id")],
)
def test_a_payment_to_an_unknown_or_malformed_loan_id_is_refused(
    client: TestClient, bank: Bank, loan_id: object, status: int, field: str | None
) -> None:
    response = client.post(f"/api/v1/loans/{loan_id}/payments", json=PAYMENT, headers=bank.admin)
    assert_problem(response, status, field)


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("key", "field"),
    [("k" * 500, "header.idempotency-key"), ("   ", "Idempotency-Key")],
    ids=["500-characters", "blank"],
)
def test_a_bad_idempotency_key_is_422_and_records_nothing(
    client: TestClient, bank: Bank, key: str, field: str
) -> None:
    assert_problem(pay(client, bank, PAYMENT, {"Idempotency-Key": key}), 422, field)


def test_a_reused_reference_is_409_and_only_the_first_payment_is_written(
    client: TestClient, bank: Bank, ctx: Context
) -> None:
    body = {**PAYMENT, "reference": "BANK-2026-02-15-001"}
    assert pay(client, bank, body).status_code == 201
    counts = row_counts(ctx)
    assert_problem(pay(client, bank, {**body, "amount": "5.00"}), 409)
    assert row_counts(ctx) == counts


def test_an_idempotency_key_reused_for_another_payment_is_409_and_writes_nothing(
    client: TestClient, bank: Bank, ctx: Context
) -> None:
    key = {"Idempotency-Key": "pay-once"}
    assert pay(client, bank, PAYMENT, key).status_code == 201
    counts = row_counts(ctx)
    assert_problem(pay(client, bank, {**PAYMENT, "amount": "1.00"}, key), 409)
    assert row_counts(ctx) == counts


@pytest.mark.usefixtures("unchanged")
def test_a_customer_may_not_record_a_payment_and_an_unsigned_request_is_401(
    client: TestClient, bank: Bank
) -> None:
    assert_problem(client.post(bank.payments_url, json=PAYMENT, headers=bank.customer), 403)
    assert_problem(client.post(bank.payments_url, json=PAYMENT), 401)


# --- GET /api/v1/loans/{id}/statement?as_of=… -------------------------------------------------


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("as_of", "field"),
    [
        ("2024-02-30", "query.as_of"),
        ("2026-02-29", "query.as_of"),
        ("yesterday", "query.as_of"),
        (SQL, "query.as_of"),
        ("2025-12-31", "as_of"),  # the day before the loan started
        ("0001-01-01", "as_of"),
    ],
)
def test_an_impossible_or_too_early_statement_date_is_422_naming_as_of(
    client: TestClient, bank: Bank, as_of: str, field: str
) -> None:
    response = client.get(bank.statement_url, params={"as_of": as_of}, headers=bank.agent)
    assert_problem(response, 422, field)


@pytest.mark.usefixtures("unchanged")
def test_a_statement_far_in_the_future_is_computed_not_a_server_error(
    client: TestClient, bank: Bank
) -> None:
    response = client.get(bank.statement_url, params={"as_of": "9999-12-31"}, headers=bank.agent)
    assert response.status_code == 200
    assert response.json()["bucket"] == "M6+"


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("loan_id", "status", "field"),
    [(999999, 404, None), (2**63, 422, "path.loan_id"), ("abc", 422, "path.loan_id")],
)
def test_a_statement_for_an_unknown_or_malformed_loan_id_is_refused(
    client: TestClient, bank: Bank, loan_id: object, status: int, field: str | None
) -> None:
    response = client.get(
        f"/api/v1/loans/{loan_id}/statement", params={"as_of": "2026-03-01"}, headers=bank.admin
    )
    assert_problem(response, status, field)


# --- GET /api/v1/customers?page=… -------------------------------------------------------------


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "0"}, "query.page"),
        ({"page": "-1"}, "query.page"),
        ({"page": "abc"}, "query.page"),
        ({"page": "1.5"}, "query.page"),
        ({"page": str(2**63)}, "query.page"),
        ({"page_size": "1000"}, "query.page_size"),
        ({"page_size": "0"}, "query.page_size"),
        ({"q": LONG_ASCII}, "query.q"),
        ({"province": LONG_ASCII}, "query.province"),
        ({"q": "张\x00伟"}, "query.q"),
    ],
)
def test_a_bad_page_or_search_parameter_is_422_naming_it(
    client: TestClient, bank: Bank, params: dict[str, str], field: str
) -> None:
    response = client.get("/api/v1/customers", params=params, headers=bank.supervisor)
    assert_problem(response, 422, field)


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("q", [SQL, "' OR '1'='1", "%' OR 1=1 --", SCRIPT, "%", "_"])
def test_sql_or_script_in_a_search_is_a_plain_search_that_finds_nothing(
    client: TestClient, bank: Bank, q: str
) -> None:
    response = client.get("/api/v1/customers", params={"q": q}, headers=bank.agent)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    if q in ("%", "_"):  # LIKE wildcards match everything; they are not an error
        assert body["total"] == 1
    else:
        assert body == {"items": [], "total": 0, "page": 1, "page_size": 20}


@pytest.mark.usefixtures("unchanged")
def test_a_customer_may_not_list_customers(client: TestClient, bank: Bank) -> None:
    assert_problem(client.get("/api/v1/customers", headers=bank.customer), 403)


# --- POST /api/v1/auth/token ------------------------------------------------------------------


def test_a_token_request_sent_as_json_or_malformed_is_422_naming_the_username(
    client: TestClient, bank: Bank, ctx: Context
) -> None:
    counts = row_counts(ctx)
    as_json = client.post("/api/v1/auth/token", json={"username": "a", "password": "b"})
    assert_problem(as_json, 422, "username")
    malformed = client.post(
        "/api/v1/auth/token", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert_problem(malformed, 422, "username")
    assert row_counts(ctx) == counts


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"username": "agent1"}, "password"),
        ({"password": "x"}, "username"),
        ({"username": "", "password": "x"}, "username"),
        ({"username": LONG, "password": "x"}, "username"),
        ({"username": "agent1", "password": LONG}, "password"),
        ({"username": "a\x00b", "password": "x"}, "username"),
    ],
)
def test_a_missing_empty_over_long_or_nul_credential_is_422_and_records_no_attempt(
    client: TestClient, bank: Bank, ctx: Context, form: dict[str, str], field: str
) -> None:
    def attempts() -> int:
        return int(ctx.session.execute(text("SELECT count(*) FROM login_attempts")).scalar_one())

    before = attempts(), row_counts(ctx)
    assert_problem(client.post("/api/v1/auth/token", data=form), 422, field)
    assert (attempts(), row_counts(ctx)) == before


@pytest.mark.parametrize("username", [SQL, "admin' --", "' OR '1'='1", SCRIPT])
def test_sql_or_script_as_a_username_is_a_wrong_login_and_injects_nothing(
    client: TestClient, bank: Bank, ctx: Context, username: str
) -> None:
    counts = row_counts(ctx)
    response = client.post("/api/v1/auth/token", data={"username": username, "password": "x"})
    assert_problem(response, 401)
    assert row_counts(ctx) == counts  # the customers table (and every other) is intact
    recorded = ctx.session.execute(
        text("SELECT username, succeeded FROM login_attempts ORDER BY id DESC LIMIT 1")
    ).one()
    assert tuple(recorded) == (username, False)
