"""Every API route × every role: the outcome is the one ``xieshang.kit.access`` promises.

A route whose name has no rule fails here (and the app refuses to start); a role outside a route's
rule gets 403; a customer asking for someone else's objects gets 404, like an id that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests import factories
from xieshang.agreements.schemas import AcceptIn
from xieshang.agreements.service import accept_offer, offer_terms
from xieshang.complaints.attachments import add_attachment
from xieshang.complaints.intake import file_complaint
from xieshang.complaints.schemas import ComplaintCreate
from xieshang.feedback.service import invite_after_negotiation
from xieshang.kit.access import NON_API_OPERATIONS, OPERATIONS, PUBLIC_OPERATIONS
from xieshang.kit.context import Context
from xieshang.models.user import Role
from xieshang.negotiations.schemas import NegotiationCreate
from xieshang.negotiations.service import open_case
from xieshang.notifications.service import notify
from xieshang.policy.document import default_text
from xieshang.policy.schemas import PolicyProposal
from xieshang.policy.service import propose
from xieshang.web.app import ROUTERS, api_routes, check_every_route_has_a_rule

FINANCES = {
    "verified_income": "7000.00",
    "stated_income": "7000.00",
    "essential_expenses": "4000.00",
    "other_debt_service": "1000.00",
}
NEGOTIATION: dict[str, object] = {
    "as_of": "2026-03-01",
    "finances": FINANCES,
    "request": {"scenario": "hardship"},
}
BODIES: dict[str, dict[str, object]] = {
    "customers.update": {"address": "杭州市西湖区 2 号"},
    "loans.payments.create": {"amount": "10.00", "value_date": "2026-02-15"},
    "negotiations.create": NEGOTIATION,
    "negotiations.approve": {"note": "checked the payslips"},
    "negotiations.reject": {"note": "income not evidenced"},
    "negotiations.adjust": {"months": 24, "annual_rate": "0.10"},
    "negotiations.escalate": {"reason": "vulnerable_customer", "note": "recently bereaved"},
    "negotiations.decline": {},
    "negotiations.counter": {"months": 30},
    "negotiations.accept": {"consent": True, "terms_sha256": "0" * 64},
    "conduct.lint": {"text": "您好，您的还款已逾期 3 天"},
    "surveys.answer": {"csat": 5, "nps": 9, "comment": "很满意"},
    "contacts.create": {"customer_id": 1, "channel": "phone", "purpose": "service"},
    "complaints.acknowledge": {},
    "complaints.investigate": {"note": "called the customer"},
    "complaints.assign": {"group": "complaint_desk"},
    "complaints.note": {"note": "checked the statement", "customer_visible": False},
    "complaints.classify": {"category": "fees_interest", "root_causes": ["disclosure"]},
    "complaints.extend": {"extension": "complex", "reason": "需要调取通话录音"},
    "complaints.pause": {"reason": "mediation"},
    "complaints.resume": {},
    "complaints.new_facts": {"text": "我又发现了一笔重复扣款"},
    "complaints.decide": {
        "decision": "upheld",
        "facts": "a fee was charged twice",
        "basis": "contract clause 5",
    },
    "complaints.notify": {"channel": "inbox"},
    "complaints.review_request": {"reason": "I disagree"},
    "complaints.review_decide": {"outcome": "upheld", "findings": "handled on time"},
    "complaints.close": {},
    "complaints.withdraw": {"note": "resolved by phone"},
    "users.create": {
        "username": "matrix-new",
        "display_name": "新坐席",
        "role": "agent",
        "password": "correct horse battery",
    },
    "users.password": {"password": "correct horse battery"},
    # a wrong current password: the call is allowed (422) and changes nothing, so the tokens live
    "me.password": {"current_password": "not it", "new_password": "correct horse battery"},
    "policy.propose": {
        "text": default_text()
        .replace('version: "2026.1"', 'version: "2026.9"')
        .replace("effective_from: 2026-01-01", "effective_from: 2026-07-01"),
        "note": "matrix",
    },
    "policy.approve": {"note": "checked"},
    "policy.reject": {"note": "not now"},
}
COMPLAINT = "银行重复收取了手续费，请退还"
ATTACHMENT = ("note.txt", "转账记录".encode(), "text/plain")


@dataclass
class Ids:
    own_customer: int
    other_customer: int
    own_loan: int
    other_loan: int
    own_case: int
    other_case: int
    own_offer: int
    other_offer: int
    own_complaint: int
    other_complaint: int
    own_attachment: int
    other_attachment: int
    own_notification: int
    other_notification: int
    own_invitation: int
    other_invitation: int
    own_agreement: int
    other_agreement: int
    spare_user: int
    own_version: int
    other_version: int

    def path_ids(self, whose: str) -> dict[str, int]:
        """The ids to put in a path: the signed-in customer's own objects, or someone else's."""
        return {
            name: getattr(self, f"{whose}_{kind}")
            for name, kind in (
                ("customer_id", "customer"),
                ("loan_id", "loan"),
                ("case_id", "case"),
                ("offer_id", "offer"),
                ("notification_id", "notification"),
                ("invitation_id", "invitation"),
                ("complaint_id", "complaint"),
                ("attachment_id", "attachment"),
                ("agreement_id", "agreement"),
                ("version_id", "version"),
            )
        } | {"user_id": self.spare_user}


@pytest.fixture
def ids(ctx: Context) -> Ids:
    factories.product(ctx)
    own, other = factories.customer(ctx), factories.customer(ctx)
    own_loan, other_loan = factories.loan(ctx, own), factories.loan(ctx, other)
    for role in Role:
        factories.user(ctx, role, f"matrix-{role.value}", own.id if role is Role.CUSTOMER else None)
    ctx.session.commit()
    cases = [
        open_case(
            ctx,
            NegotiationCreate.model_validate({**BODIES["negotiations.create"], "loan_id": loan.id}),
        )
        for loan in (own_loan, other_loan)
    ]
    own_offer, other_offer = (case.offers[0].id for case in cases)
    complaints = [
        file_complaint(ctx, ComplaintCreate(text=COMPLAINT, customer_id=c.id, channel="phone"))
        for c in (own, other)
    ]
    files = [add_attachment(ctx, c.id, ATTACHMENT[0], ATTACHMENT[1]) for c in complaints]
    notes = [
        notify(ctx, c.id, "offer_rejected", {"loan_no": "L1", "note": "-"}) for c in (own, other)
    ]
    invitations = [invite_after_negotiation(ctx, c.customer_id, c.id) for c in cases]
    spare = factories.user(ctx, Role.AGENT, "matrix-spare")  # disabled, enabled, its password set
    agreements = []
    for c in (own, other):  # a due-date change on another loan of each, accepted
        moved = open_case(
            ctx,
            NegotiationCreate.model_validate(
                {
                    **NEGOTIATION,
                    "loan_id": factories.loan(
                        ctx, c, start_date=date(2026, 2, 10)
                    ).id,  # current on 1 March
                    "request": {"scenario": "hardship", "preferred_due_day": 10},
                }
            ),
        )
        offer = next(o for o in moved.offers if o.key == "due_date")
        sha = offer_terms(ctx, moved.id, offer.id, "zh").sha256
        agreement = accept_offer(
            ctx, moved.id, offer.id, AcceptIn(consent=True, terms_sha256=sha), None
        ).answer
        agreements.append(agreement.id)
    draft = str(BODIES["policy.propose"]["text"]).replace('"2026.9"', '"2026.8"')
    version = propose(ctx, PolicyProposal(text=draft, note="for the matrix"))
    ctx.session.commit()
    return Ids(
        own.id,
        other.id,
        own_loan.id,
        other_loan.id,
        cases[0].id,
        cases[1].id,
        own_offer,
        other_offer,
        complaints[0].id,
        complaints[1].id,
        files[0].id,
        files[1].id,
        notes[0].id,
        notes[1].id,
        invitations[0].id,
        invitations[1].id,
        agreements[0],
        agreements[1],
        spare.id,
        version.id,
        version.id,
    )


def fill(path: str, ids: dict[str, int]) -> str:
    for name, value in ids.items():
        path = path.replace("{" + name + "}", str(value))
    return path


def call(client: TestClient, route: APIRoute, url: str, headers: dict[str, str], ids: Ids) -> int:
    method = sorted((route.methods or set()) - {"HEAD"})[0]
    headers = {**headers, "If-Match": '"1"'}
    body = BODIES.get(route.name)
    if route.name == "surveys.campaigns.create":
        body = {"name": "2026 Q2", "customer_ids": [ids.own_customer]}
    if route.name == "negotiations.create":
        body = {**NEGOTIATION, "loan_id": ids.own_loan}
    if route.name == "contacts.create":
        body = {"customer_id": ids.own_customer, "channel": "sms", "purpose": "service"}
    if route.name == "complaints.create":
        body = {"text": COMPLAINT, "customer_id": ids.own_customer}
    if route.name == "complaints.attachments.create":
        response = client.request(method, url, files={"file": ATTACHMENT}, headers=headers)
        return response.status_code
    response = client.request(method, url, json=body, headers=headers)
    return response.status_code


def login(client: TestClient, role: Role) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token",
        data={"username": f"matrix-{role.value}", "password": factories.PASSWORD},
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_every_api_route_has_an_access_rule(app: FastAPI) -> None:
    names = {route.name for _, route in api_routes()}
    served = {route.path for route in app.routes if isinstance(route, APIRoute)}
    assert {path for path, _ in api_routes()} <= served | {p for p, _ in api_routes()}
    assert names - set(OPERATIONS) - PUBLIC_OPERATIONS == set()
    assert set(OPERATIONS) - NON_API_OPERATIONS - names == set(), (
        "a rule for a route that does not exist"
    )


def test_every_route_by_every_role(app: FastAPI, client: TestClient, ids: Ids) -> None:
    tokens = {role: login(client, role) for role in Role}
    checked = 0
    for path, route in api_routes():
        if route.name in PUBLIC_OPERATIONS:
            continue
        own = fill(path, ids.path_ids("own"))
        assert call(client, route, own, {}, ids) == 401, f"{path} without a token"
        for role in Role:
            status = call(client, route, own, tokens[role], ids)
            if route.name == "auth.revoke":
                tokens[role] = login(client, role)  # that call revoked the token it carried
            if role in OPERATIONS[route.name]:
                assert status not in (401, 403, 404), f"{role} on {path}: {status}"
            else:
                assert status == 403, f"{role} on {path}: {status}"
            checked += 1
        if "{" in path and Role.CUSTOMER in OPERATIONS[route.name]:
            foreign = fill(path, ids.path_ids("other"))
            assert call(client, route, foreign, tokens[Role.CUSTOMER], ids) == 404, foreign
    other_loan = {**NEGOTIATION, "loan_id": ids.other_loan}
    response = client.post("/api/v1/negotiations", json=other_loan, headers=tokens[Role.CUSTOMER])
    assert response.status_code == 404, "a customer cannot negotiate someone else's loan"
    foreign_complaint = {"text": COMPLAINT, "customer_id": ids.other_customer}
    response = client.post(
        "/api/v1/complaints", json=foreign_complaint, headers=tokens[Role.CUSTOMER]
    )
    assert response.status_code == 404, "a customer cannot complain in someone else's name"
    assert checked >= 10 * len(Role)


def test_adding_a_route_without_a_rule_stops_the_app() -> None:
    router = APIRouter()

    @router.get("/secret", name="secret.unruled")
    def secret() -> dict[str, str]:
        return {}

    with pytest.raises(RuntimeError, match=r"/api/v1/secret \(secret.unruled\) has no rule"):
        check_every_route_has_a_rule((*ROUTERS, router))


def test_the_app_serves_exactly_the_ruled_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths) == {path for path, _ in api_routes()}
