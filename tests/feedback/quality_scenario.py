"""Two agents' work, built through the API with a moving clock: each opens a negotiation for a
customer (a supervisor approves what needs approval), the customers sign; one keeps the agreement,
the other breaks it. Each agent decides a complaint, one on time and one late; a customer rates the
first; the first agent's late-evening call is refused by the conduct rules, the second's call made.
Shared by the quality service tests and the team page tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests import factories
from xieshang.domain.money import yuan
from xieshang.feedback.service import invite_after_complaint
from xieshang.jobs import close_of_business
from xieshang.kit.config import Settings
from xieshang.kit.context import Context, FixedClock
from xieshang.loans.schemas import PaymentCreate
from xieshang.loans.service import record_payment
from xieshang.models.user import Role

FINANCES = {
    "verified_income": "5000.00",
    "stated_income": "5000.00",
    "essential_expenses": "3300.00",
    "other_debt_service": "600.00",
}
DECISION = {"decision": "upheld", "facts": "重复扣费", "basis": "合同第五条", "remedy": "退费"}
START = date(2025, 11, 20)


def at(day: date, hour: int = 10) -> datetime:
    """``hour`` o'clock in Shanghai on ``day``."""
    return datetime.combine(day, time(hour - 8), tzinfo=UTC)


@dataclass
class Built:
    agent1: int
    agent2: int
    supervisor: int
    approvals: int
    """Offers the supervisor approved (the engine sends some plans to a person)."""
    kept_agreement: int
    broken_agreement: int
    on_time_complaint: int
    late_complaint: int


class Driver:
    def __init__(
        self,
        client: TestClient,
        clock: FixedClock,
        ctx: Context,
        sessions: sessionmaker[Session],
        settings: Settings,
    ) -> None:
        self.client, self.clock, self.ctx = client, clock, ctx
        self.sessions, self.settings = sessions, settings

    def on(self, day: date, hour: int = 10) -> None:
        self.clock.current = at(day, hour)

    def token(self, username: str) -> dict[str, str]:
        response = self.client.post(
            "/api/v1/auth/token", data={"username": username, "password": factories.PASSWORD}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def post(self, who: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.client.post(f"/api/v1{path}", json=body or {}, headers=self.token(who))
        assert response.status_code in (200, 201), f"{path}: {response.text}"
        return response.json()

    def pay(self, loan_id: int, fen: int, day: date, reference: str) -> None:
        body = {"amount": f"{fen / 100:.2f}", "value_date": day.isoformat(), "reference": reference}
        self.post("q-agent2", f"/loans/{loan_id}/payments", body)

    def close(self, day: date) -> None:
        self.on(day)
        close_of_business.run(self.sessions, self.settings, day, clock=self.clock)


def build(
    client: TestClient,
    clock: FixedClock,
    ctx: Context,
    sessions: sessionmaker[Session],
    settings: Settings,
) -> Built:
    bank = Driver(client, clock, ctx, sessions, settings)
    bank.on(START)
    factories.product(ctx)
    loans = []
    for n, name in enumerate(("李娜", "王芳")):
        owner = factories.customer(ctx, name=name)
        loan = factories.loan(
            ctx,
            owner,
            principal="12000.00",
            annual_rate="12%",
            months=12,
            start_date=date(2025, 6, 1),
        )
        for k, due in enumerate([date(2025, 7, 1), date(2025, 8, 1), date(2025, 9, 1)]):
            record_payment(
                ctx, loan.id, PaymentCreate(amount="1066.19", value_date=due, reference=f"p{k}")
            )
        factories.user(ctx, Role.CUSTOMER, f"q-customer{n + 1}", owner.id)
        loans.append(loan)
    agent1 = factories.user(ctx, Role.AGENT, "q-agent1")
    agent2 = factories.user(ctx, Role.AGENT, "q-agent2")
    supervisor = factories.user(ctx, Role.SUPERVISOR, "q-super")
    factories.user(ctx, Role.COMPLIANCE, "q-compliance")
    ctx.session.commit()

    approvals, agreements, plans = 0, [], []
    for n, (agent, loan) in enumerate(zip(("q-agent1", "q-agent2"), loans, strict=True)):
        body = {
            "loan_id": loan.id,
            "finances": FINANCES,
            "request": {"scenario": "hardship", "hardship": "job_loss"},
        }
        case = bank.post(agent, "/negotiations", body)
        offer = next(o for o in case["offers"] if o["key"] == "plan")
        url = f"/negotiations/{case['id']}/offers/{offer['id']}"
        if offer["status"] == "pending_approval":
            bank.post("q-super", f"{url}/approve", {"note": "income evidenced"})
            approvals += 1
        customer = f"q-customer{n + 1}"
        terms = client.get(f"/api/v1{url}/terms", headers=bank.token(customer)).json()
        signed = client.post(
            f"/api/v1{url}/accept",
            json={"consent": True, "terms_sha256": terms["sha256"], "channel": "app"},
            headers={**bank.token(customer), "Idempotency-Key": f"q{n}"},
        )
        assert signed.status_code == 201, signed.text
        agreements.append(signed.json()["id"])
        plans.append(offer)

    # The first customer pays each installment on its day; the second pays the first only.
    rows = plans[0]["offer"]["schedule"]["installments"]
    carried = yuan(plans[0]["offer"]["installation"]["carried"])
    first, second = (date.fromisoformat(r["due_date"]) for r in rows[:2])
    for n, row in enumerate(rows[:2]):
        due = date.fromisoformat(row["due_date"])
        bank.on(due)
        for k, loan in enumerate(loans):
            if k == 1 and n == 1:
                continue
            amount = yuan(row["payment"]) + (carried if n == 0 else 0)
            bank.pay(loan.id, amount, due, f"plan-{n}")
        bank.close(due + timedelta(days=1))
    grace = 30  # policy agreements.grace_days
    broken_on = second + timedelta(days=grace + 1)
    third = date.fromisoformat(rows[2]["due_date"])
    assert third <= broken_on
    bank.on(third)
    bank.pay(loans[0].id, yuan(rows[2]["payment"]), third, "plan-2")
    bank.close(broken_on)
    assert first < second

    # Complaints: received the day after, one decided on time by agent 1, one late by agent 2.
    received = broken_on + timedelta(days=1)
    bank.on(received)
    complaints = [
        bank.post(f"q-customer{n}", "/complaints", {"text": "贵行重复收取了我的手续费，请退还。"})[
            "id"
        ]
        for n in (1, 2)
    ]
    bank.on(received + timedelta(days=3))
    for cid in complaints:
        bank.post("q-agent1", f"/complaints/{cid}/acknowledge")
    bank.post("q-agent1", f"/complaints/{complaints[0]}/decide", DECISION)
    bank.post("q-agent1", f"/complaints/{complaints[0]}/notify")
    bank.on(received + timedelta(days=20))
    bank.post("q-agent2", f"/complaints/{complaints[1]}/decide", DECISION)
    bank.post("q-agent2", f"/complaints/{complaints[1]}/notify")

    # The first customer rates the handling of their complaint.
    invitation = invite_after_complaint(ctx, loans[0].customer_id, complaints[0])
    ctx.session.commit()
    bank.post("q-customer1", f"/me/surveys/{invitation.id}/answer", {"csat": 4, "nps": 10})

    # Contacts: agent 1 at 21:30 is refused (hours rule); agent 2 at 10:00 is logged.
    bank.on(received + timedelta(days=21), hour=21)
    clock.current += timedelta(minutes=30)
    refused = client.post(
        "/api/v1/contacts",
        json={"customer_id": loans[1].customer_id, "channel": "phone", "purpose": "collection"},
        headers=bank.token("q-agent1"),
    )
    assert refused.status_code == 409, refused.text
    bank.on(received + timedelta(days=22))
    bank.post(
        "q-agent2",
        "/contacts",
        {"customer_id": loans[1].customer_id, "channel": "phone", "purpose": "collection"},
    )
    ctx.session.expire_all()
    return Built(
        agent1=agent1.id,
        agent2=agent2.id,
        supervisor=supervisor.id,
        approvals=approvals,
        kept_agreement=agreements[0],
        broken_agreement=agreements[1],
        on_time_complaint=complaints[0],
        late_complaint=complaints[1],
    )
