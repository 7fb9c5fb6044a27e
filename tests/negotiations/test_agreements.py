"""Agreements through the API, on SQLite and PostgreSQL: offer → accept → paid → completed; offer →
accept → missed → late → broken → concessions reinstated; approval paths for each role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests import factories
from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.allocation import Component
from xieshang.domain.money import yuan
from xieshang.jobs import close_of_business
from xieshang.jobs.runner import JobReport
from xieshang.kit.config import Settings
from xieshang.kit.context import Context, FixedClock
from xieshang.loans.ledger import to_ledger
from xieshang.loans.schemas import PaymentCreate
from xieshang.loans.service import record_payment, require_loan
from xieshang.models.audit import AuditEntry
from xieshang.models.loan import Loan, LoanTransaction, TransactionKind
from xieshang.models.negotiation import Agreement
from xieshang.models.notification import Notification
from xieshang.models.user import Role

FINANCES = {  # ¥900 left after essentials and debts, below the ¥1,066.19 installment: hardship
    "verified_income": "5000.00",
    "stated_income": "5000.00",
    "essential_expenses": "3500.00",
    "other_debt_service": "600.00",
}


def at(day: date) -> datetime:
    """10:00 in Shanghai on ``day``."""
    return datetime.combine(day, time(2, 0), tzinfo=UTC)


@dataclass
class Bank:
    client: TestClient
    clock: FixedClock
    ctx: Context
    sessions: sessionmaker[Session]
    settings: Settings
    loan_id: int

    def token(self, username: str) -> dict[str, str]:
        response = self.client.post(
            "/api/v1/auth/token", data={"username": username, "password": factories.PASSWORD}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def on(self, day: date) -> None:
        self.clock.current = at(day)

    def open(self, who: str = "ag-customer", **extra: Any) -> dict[str, Any]:
        body = {
            "loan_id": self.loan_id,
            "finances": FINANCES,
            "request": {"scenario": "hardship", "hardship": "job_loss"},
            **extra,
        }
        response = self.client.post("/api/v1/negotiations", json=body, headers=self.token(who))
        assert response.status_code == 201, response.text
        case: dict[str, Any] = response.json()
        return case

    def accept(
        self, case: dict[str, Any], offer_id: int, who: str = "ag-customer", key: str = "k1"
    ) -> Any:
        url = f"/api/v1/negotiations/{case['id']}/offers/{offer_id}"
        terms = self.client.get(f"{url}/terms", headers=self.token(who)).json()
        return self.client.post(
            f"{url}/accept",
            json={"consent": True, "terms_sha256": terms["sha256"], "channel": "app"},
            headers={**self.token(who), "Idempotency-Key": key},
        )

    def pay(self, amount: str, day: date, reference: str) -> None:
        self.on(day)
        response = self.client.post(
            f"/api/v1/loans/{self.loan_id}/payments",
            json={"amount": amount, "value_date": day.isoformat(), "reference": reference},
            headers=self.token("ag-agent"),
        )
        assert response.status_code == 201, response.text

    def contact(self, customer_id: int) -> Any:
        body = {"customer_id": customer_id, "channel": "phone", "loan_id": self.loan_id}
        return self.client.post("/api/v1/contacts", json=body, headers=self.token("ag-agent"))

    def close(self, day: date) -> JobReport:
        self.on(day)
        return close_of_business.run(self.sessions, self.settings, day, clock=self.clock)

    def agreement(self) -> Agreement:
        self.ctx.session.expire_all()
        found = self.ctx.session.scalar(select(Agreement).where(Agreement.loan_id == self.loan_id))
        assert found is not None
        return found


@pytest.fixture
def bank(
    client: TestClient,
    clock: FixedClock,
    ctx: Context,
    sessions: sessionmaker[Session],
    settings: Settings,
) -> Bank:
    """A 12 000 yuan, 12 % loan from 1 June 2025; three installments paid, then nothing."""
    clock.current = at(date(2025, 11, 20))
    factories.product(ctx)
    owner = factories.customer(ctx, name="李娜")
    loan = factories.loan(
        ctx, owner, principal="12000.00", annual_rate="12%", months=12, start_date=date(2025, 6, 1)
    )
    for n, due in enumerate([date(2025, 7, 1), date(2025, 8, 1), date(2025, 9, 1)]):
        record_payment(
            ctx, loan.id, PaymentCreate(amount="1066.19", value_date=due, reference=f"p{n}")
        )
    factories.user(ctx, Role.CUSTOMER, "ag-customer", owner.id)
    for name, role in (
        ("ag-agent", Role.AGENT),
        ("ag-agent2", Role.AGENT),
        ("ag-super", Role.SUPERVISOR),
        ("ag-super2", Role.SUPERVISOR),
    ):
        factories.user(ctx, role, name)
    ctx.session.commit()
    return Bank(client, clock, ctx, sessions, settings, loan.id)


def _plan(case: dict[str, Any]) -> dict[str, Any]:
    offer: dict[str, Any] = next(o for o in case["offers"] if o["key"] == "plan")
    return offer


def _ready(bank: Bank, case: dict[str, Any], offer: dict[str, Any]) -> None:
    """Approve the offer if the engine sent it to a person (the level it needs)."""
    if offer["status"] == "pending_approval":
        who = "ag-agent" if offer["approval"] == "agent" else "ag-super"
        response = bank.client.post(
            f"/api/v1/negotiations/{case['id']}/offers/{offer['id']}/approve",
            json={"note": "income evidenced"},
            headers=bank.token(who),
        )
        assert response.status_code == 200, response.text


def test_an_agreement_is_kept_paid_and_completed(bank: Bank) -> None:
    case = bank.open()
    offer = _plan(case)
    assert offer["offer"]["concessions"]["waived"] != "0.00", "overdue: penalty waived on condition"
    _ready(bank, case, offer)
    response = bank.accept(case, offer["id"])
    assert response.status_code == 201, response.text
    signed = response.json()
    assert signed["status"] == "active"
    assert bank.accept(case, offer["id"]).json() == signed, "same key, same answer"

    loan = bank.ctx.session.get(Loan, bank.loan_id)
    assert loan is not None
    bank.ctx.session.refresh(loan)
    assert loan.restructured
    assert loan.segment == 1
    assert loan.observation_until is not None
    assert loan.observation_until >= date(2026, 11, 20)
    schedule = bank.client.get(f"/api/v1/loans/{bank.loan_id}", headers=bank.token("ag-customer"))
    rows = schedule.json()["schedule"]["installments"]
    assert [r["payment"] for r in rows] == [
        r["payment"] for r in offer["offer"]["schedule"]["installments"]
    ]
    carried = yuan(offer["offer"]["installation"]["carried"])
    for n, row in enumerate(rows):
        due = date.fromisoformat(row["due_date"])
        amount = yuan(row["payment"]) + (carried if n == 0 else 0)
        bank.pay(f"{amount / 100:.2f}", due, f"plan-{n}")
        bank.close(due + timedelta(days=1))
        assert bank.agreement().status in ("active", "completed")
    agreement = bank.agreement()
    assert agreement.status == "completed"
    # judged day by day: complete on the day the last payment arrived
    assert agreement.completed_on == date.fromisoformat(rows[-1]["due_date"])
    bank.ctx.session.refresh(loan)
    assert loan.status.value == "paid_off"
    assert loan.days_past_due == 0
    subjects = [
        n.template for n in bank.ctx.session.scalars(select(Notification).order_by(Notification.id))
    ]
    assert "agreement_signed" in subjects
    assert subjects[-2:] == ["survey_after_negotiation", "agreement_completed"]


def test_a_missed_payment_makes_it_late_then_broken_and_concessions_come_back(bank: Bank) -> None:
    case = bank.open()
    offer = _plan(case)
    _ready(bank, case, offer)
    assert bank.accept(case, offer["id"]).status_code == 201
    customer = case["customer_id"]
    paused = bank.contact(customer)
    assert paused.status_code == 409
    assert paused.json()["rule"] == "CONDUCT_PLAN_PERFORMING", "collection pauses while kept"
    installation = offer["offer"]["installation"]
    conditional = sum(yuan(v) for v in installation["conditional"].values())
    carried = yuan(installation["carried"])
    assert conditional > 0
    rows = offer["offer"]["schedule"]["installments"]
    first, second = (date.fromisoformat(r["due_date"]) for r in rows[:2])
    bank.pay(f"{(yuan(rows[0]['payment']) + carried) / 100:.2f}", first, "plan-0")
    assert bank.close(first + timedelta(days=1)).counts["loans_closed"] == 1
    assert bank.agreement().status == "active"

    bank.close(second + timedelta(days=1))
    late = bank.agreement()
    assert late.status == "late"
    assert late.days_late == 1
    grace = 30  # policy agreements.grace_days
    report = bank.close(second + timedelta(days=grace + 1))  # catches up day by day
    assert report.counts["agreements_broken"] == 1
    broken = bank.agreement()
    assert broken.status == "broken"
    assert broken.broken_on == second + timedelta(days=grace + 1)
    assert broken.reinstated == conditional
    assert bank.contact(customer).status_code == 201, "a broken agreement resumes collection"

    loan = require_loan(bank.ctx, bank.loan_id)
    bank.ctx.session.refresh(loan, ["transactions"])
    back = [t for t in loan.transactions if t.kind is TransactionKind.REINSTATED]
    assert [t.amount for t in back] == [conditional]
    # Every fen: the debt at signing is the plan's principal + conditional + carried …
    debt = sum(yuan(v) for v in installation["debt"].values())
    plan_principal = sum(yuan(r["principal"]) for r in rows)
    assert debt == plan_principal + conditional + carried
    # … and the ledger after the break owes exactly what was charged less what was paid.
    state = ledger_as_of(to_ledger(loan), broken.broken_on)
    charged = {c: sum(s.charged[c] for s in state.installments) for c in Component}
    paid = sum(sum(s.paid.values()) for s in state.installments)
    assert charged[Component.PRINCIPAL] == plan_principal
    assert charged[Component.FEE] == carried + conditional
    segment_paid = sum(
        t.amount
        for t in loan.transactions
        if t.kind is TransactionKind.PAYMENT and t.segment == loan.segment
    )
    assert paid + state.credit == segment_paid
    owed = sum(s.total_owed for s in state.installments)
    assert owed == sum(charged.values()) - paid
    templates = [n.template for n in bank.ctx.session.scalars(select(Notification))]
    assert "agreement_late" in templates
    assert "agreement_broken" in templates
    assert "survey_after_negotiation" in templates, "a resolved negotiation asks for feedback"
    actions = [a.action for a in bank.ctx.session.scalars(select(AuditEntry))]
    assert "agreement.late" in actions
    assert "agreement.broken" in actions


def test_approval_paths_for_each_role_and_no_self_approval(bank: Bank) -> None:
    # An agent enters the case for the customer; recent new debts send the plan to an agent.
    case = bank.open("ag-agent", new_debts_recent=3)
    offer = _plan(case)
    assert offer["status"] == "pending_approval"
    assert offer["approval"] == "agent"
    assert case["status"] == "pending_approval"
    url = f"/api/v1/negotiations/{case['id']}/offers/{offer['id']}"
    assert bank.accept(case, offer["id"]).status_code == 409, "not yet approved"
    customer = bank.client.post(f"{url}/approve", json={}, headers=bank.token("ag-customer"))
    assert customer.status_code == 403
    own = bank.client.post(f"{url}/approve", json={}, headers=bank.token("ag-agent"))
    assert own.status_code == 403
    assert "four-eyes" in own.json()["detail"]
    queue = bank.client.get("/api/v1/negotiations?awaiting=true", headers=bank.token("ag-agent2"))
    assert [c["id"] for c in queue.json()["items"]] == [case["id"]]
    mine = bank.client.get("/api/v1/negotiations?awaiting=true", headers=bank.token("ag-agent"))
    assert mine.json()["items"] == [], "nobody sees their own proposal in their queue"
    other = bank.client.post(f"{url}/approve", json={"note": "ok"}, headers=bank.token("ag-agent2"))
    assert other.status_code == 200, other.text
    assert other.json()["status"] == "approved"

    # An adjustment beyond an agent's authority (a 5-point rate cut) waits for a supervisor.
    adjusted = bank.client.post(
        f"/api/v1/negotiations/{case['id']}/adjust",
        json={"months": 24, "annual_rate": "0.07", "note": "customer asked for 24 months"},
        headers=bank.token("ag-agent"),
    )
    assert adjusted.status_code == 201, adjusted.text
    row = next(o for o in adjusted.json()["offers"] if o["key"] == "adjusted")
    assert row["approval"] == "supervisor"
    assert row["status"] == "pending_approval"
    adjusted_url = f"/api/v1/negotiations/{case['id']}/offers/{row['id']}"
    too_low = bank.client.post(f"{adjusted_url}/approve", json={}, headers=bank.token("ag-agent2"))
    assert too_low.status_code == 403
    refused = bank.client.post(
        f"{adjusted_url}/reject",
        json={"note": "the 24-month plan at contract rate is affordable"},
        headers=bank.token("ag-super"),
    )
    assert refused.status_code == 200
    rejected = next(o for o in refused.json()["offers"] if o["id"] == row["id"])
    assert rejected["status"] == "rejected"
    assert rejected["decided_by"] is not None

    # A plan the engine refuses (over the APR cap) is never offered.
    illegal = bank.client.post(
        f"/api/v1/negotiations/{case['id']}/adjust",
        json={"months": 12, "annual_rate": "0.30"},
        headers=bank.token("ag-super"),
    )
    assert illegal.status_code == 422
    assert "all-in annual cost above the cap" in illegal.json()["detail"]

    # Within a supervisor's authority the supervisor's own adjustment is offered at once.
    forbear = bank.client.post(
        f"/api/v1/negotiations/{case['id']}/adjust",
        json={"months": 36, "annual_rate": "0.12", "forbear": "1000.00", "waive": True},
        headers=bank.token("ag-super"),
    )
    assert forbear.status_code == 201, forbear.text
    made = next(o for o in forbear.json()["offers"] if o["key"] == "adjusted")
    below = any(r["code"] == "NPV_BELOW_BASELINE" for r in made["offer"]["reasons"])
    if below:  # a plan worth less than doing nothing always needs a second person
        assert made["status"] == "pending_approval"
        self_approve = bank.client.post(
            f"/api/v1/negotiations/{case['id']}/offers/{made['id']}/approve",
            json={},
            headers=bank.token("ag-super"),
        )
        assert self_approve.status_code == 403
    else:
        assert made["status"] == "offered"
        assert made["decided_by"] is not None


def test_two_accepts_for_one_case_make_one_agreement(bank: Bank) -> None:
    case = bank.open(request={"scenario": "hardship", "hardship": "income_drop_temporary"})
    offers = [o for o in case["offers"] if o["status"] in ("offered", "pending_approval")]
    for offer in offers:
        _ready(bank, case, offer)
    assert len(offers) >= 2
    first = bank.accept(case, offers[0]["id"], key="device-a")
    second = bank.accept(case, offers[1]["id"], key="device-b")
    assert first.status_code == 201
    assert second.status_code == 409
    assert second.headers["content-type"] == "application/problem+json"
    count = bank.ctx.session.scalars(select(Agreement).where(Agreement.case_id == case["id"]))
    assert len(count.all()) == 1


def test_accepting_needs_the_exact_terms_and_an_unchanged_loan(bank: Bank) -> None:
    case = bank.open()
    offer = _plan(case)
    _ready(bank, case, offer)
    url = f"/api/v1/negotiations/{case['id']}/offers/{offer['id']}"
    zh = bank.client.get(f"{url}/terms", headers=bank.token("ag-customer")).json()
    en = bank.client.get(f"{url}/terms?lang=en", headers=bank.token("ag-customer")).json()
    assert "如未按期还款" in zh["text"]
    assert "If a payment is missed" in en["text"]
    assert zh["sha256"] != en["sha256"]
    wrong = bank.client.post(
        f"{url}/accept",
        json={"consent": True, "terms_sha256": "f" * 64},
        headers=bank.token("ag-customer"),
    )
    assert wrong.status_code == 409
    no_consent = bank.client.post(
        f"{url}/accept",
        json={"consent": False, "terms_sha256": zh["sha256"]},
        headers=bank.token("ag-customer"),
    )
    assert no_consent.status_code == 422
    bank.pay("100.00", date(2025, 11, 20), "late-payment")  # the loan moves after the offer
    changed = bank.accept(case, offer["id"])
    assert changed.status_code == 409
    assert "changed since the offer" in changed.json()["detail"]
    assert bank.ctx.session.scalar(select(Agreement.id)) is None
    bank.ctx.session.expire_all()
    loan = bank.ctx.session.get(Loan, bank.loan_id)
    assert loan is not None
    assert loan.segment == 0
    assert not loan.restructured
    fees = bank.ctx.session.scalars(
        select(LoanTransaction).where(LoanTransaction.kind != TransactionKind.PAYMENT)
    )
    assert fees.all() == []


def test_offers_expire_at_the_close_of_business(bank: Bank) -> None:
    case = bank.open()
    offer = _plan(case)
    expires = date.fromisoformat(offer["expires_on"])
    bank.close(expires)
    again = bank.client.get(f"/api/v1/negotiations/{case['id']}", headers=bank.token("ag-customer"))
    assert again.json()["status"] != "expired"
    report = bank.close(expires + timedelta(days=1))
    assert report.counts["offers_expired"] >= 1
    after = bank.client.get(f"/api/v1/negotiations/{case['id']}", headers=bank.token("ag-customer"))
    assert after.json()["status"] == "expired"
    assert bank.accept(case, offer["id"]).status_code == 409
