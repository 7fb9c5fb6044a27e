"""Money under concurrency, on SQLite and PostgreSQL: the application served in a subprocess, real
parallel HTTP requests on loopback (bounded in count and time), and the books checked after each
scenario (tests/concurrency/world.py: money conserved, no overpayment, every acknowledged payment in
the ledger and counted, one schedule per agreement, the audit chain intact)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any, TypeVar

import httpx
import pytest
from sqlalchemy import Engine, select

from tests.concurrency.world import (
    AGENTS,
    CLOCK,
    CUSTOMER,
    SUPERVISOR,
    TODAY,
    World,
    check_books,
    hardship,
    prepare,
    served,
    settings_for,
    token,
    url_of,
)
from xieshang.domain.money import yuan
from xieshang.jobs import close_of_business
from xieshang.jobs.runner import JobReport
from xieshang.kit.db import session_factory
from xieshang.models.loan import Loan
from xieshang.models.negotiation import Agreement, NegotiationOffer

pytestmark = pytest.mark.slow
T = TypeVar("T")


@dataclass(frozen=True)
class Live:
    base: str
    world: World
    engine: Engine
    customer: dict[str, str]
    agents: tuple[dict[str, str], ...]
    supervisor: dict[str, str]


@pytest.fixture
def live(committed_engine: Engine) -> Iterator[Live]:
    world = prepare(committed_engine, loans=12, cases=4)
    with served(committed_engine) as base:
        yield Live(
            base,
            world,
            committed_engine,
            token(base, CUSTOMER),
            tuple(token(base, name) for name in AGENTS),
            token(base, SUPERVISOR),
        )


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    seconds: float


def together(calls: list[Call], base: str) -> list[Answer]:
    """Send every call at once (one thread each, released by a barrier); answers in call order."""
    start = threading.Barrier(len(calls))
    limits = httpx.Limits(max_connections=len(calls), max_keepalive_connections=len(calls))
    with httpx.Client(base_url=base, timeout=60, limits=limits) as client:

        def run(call: Call) -> Answer:
            start.wait()
            began = time.monotonic()
            response = call(client)
            seconds = time.monotonic() - began
            if response.status_code >= 400:
                assert response.headers["content-type"] == "application/problem+json"
            return Answer(response.status_code, response.json(), seconds)

        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            return list(pool.map(run, calls))


Call = Callable[[httpx.Client], httpx.Response]


def post(path: str, body: dict[str, Any], headers: dict[str, str]) -> Call:
    return lambda client: client.post(path, json=body, headers=headers)


def payoff(live: Live, loan_id: int) -> Decimal:
    response = httpx.get(
        f"{live.base}/api/v1/loans/{loan_id}/statement", headers=live.agents[0], timeout=30
    )
    assert response.status_code == 200
    return Decimal(response.json()["payoff_amount"])


def pay(
    live: Live, loan_id: int, amount: str, key: str, agent: int = 0, reference: str | None = None
) -> Call:
    body = {"amount": amount, "value_date": TODAY.isoformat(), "channel": "counter"}
    if reference is not None:
        body["reference"] = reference
    headers = live.agents[agent % len(live.agents)] | {"Idempotency-Key": key}
    return lambda client: client.post(
        f"/api/v1/loans/{loan_id}/payments", json=body, headers=headers
    )


def acknowledged(answers: list[Answer]) -> dict[str, tuple[int, int]]:
    return {
        a.body["reference"]: (a.body["loan_id"], yuan(a.body["amount"]))
        for a in answers
        if a.status == 201 and "reference" in a.body
    }


def test_parallel_payments_never_overpay_a_loan(live: Live) -> None:
    loan = live.world.loans[0]
    share = str((payoff(live, loan) * Decimal("0.6")).quantize(Decimal("0.01")))
    answers = together([pay(live, loan, share, f"ten-{n}", agent=n) for n in range(10)], live.base)
    assert Counter(a.status for a in answers) == {201: 1, 422: 9}
    refused = next(a for a in answers if a.status == 422)
    assert refused.body["field"] == "amount"
    # two at once on each of four more loans: one of each pair is taken
    pairs = live.world.loans[4:8]
    shares = {i: str((payoff(live, i) * Decimal("0.6")).quantize(Decimal("0.01"))) for i in pairs}
    calls = [pay(live, i, shares[i], f"pair-{i}-{n}", agent=n) for i in pairs for n in range(2)]
    answers += together(calls, live.base)
    assert Counter(a.status for a in answers[10:]) == {201: 4, 422: 4}
    check_books(live.engine, acknowledged(answers))


def test_same_key_retries_replay_the_first_answer(live: Live) -> None:
    loan = live.world.loans[1]
    answers = together([pay(live, loan, "10.00", "one-key") for _ in range(20)], live.base)
    assert Counter(a.status for a in answers) == {201: 1, 200: 19}
    assert len({a.body["id"] for a in answers}) == 1, "one payment, replayed"
    # the same key for another request (another loan) at the same moment: one wins, one is refused
    other = live.world.loans[2]
    race = together(
        [pay(live, loan, "5.00", "shared-key"), pay(live, other, "5.00", "shared-key")], live.base
    )
    assert sorted(a.status for a in race) == [201, 409]
    assert next(a for a in race if a.status == 409).body["type"].endswith("idempotency-conflict")
    books = check_books(live.engine, acknowledged(answers + race))
    assert books.agreements == 0


def _accept(live: Live, case_id: int, key: str) -> Call:
    offer_id, sha = sorted(live.world.cases[case_id].items())[0]
    body = {"consent": True, "terms_sha256": sha, "channel": "app"}
    headers = live.customer | {"Idempotency-Key": key}
    return post(f"/api/v1/negotiations/{case_id}/offers/{offer_id}/accept", body, headers)


def _later(call: Call, seconds: float) -> Call:
    def run(client: httpx.Client) -> httpx.Response:
        time.sleep(seconds)
        return call(client)

    return run


def test_a_payment_during_an_accept_is_never_orphaned(live: Live) -> None:
    answers = []
    for delay, case_id in zip((0.0, 0.02, 0.05, 0.1), sorted(live.world.cases), strict=True):
        loan = live.world.case_loans[case_id]
        accept, payment = together(
            [
                _accept(live, case_id, f"accept-{case_id}"),
                _later(pay(live, loan, "1.00", f"during-{case_id}"), delay),
            ],
            live.base,
        )
        assert accept.status in (201, 409), accept.body
        assert payment.status in (201, 422), payment.body
        if accept.status == 409:  # the payment came first: the offer's snapshot is out of date
            assert "changed since the offer was made" in accept.body["detail"]
            assert payment.status == 201
        answers.append(payment)
    books = check_books(live.engine, acknowledged(answers))
    assert books.agreements >= 1


def test_an_adjustment_during_an_accept_leaves_one_agreement_and_no_live_offer(
    live: Live,
) -> None:
    plan = {"months": 24, "annual_rate": "0.10", "note": "longer term"}
    for case_id in sorted(live.world.cases):
        adjust = post(f"/api/v1/negotiations/{case_id}/adjust", plan, live.supervisor)
        accept, adjusted = together(
            [_accept(live, case_id, f"adj-accept-{case_id}"), adjust], live.base
        )
        assert accept.status == 201, accept.body
        assert adjusted.status in (201, 409), adjusted.body
    with session_factory(live.engine)() as session:
        for case_id in live.world.cases:
            agreements = session.scalars(select(Agreement).where(Agreement.case_id == case_id))
            assert len(agreements.all()) == 1
            live_offers = session.scalars(
                select(NegotiationOffer).where(
                    NegotiationOffer.case_id == case_id,
                    NegotiationOffer.status.in_(("offered", "pending_approval", "approved")),
                )
            ).all()
            assert live_offers == [], "an offer was left open on a case with an agreement"
    check_books(live.engine, {})


def test_payments_during_the_close_of_business_are_all_kept_and_every_loan_is_closed(
    live: Live,
) -> None:
    as_of = TODAY - timedelta(days=1)
    report: list[JobReport] = []
    settings = settings_for(url_of(live.engine))

    def close(_: httpx.Client) -> httpx.Response:
        report.append(
            close_of_business.run(session_factory(live.engine), settings, as_of, clock=CLOCK)
        )
        return httpx.Response(200, json={})

    calls: list[Call] = [close]
    for n, loan in enumerate(live.world.loans):
        calls.append(_later(pay(live, loan, "1.00", f"cob-{loan}", agent=n), 0.01 * n))
    answers = together(calls, live.base)
    assert all(a.status == 201 for a in answers[1:]), [
        (a.status, a.body) for a in answers[1:] if a.status != 201
    ]
    (run,) = report
    assert run.counts["loans_failed"] == 0, run.failures
    with session_factory(live.engine)() as session:
        for closed in session.scalars(select(Loan)):
            assert closed.closed_through == as_of, f"loan {closed.id} was not closed"
    check_books(live.engine, acknowledged(answers[1:]))


def test_two_hundred_mixed_writes_finish_without_a_server_error(live: Live) -> None:
    calls: list[Call] = []
    loans = live.world.loans
    for n in range(200):
        kind = n % 5
        if kind in (0, 1):
            calls.append(pay(live, loans[n % len(loans)], "1.00", f"mixed-{n}", agent=n))
        elif kind == 2:
            text = {"text": "您好，提醒您本期账单已到期，如有困难可申请协商。"}
            calls.append(post("/api/v1/conduct/lint", text, live.agents[n % 2]))
        elif kind == 3:
            case = hardship(loans[4 + n % 8]).model_dump(mode="json")
            calls.append(post("/api/v1/negotiations", case, live.customer))
        else:
            complaint = {
                "text": f"第{n}号：客服电话一直打不通，等了很久没人处理。",
                "channel": "app",
            }
            calls.append(post("/api/v1/complaints", complaint, live.customer))
    answers = together(calls, live.base)
    statuses = Counter(a.status for a in answers)
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses[201] >= 80, statuses  # every payment, and complaints, were taken
    slowest = max(a.seconds for a in answers)
    assert slowest < 30, f"a request took {slowest:.1f} s (a stall, not a queue)"
    check_books(live.engine, acknowledged(answers))


def test_the_server_keeps_answering_while_every_worker_waits_for_a_held_loan(live: Live) -> None:
    """Another holder (a long batch, a second process) keeps a loan locked: 60 payments to it pile
    up in the worker threads, /health still answers at once, and when the lock goes every payment
    is taken."""
    loan = live.world.loans[3]
    with live.engine.connect() as holder:
        holder.begin()  # SQLite: BEGIN IMMEDIATE, the database's write lock
        holder.execute(select(Loan.id).where(Loan.id == loan).with_for_update())  # PostgreSQL
        with ThreadPoolExecutor(max_workers=60) as pool:
            limits = httpx.Limits(max_connections=60)
            with httpx.Client(base_url=live.base, timeout=60, limits=limits) as client:
                waiting = [
                    pool.submit(pay(live, loan, "1.00", f"held-{n}", agent=n), client)
                    for n in range(60)
                ]
                health = []
                for _ in range(5):
                    time.sleep(0.4)
                    began = time.monotonic()
                    response = httpx.get(f"{live.base}/api/v1/health", timeout=10)
                    health.append(time.monotonic() - began)
                    assert response.status_code == 200
                assert not any(f.done() for f in waiting), "the lock did not hold them"
                holder.rollback()
                answers = [f.result() for f in waiting]
    assert max(health) < 1, f"/health took {max(health):.2f} s while the workers waited"
    assert Counter(r.status_code for r in answers) == {201: 60}
    check_books(
        live.engine,
        {r.json()["reference"]: (loan, 100) for r in answers},
    )
