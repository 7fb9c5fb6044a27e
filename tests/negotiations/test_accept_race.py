"""Accepting under stress, on SQLite and PostgreSQL: 50 parallel accepts against the running app make
exactly one agreement; a process killed in the middle of an accept leaves all of it or none."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select

from tests.concurrency.world import CLOCK, CUSTOMER, Ready, ready_to_accept, settings_for
from tests.factories import PASSWORD
from tests.negotiations.accept_race import customer_context
from tests.served import in_thread
from xieshang.agreements import service as agreements
from xieshang.agreements.schemas import AcceptIn
from xieshang.audit.service import verify
from xieshang.kit.db import session_factory
from xieshang.models.idempotency import IdempotencyRecord
from xieshang.models.loan import Installment, Loan
from xieshang.models.negotiation import Agreement, NegotiationCase, NegotiationOffer
from xieshang.models.notification import Notification
from xieshang.web.app import create_app

pytestmark = pytest.mark.slow  # a served app and processes killed mid-accept
ROOT = Path(__file__).resolve().parents[2]
ATTEMPTS = 50


@pytest.fixture
def ready(committed_engine: Engine) -> Ready:
    return ready_to_accept(committed_engine)


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def server(committed_engine: Engine, ready: Ready) -> Iterator[str]:
    """The real app on a loopback port, served by uvicorn in a thread."""
    with in_thread(create_app(settings_for(_url(committed_engine)), CLOCK)) as base:
        yield base


def test_fifty_parallel_accepts_make_exactly_one_agreement(
    server: str, ready: Ready, committed_engine: Engine
) -> None:
    with httpx.Client(base_url=server, timeout=60) as client:
        token = client.post(
            "/api/v1/auth/token", data={"username": CUSTOMER, "password": PASSWORD}
        ).json()["access_token"]
    offers = sorted(ready.offers.items())
    assert len(offers) >= 2, "the race is between different offers of one case"
    start = threading.Barrier(ATTEMPTS)

    def accept(n: int) -> int:
        offer_id, sha = offers[n % len(offers)]
        with httpx.Client(base_url=server, timeout=120) as client:
            start.wait()
            response = client.post(
                f"/api/v1/negotiations/{ready.case_id}/offers/{offer_id}/accept",
                json={"consent": True, "terms_sha256": sha, "channel": "app"},
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"device-{n}"},
            )
            if response.status_code != 201:
                assert response.headers["content-type"] == "application/problem+json"
            return response.status_code

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        statuses = Counter(pool.map(accept, range(ATTEMPTS)))
    assert statuses == {201: 1, 409: ATTEMPTS - 1}
    with session_factory(committed_engine)() as session:
        assert session.scalar(select(func.count()).select_from(Agreement)) == 1
        loan = session.get(Loan, ready.loan_id)
        assert loan is not None
        assert loan.segment == 1, "the schedule was installed once"
        accepted = session.scalars(
            select(NegotiationOffer).where(NegotiationOffer.status == "accepted")
        ).all()
        assert len(accepted) == 1
        assert session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 1
        assert verify(session).intact


def _snapshot(engine: Engine, ready: Ready) -> dict[str, object]:
    with session_factory(engine)() as session:
        loan = session.get(Loan, ready.loan_id)
        case = session.get(NegotiationCase, ready.case_id)
        assert loan is not None
        assert case is not None
        return {
            "agreements": session.scalar(select(func.count()).select_from(Agreement)),
            "segment": loan.segment,
            "restructured": loan.restructured,
            "installments": session.scalar(
                select(func.count()).select_from(Installment).where(Installment.loan_id == loan.id)
            ),
            "case": case.status,
            "accepted_offers": session.scalar(
                select(func.count())
                .select_from(NegotiationOffer)
                .where(NegotiationOffer.status == "accepted")
            ),
            "keys": session.scalar(select(func.count()).select_from(IdempotencyRecord)),
            "notices": session.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.template == "agreement_signed")
            ),
            "audit_intact": verify(session).intact,
        }


@pytest.mark.parametrize("point", ["after-install", "before-commit", "after-commit"])
def test_a_process_killed_during_an_accept_leaves_all_or_nothing(
    committed_engine: Engine, ready: Ready, point: str
) -> None:
    before = _snapshot(committed_engine, ready)
    offer_id, sha = sorted(ready.offers.items())[0]
    child = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.negotiations.accept_race",
            _url(committed_engine),
            str(ready.case_id),
            str(offer_id),
            sha,
            point,
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == -9, child.stderr  # SIGKILL: no cleanup ran
    after = _snapshot(committed_engine, ready)  # "after restart": a new process reads the books
    if point == "after-commit":
        assert after == {
            "agreements": 1,
            "segment": 1,
            "restructured": True,
            "installments": after["installments"],
            "case": "accepted",
            "accepted_offers": 1,
            "keys": 1,
            "notices": 1,
            "audit_intact": True,
        }
    else:
        assert after == before, "nothing of the half-done accept survived"
        ctx = customer_context(committed_engine, settings_for(_url(committed_engine)))
        try:  # and the customer can simply accept again
            answered = agreements.accept_offer(
                ctx, ready.case_id, offer_id, AcceptIn(consent=True, terms_sha256=sha), "crash-key"
            )
        finally:
            ctx.session.close()
        assert not answered.replayed
        assert answered.answer.status == "active"
        assert _snapshot(committed_engine, ready)["agreements"] == 1
