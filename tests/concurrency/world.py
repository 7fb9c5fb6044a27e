"""A committed database with loans, staff and acceptable offers; the real app served in a subprocess;
and the books checked after each scenario.

Run as a script it serves the app on the database with the test clock:

    python -m tests.concurrency.world URL PORT
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import IO

import httpx
import uvicorn
from sqlalchemy import Engine, func, select

from tests import factories
from tests.factories import PASSWORD
from xieshang.agreements import service as agreements
from xieshang.audit.service import verify
from xieshang.domain.accrual import ledger_as_of
from xieshang.kit.config import Environment, Settings
from xieshang.kit.context import Context, FixedClock, make_cipher
from xieshang.kit.db import session_factory
from xieshang.loans.ledger import to_ledger
from xieshang.loans.schemas import PaymentCreate
from xieshang.loans.service import record_payment, require_loan
from xieshang.models.loan import Loan, LoanTransaction, TransactionKind
from xieshang.models.negotiation import Agreement, NegotiationCase
from xieshang.models.user import Role
from xieshang.negotiations import service
from xieshang.negotiations.schemas import NegotiationCreate
from xieshang.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2025, 11, 20)
CLOCK = FixedClock(datetime.combine(TODAY, clock_time(2, 0), tzinfo=UTC))
CUSTOMER = "conc-customer"
AGENTS = ("conc-agent-a", "conc-agent-b")
SUPERVISOR = "conc-supervisor"


def settings_for(url: str) -> Settings:
    return Settings(
        database_url=url,
        environment=Environment.DEVELOPMENT,
        argon2_time_cost=1,
        argon2_memory_kib=1024,
    )


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@dataclass
class World:
    loans: list[int]
    """Overdue loans of one customer, three installments paid, none negotiated."""
    cases: dict[int, dict[int, str]] = field(default_factory=dict)
    """Case id → {offer id → SHA-256 of its zh terms}, every offer acceptable now."""
    case_loans: dict[int, int] = field(default_factory=dict)


def prepare(engine: Engine, loans: int, cases: int) -> World:
    """``loans`` overdue loans of one customer; a case with acceptable offers on the first ``cases``."""
    settings = settings_for(url_of(engine))
    with session_factory(engine)() as session:
        ctx = Context(session, settings, make_cipher(settings), CLOCK)
        factories.product(ctx)
        owner = factories.customer(ctx, name="李娜")
        ids = []
        for _ in range(loans):
            loan = factories.loan(
                ctx,
                owner,
                principal="12000.00",
                annual_rate="12%",
                months=12,
                start_date=date(2025, 6, 1),
            )
            for n, due in enumerate([date(2025, 7, 1), date(2025, 8, 1), date(2025, 9, 1)]):
                record_payment(
                    ctx, loan.id, PaymentCreate(amount="1066.19", value_date=due, reference=f"p{n}")
                )
            ids.append(loan.id)
        customer = factories.user(ctx, Role.CUSTOMER, CUSTOMER, owner.id)
        for name in AGENTS:
            factories.user(ctx, Role.AGENT, name)
        supervisor = factories.user(ctx, Role.SUPERVISOR, SUPERVISOR)
        session.commit()
        world = World(ids)
        for loan_id in ids[:cases]:
            ctx.user = customer
            case = service.open_case(ctx, hardship(loan_id))
            ctx.user = supervisor
            for offer in case.offers:
                if offer.status == "pending_approval":
                    service.decide(ctx, case.id, offer.id, approve=True, note="concurrency test")
            ctx.user = customer
            world.cases[case.id] = {
                offer.id: agreements.offer_terms(ctx, case.id, offer.id, "zh").sha256
                for offer in service.get_case(ctx, case.id).offers
                if offer.status in ("offered", "approved")
            }
            world.case_loans[case.id] = loan_id
        return world


@dataclass(frozen=True)
class Ready:
    case_id: int
    loan_id: int
    offers: dict[int, str]
    """Offer id → the SHA-256 of its terms (zh), every offer already acceptable."""


def ready_to_accept(engine: Engine) -> Ready:
    """An overdue loan, its customer, and a case whose offers may all be accepted now: the world of
    the accept race and crash tests (tests/negotiations) and the browser tests (tests/web)."""
    world = prepare(engine, loans=1, cases=1)
    ((case_id, offers),) = world.cases.items()
    return Ready(case_id, world.loans[0], offers)


def hardship(loan_id: int) -> NegotiationCreate:
    return NegotiationCreate.model_validate(
        {
            "loan_id": loan_id,
            "finances": {
                "verified_income": "5000.00",
                "stated_income": "5000.00",
                "essential_expenses": "3300.00",
                "other_debt_service": "600.00",
            },
            "request": {"scenario": "hardship", "hardship": "income_drop_temporary"},
        }
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def served(engine: Engine) -> Iterator[str]:
    """The application in a subprocess of its own (uvicorn, as ``xieshang serve`` runs it), on a
    loopback port; stopped afterwards."""
    port = _free_port()
    with tempfile.TemporaryFile("w+") as log:
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.concurrency.world", url_of(engine), str(port)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])},
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                assert child.poll() is None, _read(log)
                assert time.monotonic() < deadline, "the server did not start in 30 s"
                try:
                    if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            yield base
            assert "Traceback" not in _read(log), _read(log)  # no unhandled error in the server
        finally:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _read(log: IO[str]) -> str:
    log.seek(0)
    return log.read()


def token(base: str, username: str) -> dict[str, str]:
    response = httpx.post(
        base + "/api/v1/auth/token", data={"username": username, "password": PASSWORD}, timeout=30
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@dataclass(frozen=True)
class Books:
    transactions: int
    agreements: int


def check_books(engine: Engine, acknowledged: dict[str, tuple[int, int]]) -> Books:
    """The invariants, on every loan: money is conserved (payments = allocations + credit), no loan
    is overpaid (no credit from concurrent payments), every acknowledged payment (reference →
    (loan, fen)) is in the ledger once and counted — in the statement of the schedule in force or
    in the snapshot its agreement kept of the schedule before —, one installed schedule per
    agreement, and the audit chain verifies."""
    settings = settings_for(url_of(engine))
    with session_factory(engine)() as session:
        ctx = Context(session, settings, make_cipher(settings), CLOCK)
        transactions = 0
        loans = session.scalars(select(Loan)).all()
        for loan in loans:
            loaded = require_loan(ctx, loan.id)
            state = ledger_as_of(to_ledger(loaded), TODAY)
            current = [
                t
                for t in loaded.transactions
                if t.segment == loaded.segment and t.kind is TransactionKind.PAYMENT
            ]
            allocated = sum(sum(s.paid.values()) for s in state.installments)
            paid = sum(t.amount for t in current)
            assert allocated + state.credit == paid, f"loan {loan.id}: money not conserved"
            assert state.credit == 0, f"loan {loan.id} overpaid by {state.credit} fen"
            assert state.payoff_amount >= 0
            agreements = session.scalars(
                select(Agreement).where(Agreement.loan_id == loan.id)
            ).all()
            assert loaded.segment == len(agreements), f"loan {loan.id}: one schedule per agreement"
            kept = {t for a in agreements for t in json.loads(a.previous)["transactions"]}
            for t in loaded.transactions:
                if t.kind is TransactionKind.PAYMENT and t.segment != loaded.segment:
                    assert t.id in kept, f"payment {t.reference} is in no schedule (orphaned)"
            transactions += len(loaded.transactions)
        for reference, (loan_id, amount) in acknowledged.items():
            found = session.scalars(
                select(LoanTransaction).where(LoanTransaction.reference == reference)
            ).all()
            assert [(t.loan_id, t.amount) for t in found] == [(loan_id, amount)], reference
        cases = session.scalar(select(func.count()).select_from(NegotiationCase)) or 0
        agreements_total = session.scalar(select(func.count()).select_from(Agreement)) or 0
        assert agreements_total <= cases
        assert verify(session).intact, "the audit chain does not verify"
        return Books(transactions, agreements_total)


def main(url: str, port: int) -> None:
    app = create_app(settings_for(url), CLOCK)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
