"""A mixed load on the served application: customers reading statements, negotiating and accepting;
agents working queues, posting payments and checking messages — for ten minutes, on PostgreSQL.

Run: ``.venv/bin/python benchmarks/mixed_load.py`` (``--minutes M``, ``--clients N``,
``--database sqlite``, ``--json``). A fresh database seeded with the demo portfolio (``--customers``,
with three months of staff work and the close of business), one login per customer, then
``xieshang serve`` in a process of its own on a loopback port. ``--clients`` threads each send one
request after another (keep-alive), choosing what to do at random (seeded):

- customer: the statement of one of their loans (40 %), the loan (10 %), their agreements (10 %),
  or a hardship negotiation — open it, read an offer's terms, accept it (8 %);
- agent: the approval queue or the complaint queue (12 %), a ¥1.00 payment on a loan with an
  Idempotency-Key (10 %), the message linter (10 %).

Before the mix, the write bursts that stalled the server before (all sent at once): 60 message
checks, 50 negotiations, 200 mixed writes — how long until all were answered, the slowest, statuses.

Baseline in the same run: ``GET /health`` with the same clients for 15 s before the mix. Printed:
requests, throughput, p50 and p99 by kind and overall, 4xx and 5xx, and the server's resident memory
at the start of the mix, its peak and at the end. Nothing asserts on time; a 5xx is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select

from databases import database
from xieshang.auth.service import create_user
from xieshang.cli.service import demo_contact
from xieshang.demo.seed import DEMO_PASSWORD, seed_demo
from xieshang.jobs import close_of_business
from xieshang.kit.config import Environment, Settings
from xieshang.kit.context import Context, make_cipher
from xieshang.kit.db import make_engine, session_factory
from xieshang.kit.migrate import upgrade
from xieshang.models.loan import Loan, LoanStatus
from xieshang.models.user import Role

HARDSHIP = {
    "finances": {
        "verified_income": "5000.00",
        "stated_income": "5000.00",
        "essential_expenses": "3300.00",
        "other_debt_service": "600.00",
    },
    "request": {"scenario": "hardship", "hardship": "income_drop_temporary"},
}
LINT = {"text": "您好，提醒您本期账单已到期，如有困难可申请协商，我们会为您说明每一项费用。"}


@dataclass
class Portfolio:
    customers: list[tuple[str, list[int]]]
    """(login, their loan ids)."""
    active_loans: list[int]


def prepare(url: str, customers: int) -> Portfolio:
    settings = Settings(
        database_url=url,
        environment=Environment.DEVELOPMENT,
        argon2_time_cost=1,
        argon2_memory_kib=1024,
    )
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine)() as session:
        ctx = Context(session, settings, make_cipher(settings))
        today = ctx.today()
        seed_demo(ctx, as_of=today, customers=customers, contact=demo_contact)
    close_of_business.run(session_factory(engine), settings, today)
    with session_factory(engine)() as session:
        ctx = Context(session, settings, make_cipher(settings))
        owners: dict[int, list[int]] = defaultdict(list)
        active = []
        for loan in session.scalars(select(Loan).order_by(Loan.id)):
            owners[loan.customer_id].append(loan.id)
            if loan.status is LoanStatus.ACTIVE:
                active.append(loan.id)
        logins = []
        for customer_id, loans in owners.items():
            username = f"load-{customer_id}"
            create_user(ctx, username, DEMO_PASSWORD, Role.CUSTOMER, username, customer_id)
            logins.append((username, loans))
        session.commit()
    engine.dispose()
    return Portfolio(logins, active)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def resident_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, response: httpx.Response, seconds: float) -> httpx.Response:
        with self.lock:
            self.latencies[kind].append(seconds * 1000)
            self.statuses[kind][response.status_code] += 1
        return response


def login(base: str, username: str) -> dict[str, str]:
    response = httpx.post(
        base + "/api/v1/auth/token",
        data={"username": username, "password": DEMO_PASSWORD},
        timeout=60,
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def client_loop(
    base: str,
    portfolio: Portfolio,
    tokens: dict[str, dict[str, str]],
    seed: int,
    until: float,
    tally: Tally,
) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=60) as client:

        def call(kind: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
            began = time.perf_counter()
            response = client.request(method, path, **kwargs)
            return tally.add(kind, response, time.perf_counter() - began)

        def negotiate(customer: dict[str, str], loan: int) -> None:
            opened = call(
                "negotiate: open",
                "POST",
                "/api/v1/negotiations",
                json={"loan_id": loan, **HARDSHIP},
                headers=customer,
            )
            if opened.status_code != 201:
                return
            case = opened.json()
            offers = [o for o in case["offers"] if o["status"] in ("offered", "approved")]
            if not offers:
                return
            offer = rng.choice(offers)
            path = f"/api/v1/negotiations/{case['id']}/offers/{offer['id']}"
            terms = call("negotiate: terms", "GET", path + "/terms?language=zh", headers=customer)
            if terms.status_code != 200:
                return
            call(
                "negotiate: accept",
                "POST",
                path + "/accept",
                json={"consent": True, "terms_sha256": terms.json()["sha256"], "channel": "app"},
                headers=customer | {"Idempotency-Key": uuid.uuid4().hex},
            )

        agent = tokens["agent1"]
        while time.monotonic() < until:
            username, loans = rng.choice(portfolio.customers)
            customer, loan = tokens[username], rng.choice(loans)
            pick = rng.random()
            if pick < 0.40:
                call("statement", "GET", f"/api/v1/loans/{loan}/statement", headers=customer)
            elif pick < 0.50:
                call("loan", "GET", f"/api/v1/loans/{loan}", headers=customer)
            elif pick < 0.60:
                call("agreements", "GET", "/api/v1/agreements", headers=customer)
            elif pick < 0.68:
                negotiate(customer, loan)
            elif pick < 0.74:
                call("queue: approvals", "GET", "/api/v1/negotiations?awaiting=true", headers=agent)
            elif pick < 0.80:
                call("queue: complaints", "GET", "/api/v1/complaints/queue", headers=agent)
            elif pick < 0.90:
                call(
                    "payment",
                    "POST",
                    f"/api/v1/loans/{rng.choice(portfolio.active_loans)}/payments",
                    json={"amount": "1.00", "value_date": _today(), "channel": "counter"},
                    headers=agent | {"Idempotency-Key": uuid.uuid4().hex},
                )
            else:
                call("lint", "POST", "/api/v1/conduct/lint", json=LINT, headers=agent)


def _today() -> str:
    """Today in Asia/Shanghai, as the server dates a payment."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


def write_bursts(
    base: str, portfolio: Portfolio, tokens: dict[str, dict[str, str]]
) -> dict[str, dict[str, Any]]:
    """The bursts that stalled the server before (issue 12): every request sent at once."""
    agent = tokens["agent1"]
    customers = [(tokens[name], loans) for name, loans in portfolio.customers]

    def lint(_n: int) -> tuple[str, dict[str, Any], dict[str, str]]:
        return "/api/v1/conduct/lint", LINT, agent

    def negotiation(n: int) -> tuple[str, dict[str, Any], dict[str, str]]:
        customer, loans = customers[n % len(customers)]
        return "/api/v1/negotiations", {"loan_id": loans[0], **HARDSHIP}, customer

    def payment(n: int) -> tuple[str, dict[str, Any], dict[str, str]]:
        loan = portfolio.active_loans[n % len(portfolio.active_loans)]
        body = {"amount": "1.00", "value_date": _today(), "channel": "counter"}
        return f"/api/v1/loans/{loan}/payments", body, agent | {"Idempotency-Key": f"burst-{n}"}

    def complaint(n: int) -> tuple[str, dict[str, Any], dict[str, str]]:
        customer, _ = customers[n % len(customers)]
        return "/api/v1/complaints", {"text": f"第{n}号：电话一直打不通，没人处理。"}, customer

    mixed = (payment, payment, lint, negotiation, complaint)
    return {
        "60 x lint": burst(base, [lint(n) for n in range(60)]),
        "50 x negotiations": burst(base, [negotiation(n) for n in range(50)]),
        "200 mixed writes": burst(base, [mixed[n % 5](n) for n in range(200)]),
    }


def burst(base: str, requests: list[tuple[str, dict[str, Any], dict[str, str]]]) -> dict[str, Any]:
    start = threading.Barrier(len(requests))
    answers: list[tuple[int, float]] = []
    lock = threading.Lock()

    def send(path: str, body: dict[str, Any], headers: dict[str, str]) -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            start.wait()
            began = time.perf_counter()
            status = client.post(path, json=body, headers=headers).status_code
            with lock:
                answers.append((status, time.perf_counter() - began))

    threads = [threading.Thread(target=send, args=request) for request in requests]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses: dict[int, int] = defaultdict(int)
    for status, _ in answers:
        statuses[status] += 1
    return {
        "requests": len(requests),
        "seconds": round(time.perf_counter() - began, 2),
        "slowest_s": round(max(seconds for _, seconds in answers), 2),
        "statuses": dict(sorted(statuses.items())),
        "5xx": sum(n for status, n in statuses.items() if status >= 500),
    }


def drive(
    base: str,
    clients: int,
    seconds: float,
    work: Callable[[int, float, Tally], None],
) -> tuple[Tally, float]:
    tally = Tally()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=work, args=(n, until, tally)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - began


def summary(tally: Tally, seconds: float) -> dict[str, Any]:
    rows = {}
    every: list[float] = []
    for kind, times in sorted(tally.latencies.items()):
        every += times
        statuses = tally.statuses[kind]
        rows[kind] = {
            "requests": len(times),
            "p50_ms": round(statistics.median(times), 1),
            "p99_ms": round(_p99(times), 1),
            "4xx": sum(n for s, n in statuses.items() if 400 <= s < 500),
            "5xx": sum(n for s, n in statuses.items() if s >= 500),
        }
    return {
        "requests": len(every),
        "seconds": round(seconds, 1),
        "per_second": round(len(every) / seconds, 1),
        "p50_ms": round(statistics.median(every), 1),
        "p99_ms": round(_p99(every), 1),
        "5xx": sum(r["5xx"] for r in rows.values()),
        "by_kind": rows,
    }


def _p99(times: list[float]) -> float:
    return statistics.quantiles(times, n=100)[98] if len(times) >= 2 else times[0]


def measure(kind: str, minutes: float, clients: int, customers: int) -> dict[str, Any]:
    with database(kind) as url:
        portfolio = prepare(url, customers)
        port = _free_port()
        env = os.environ | {
            "XIESHANG_DATABASE_URL": url,
            "XIESHANG_ARGON2_TIME_COST": "1",
            "XIESHANG_ARGON2_MEMORY_KIB": "1024",
        }
        command = [str(Path(sys.executable).with_name("xieshang")), "serve", "--port", str(port)]
        server = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            tokens = {name: login(base, name) for name, _ in portfolio.customers}
            tokens["agent1"] = login(base, "agent1")

            def health(_n: int, until: float, tally: Tally) -> None:
                with httpx.Client(base_url=base, timeout=60) as client:
                    while time.monotonic() < until:
                        began = time.perf_counter()
                        response = client.get("/api/v1/health")
                        tally.add("health", response, time.perf_counter() - began)

            baseline, baseline_seconds = drive(base, clients, 15, health)
            bursts = write_bursts(base, portfolio, tokens)
            memory = [resident_mib(server.pid)]
            sampling = threading.Event()

            def sample() -> None:
                while not sampling.wait(15):
                    memory.append(resident_mib(server.pid))

            sampler = threading.Thread(target=sample)
            sampler.start()
            mixed, mixed_seconds = drive(
                base,
                clients,
                minutes * 60,
                lambda n, until, tally: client_loop(base, portfolio, tokens, n, until, tally),
            )
            sampling.set()
            sampler.join()
            memory.append(resident_mib(server.pid))
        finally:
            server.terminate()
            server.wait(timeout=30)
    health_figures = summary(baseline, baseline_seconds)
    mixed_figures = summary(mixed, mixed_seconds)
    statement_p50 = mixed_figures["by_kind"]["statement"]["p50_ms"]
    return {
        "database": kind,
        "clients": clients,
        "minutes": minutes,
        "loans": len(portfolio.active_loans),
        "health": {k: v for k, v in health_figures.items() if k != "by_kind"},
        "bursts": bursts,
        "mixed": mixed_figures,
        "mixed_vs_health_throughput": round(
            mixed_figures["per_second"] / health_figures["per_second"], 2
        ),
        "statement_p50_vs_health_p50": round(statement_p50 / health_figures["p50_ms"], 1),
        "memory_mib": {
            "start": round(memory[0], 1),
            "peak": round(max(memory), 1),
            "end": round(memory[-1], 1),
            "end_vs_first_minute": round(memory[-1] / memory[min(4, len(memory) - 1)], 3),
            "each_minute": [round(m, 1) for m in memory[::4]],
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--customers", type=int, default=60)
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = measure(args.database, args.minutes, args.clients, args.customers)
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        return 0
    mixed, health = figures["mixed"], figures["health"]
    print(f"xieshang mixed load on {args.database}, Python {platform.python_version()}, "
          f"{args.clients} clients, {args.minutes:g} min, {figures['loans']} active loans")  # fmt: skip
    print(f"{'kind':<20} {'requests':>9} {'p50 ms':>8} {'p99 ms':>8} {'4xx':>6} {'5xx':>5}")
    for kind, row in mixed["by_kind"].items():
        print(
            f"{kind:<20} {row['requests']:>9,} {row['p50_ms']:>8} {row['p99_ms']:>8} "
            f"{row['4xx']:>6} {row['5xx']:>5}"
        )
    print(
        f"{'all':<20} {mixed['requests']:>9,} {mixed['p50_ms']:>8} {mixed['p99_ms']:>8} "
        f"{'':>6} {mixed['5xx']:>5}   {mixed['per_second']} req/s"
    )
    print(
        f"baseline GET /health: {health['per_second']} req/s, p50 {health['p50_ms']} ms, "
        f"p99 {health['p99_ms']} ms; mixed / health throughput "
        f"{figures['mixed_vs_health_throughput']}, statement p50 / health p50 "
        f"{figures['statement_p50_vs_health_p50']}"
    )
    for name, row in figures["bursts"].items():
        print(
            f"burst {name}: {row['requests']} at once, all answered in {row['seconds']} s, "
            f"slowest {row['slowest_s']} s, statuses {row['statuses']}"
        )
    memory = figures["memory_mib"]
    print(
        f"server memory: {memory['start']} MiB at the start of the mix, peak {memory['peak']}, "
        f"end {memory['end']} (end / after the first minute {memory['end_vs_first_minute']}); "
        f"each minute: {', '.join(str(m) for m in memory['each_minute'])}"
    )
    failed = mixed["5xx"] + sum(row["5xx"] for row in figures["bursts"].values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
