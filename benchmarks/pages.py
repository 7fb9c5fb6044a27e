"""Server-side render time of the main pages on the demo data.

Run: ``.venv/bin/python benchmarks/pages.py`` (``--requests N``, ``--json``). Seeds a fresh SQLite
demo database (60 customers with three months of staff work, as ``xieshang demo`` does, with the
close of business run), then times
each page in-process through the ASGI app (no network), N times after one warm-up, and reports the
median and the 95th percentile. Baseline in the same run: the JSON API call that returns the same
data (a page should cost little more than the service call under it). Target: under 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import tempfile
from dataclasses import asdict, dataclass
from time import perf_counter

from fastapi.testclient import TestClient
from sqlalchemy import select

from xieshang.cli.service import demo_contact
from xieshang.demo.seed import DEMO_PASSWORD, seed_demo
from xieshang.jobs import close_of_business
from xieshang.kit.config import Environment, Settings
from xieshang.kit.context import Context, make_cipher
from xieshang.kit.db import make_engine, session_factory
from xieshang.kit.migrate import upgrade
from xieshang.models.loan import Loan
from xieshang.models.negotiation import Agreement, NegotiationCase
from xieshang.models.user import User
from xieshang.web.app import create_app

TARGET_MS = 100.0


@dataclass(frozen=True)
class Timing:
    page: str
    median_ms: float
    p95_ms: float
    api_median_ms: float


def timed(client: TestClient, url: str, headers: dict[str, str], n: int) -> list[float]:
    client.get(url, headers=headers)  # warm-up
    times = []
    for _ in range(n):
        began = perf_counter()
        response = client.get(url, headers=headers)
        times.append((perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    settings = Settings(
        database_url=f"sqlite:///{folder}/pages.db",
        environment=Environment.DEMO,
        argon2_time_cost=1,
        argon2_memory_kib=1024,
    )
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with session_factory(engine)() as session:
        ctx = Context(session, settings, make_cipher(settings))
        seed_demo(ctx, as_of=ctx.today(), customers=60, contact=demo_contact)
        today = ctx.today()
    close_of_business.run(session_factory(engine), settings, today)
    with session_factory(engine)() as session:
        customer = session.scalars(select(User).where(User.username == "customer1")).one()
        loan_id = session.scalars(
            select(Loan.id).where(Loan.customer_id == customer.customer_id).order_by(Loan.id)
        ).first()
        case_id = session.scalars(select(NegotiationCase.id).order_by(NegotiationCase.id)).first()
        # The staff case page: a case waiting for an agent's decision (the workbench in full).
        staff_case_id = session.scalars(
            select(NegotiationCase.id)
            .where(NegotiationCase.status == "pending_approval")
            .order_by(NegotiationCase.id)
        ).first()
        agreement_id = session.scalars(
            select(Agreement.id)
            .where(Agreement.customer_id == customer.customer_id)
            .order_by(Agreement.id)
        ).first()
    client = TestClient(create_app(settings))

    def page_session(username: str) -> dict[str, str]:
        client.cookies.clear()
        form = client.get("/login").text  # the sign-in form carries its own token
        token = re.search(r'name="login_token" value="([0-9a-f]+)"', form)
        assert token is not None
        response = client.post(
            "/login",
            data={"username": username, "password": DEMO_PASSWORD, "login_token": token.group(1)},
            follow_redirects=False,
        )
        return {"Cookie": f"xs_session={response.cookies['xs_session']}"}

    def api_token(username: str) -> dict[str, str]:
        response = client.post(
            "/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD}
        )
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    n = args.requests
    staff_case, agreement = f"negotiations/{staff_case_id}", f"agreements/{agreement_id}"
    stats_csv = "/api/v1/complaints/statistics?format=csv"
    customer_page, customer_api = page_session("customer1"), api_token("customer1")
    agent_page, agent_api = page_session("agent1"), api_token("agent1")
    compliance_page, compliance_api = page_session("compliance1"), api_token("compliance1")
    supervisor_page, supervisor_api = page_session("supervisor1"), api_token("supervisor1")
    admin_page, admin_api = page_session("admin1"), api_token("admin1")
    client.cookies.clear()
    rows = [
        ("customer: my loans", "/app", customer_page, f"/api/v1/loans/{loan_id}/statement", customer_api),
        ("customer: loan", f"/app/loans/{loan_id}", customer_page, f"/api/v1/loans/{loan_id}", customer_api),
        ("agent: queue", "/app/queue", agent_page, "/api/v1/negotiations?awaiting=true", agent_api),
        ("agent: case", f"/app/negotiations/{case_id}", agent_page, f"/api/v1/negotiations/{case_id}", agent_api),
        ("compliance: portfolio", "/app/portfolio", compliance_page, "/api/v1/reports/portfolio", compliance_api),
        ("agent: waiting case", f"/app/{staff_case}", agent_page, f"/api/v1/{staff_case}", agent_api),
        ("customer: agreements", "/app/agreements", customer_page, "/api/v1/agreements", customer_api),
        ("customer: agreement", f"/app/{agreement}", customer_page, f"/api/v1/{agreement}", customer_api),
        ("customer: dispute", f"/app/loans/{loan_id}/dispute", customer_page, f"/api/v1/loans/{loan_id}", customer_api),
        ("supervisor: team", "/app/team", supervisor_page, "/api/v1/reports/quality", supervisor_api),
        ("compliance: complaints", "/app/reports/complaints", compliance_page, stats_csv, compliance_api),
        ("compliance: policy", "/app/policy", compliance_page, "/api/v1/policy/versions", compliance_api),
        ("admin: admin", "/app/admin", admin_page, "/api/v1/users", admin_api),
    ]  # fmt: skip
    results = []
    for name, page, page_headers, api, api_headers in rows:
        page_times = timed(client, page, page_headers, n)
        api_times = timed(client, api, api_headers, n)
        results.append(
            Timing(
                page=name,
                median_ms=round(statistics.median(page_times), 1),
                p95_ms=round(statistics.quantiles(page_times, n=20)[-1], 1),
                api_median_ms=round(statistics.median(api_times), 1),
            )
        )
    engine.dispose()
    if args.json:
        print(json.dumps([asdict(r) for r in results]))
        return 0
    print("xieshang page render benchmark (in-process, SQLite demo data, 60 customers)")
    print(f"Python {platform.python_version()}, CPUs {os.cpu_count()}; {n} requests per page")
    print()
    print(f"{'page':<24} {'median ms':>10} {'p95 ms':>8} {'API ms':>8} {'page/API':>9}")
    for r in results:
        ratio = r.median_ms / r.api_median_ms if r.api_median_ms else float("nan")
        print(f"{r.page:<24} {r.median_ms:>10} {r.p95_ms:>8} {r.api_median_ms:>8} {ratio:>9.2f}")
    met = all(r.p95_ms < TARGET_MS for r in results)
    print(f"\nTarget: every page's p95 under {TARGET_MS:.0f} ms: {'MET' if met else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
