"""Property-based: requests generated from the OpenAPI document never get a server error.

For every operation, schemathesis generates requests that fit the document (positive) and requests
that break it (negative: wrong types, missing or out-of-range values, odd headers), sends them to
the app in process as a signed-in user allowed to perform the operation, and checks that no
response is a 5xx and every error is problem JSON (a 422 naming its field). Where the path has an
id, some examples use the seeded customer's or loan's, so requests reach real objects (and updates
and payments get written) rather than only answering 404.

Bounded and derandomised (MAX_EXAMPLES per operation, the seed fixed by the test's code), so a run
is the same every time; about 20 s on two cores (a fifth of the examples under the fast profile).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import BaseSchema, Case, CheckContext, GenerationMode, Response
from schemathesis.checks import not_a_server_error
from sqlalchemy import text

from tests import factories
from tests.strategies import examples
from xieshang.auth.service import login
from xieshang.kit.access import OPERATIONS
from xieshang.kit.config import Settings
from xieshang.kit.context import Context
from xieshang.models.user import Role
from xieshang.web.app import API_PREFIX, ROUTERS, api_routes, create_app
from xieshang.web.errors import PROBLEM

# At most 25 requests per operation: more that fit the document, as they reach the code behind
# the validation, where a server error is likelier (a fifth of them in the fast subset, ./dev fast).
MAX_EXAMPLES = {GenerationMode.POSITIVE: examples(15), GenerationMode.NEGATIVE: examples(10)}

ROUTES = sorted(
    (method, path, route.name)
    for path, route in api_routes()
    for method in (route.methods or set()) - {"HEAD"}
)


def _cases() -> list[Any]:
    """(method, path, operation, mode) to fuzz: both modes where the operation takes input; only
    positive where it takes none (health, me, audit/verify, auth/revoke), as nothing can be broken."""
    document = FastAPI()
    for router in ROUTERS:
        document.include_router(router, prefix=API_PREFIX)
    paths = document.openapi()["paths"]
    cases = []
    for method, path, operation in ROUTES:
        spec = paths[path][method.lower()]
        takes_input = bool(spec.get("parameters") or spec.get("requestBody"))
        for mode in GenerationMode:
            if mode is GenerationMode.POSITIVE or takes_input:
                cases.append(
                    pytest.param(method, path, operation, mode, id=f"{method} {path} {mode}")
                )
    return cases


# Who sends the requests: the first of these the operation allows (between them, every operation
# so far); for one neither may do, a supervisor, whose requests still meet the validation first.
STAFF = (Role.SUPERVISOR, Role.ADMIN)


@dataclass
class Seeded:
    """One product, two customers with a loan each, and a token for each role in STAFF."""

    path_ids: dict[str, int]
    tokens: dict[Role, str]
    ctx: Context

    def customer_etag(self) -> str:
        version = self.ctx.session.execute(
            text("SELECT version FROM customers WHERE id = :id"),
            {"id": self.path_ids["customer_id"]},
        ).scalar_one()
        return f'"{version}"'

    def headers(self, operation: str) -> dict[str, str]:
        if operation == "auth.revoke":  # it revokes the token it carries: give it its own
            return bearer(self.ctx, Role.SUPERVISOR)
        allowed = OPERATIONS.get(operation, frozenset(Role))
        role = next((r for r in STAFF if r in allowed), Role.SUPERVISOR)
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def bearer(ctx: Context, role: Role) -> dict[str, str]:
    issued = login(ctx, f"fuzz-{role.value}", factories.PASSWORD)
    ctx.user = None  # login signs the context in; the next login must start as the system
    return {"Authorization": f"Bearer {issued.token}"}


@pytest.fixture(scope="module")
def schema(settings: Settings) -> BaseSchema:
    """The OpenAPI document as the app serves it, loaded once; each test sends to its own app."""
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(settings))


@pytest.fixture
def seeded(ctx: Context) -> Seeded:
    factories.product(ctx)
    owner, other = factories.customer(ctx), factories.customer(ctx)
    loan = factories.loan(ctx, owner)
    factories.loan(ctx, other)
    for role in STAFF:
        factories.user(ctx, role, f"fuzz-{role.value}")
    ctx.session.commit()
    tokens = {role: bearer(ctx, role)["Authorization"].removeprefix("Bearer ") for role in STAFF}
    return Seeded({"customer_id": owner.id, "loan_id": loan.id}, tokens, ctx)


def problem_json(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """Every error is RFC 9457 problem JSON; a 422 names the field at fault."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type == PROBLEM, f"{response.status_code} with content-type {content_type!r}"
    body = response.json()
    assert isinstance(body, dict), body
    missing = {"type", "title", "status", "detail"} - body.keys()
    assert not missing, f"problem JSON without {sorted(missing)}: {body}"
    assert body["status"] == response.status_code, body
    if response.status_code == 422:
        assert body.get("field"), f"a 422 that names no field: {body}"
    return None


def aim_at_the_seeded_objects(
    operation: str, case: Case[Any], headers: dict[str, str], seeded: Seeded
) -> None:
    """Get generated requests for the seeded customer and loan past the checks random data almost
    never passes, so they reach the writes: the customer's current ETag for an update, and a value
    date within the loan's life (it started 2026-01-15; today is 2026-06-20) for a payment."""
    if operation == "customers.update":
        headers["If-Match"] = seeded.customer_etag()
    if operation == "loans.payments.create" and isinstance(case.body, dict):
        case.body["value_date"] = "2026-03-01"


@pytest.mark.parametrize(("method", "path", "operation", "mode"), _cases())
def test_generated_requests_never_get_a_server_error(
    schema: BaseSchema,
    app: FastAPI,
    seeded: Seeded,
    method: str,
    path: str,
    operation: str,
    mode: GenerationMode,
) -> None:
    api_operation = schema[path][method]
    known = {name: value for name, value in seeded.path_ids.items() if "{" + name + "}" in path}
    strategy = api_operation.as_strategy(generation_mode=mode)
    if known:
        strategy = st.one_of(
            strategy, api_operation.as_strategy(generation_mode=mode, path_parameters=known)
        )

    @settings(
        max_examples=MAX_EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        # Only timing-based: on a busy CI machine generating a request can be slow, which says
        # nothing about the API; every other health check stays on.
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(case=strategy)
    def send(case: Case[Any]) -> None:
        headers = seeded.headers(operation)
        if known and case.path_parameters == known:
            aim_at_the_seeded_objects(operation, case, headers, seeded)
        case.call_and_validate(app=app, headers=headers, checks=[not_a_server_error, problem_json])

    send()


def test_every_operation_in_the_document_is_fuzzed(schema: BaseSchema) -> None:
    documented = {(method.upper(), path) for path in schema for method in schema[path]}
    assert documented == {(method, path) for method, path, _ in ROUTES}
