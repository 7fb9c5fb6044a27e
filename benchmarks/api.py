"""API latency under load: the loan statement beside a trivial endpoint, on SQLite and PostgreSQL.

Run: ``.venv/bin/python benchmarks/api.py`` (full, about 1.5 min), ``--quick`` (a smoke run: 2 s
phases, 5 customers and a low Argon2 cost for the demo logins; under 30 s on an idle machine) or
``--json`` (the figures as one JSON object on stdout; progress goes to stderr either way). Also:
``--threads``/``--connections``/``--duration`` (wrk's ``-t``/``-c``/``-d``), ``--databases sqlite``,
``--pg-url`` and ``--no-wrk``.

For each database the script builds a fresh one (a SQLite file in a temporary directory; a
PostgreSQL database ``xieshang_bench_<random>`` created on ``--pg-url`` and dropped with
``DROP DATABASE ... WITH (FORCE)`` at the end), runs ``xieshang db upgrade`` and
``xieshang seed-demo`` as subprocesses, starts ``xieshang serve`` on a free loopback port, signs in
as ``agent1`` and picks loans from ``GET /api/v1/loans``.

Load comes from ``wrk`` (Debian: ``apt-get install -y wrk``) with a Lua script that sends the
bearer token, rotates through the statement URLs and reports p50/p99 latency and non-2xx answers.
Each load phase stops by itself (``wrk -d``): a warm-up (not reported), then ``GET /api/v1/health``
(trivial: one ``SELECT 1``), then ``GET /api/v1/loans/{id}/statement?as_of=...``, with the same
threads, connections and duration. Without ``wrk`` the script says so and falls back to a small
Python load generator (``httpx`` clients in a thread pool); its figures are labelled as such.

Every request goes to 127.0.0.1. The server and the load generator share the machine's cores, so
the figures are a lower bound on what the service does on a machine of its own. Nothing here
asserts on time: the target (statement p99 <= 50 ms with no errors) is printed as MET or NOT MET.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import math
import os
import platform
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

HOST = "127.0.0.1"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/"
USERNAME = "agent1"
PASSWORD = "xieshang-demo"  # xieshang.demo.seed.DEMO_PASSWORD
TARGET_P99_MS = 50.0
HEALTH = "/api/v1/health"
TIMEZONE = "Asia/Shanghai"  # the service's default XIESHANG_TIMEZONE


@dataclass(frozen=True, slots=True)
class Plan:
    threads: int
    connections: int
    duration_s: int
    warmup_s: int
    customers: int
    loans: int


FULL = Plan(threads=2, connections=8, duration_s=10, warmup_s=2, customers=60, loans=12)
QUICK = Plan(threads=2, connections=8, duration_s=2, warmup_s=0, customers=5, loans=6)


@dataclass(slots=True)
class Result:
    database: str
    endpoint: str
    generator: str
    requests: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    errors: int


@dataclass(slots=True)
class DatabaseRun:
    database: str
    server_version: str
    loans_seeded: int
    loan_ids: list[int] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    skipped: str | None = None


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the service as subprocesses ----------------------------------------------------------------


def cli() -> str:
    beside = Path(sys.executable).parent / "xieshang"
    found = str(beside) if beside.exists() else shutil.which("xieshang")
    if found is None:
        raise SystemExit("the xieshang CLI is not installed (pip install -e . in the virtualenv)")
    return found


def service_env(database_url: str, extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ) | extra
    env["XIESHANG_DATABASE_URL"] = database_url
    env["XIESHANG_ENVIRONMENT"] = "development"
    return env


def run_cli(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [cli(), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"xieshang {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout.strip()


def prepare(database_url: str, customers: int, extra: dict[str, str]) -> str:
    """Migrate and seed a fresh database; the seed summary line."""
    env = service_env(database_url, extra)
    run_cli(["db", "upgrade"], env)
    return run_cli(["seed-demo", "--customers", str(customers)], env)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """``xieshang serve`` on a free loopback port, as a subprocess, its output in ``log_path``."""

    def __init__(self, database_url: str, log_path: Path, env: dict[str, str]) -> None:
        self.base = f"http://{HOST}:{free_port()}"
        self.log_path = log_path
        with log_path.open("w") as log_file:
            self.process = subprocess.Popen(
                [cli(), "serve", "--host", HOST, "--port", self.base.rsplit(":", 1)[1]],
                env=service_env(database_url, env),
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            if self.process.poll() is not None:
                tail = self.log_path.read_text()[-2000:]
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n{tail}")
            try:
                if httpx.get(self.base + HEALTH, timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer {HEALTH} within {seconds:.0f} s")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def sign_in(base: str) -> str:
    answer = httpx.post(
        base + "/api/v1/auth/token",
        data={"username": USERNAME, "password": PASSWORD},
        timeout=30.0,
    )
    answer.raise_for_status()
    token: str = answer.json()["access_token"]
    return token


def statement_paths(base: str, token: str, count: int, as_of: date) -> list[str]:
    """Statement URLs for ``count`` loans spread evenly over the first page of 50."""
    answer = httpx.get(
        base + "/api/v1/loans",
        params={"page_size": 50},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30.0,
    )
    answer.raise_for_status()
    ids = [
        int(item["id"])
        for item in answer.json()["items"]
        if date.fromisoformat(item["start_date"]) <= as_of
    ]
    if not ids:
        raise RuntimeError("no loans to ask a statement for")
    step = max(1, len(ids) // count)
    chosen = ids[::step][:count]
    paths = [f"/api/v1/loans/{loan_id}/statement?as_of={as_of.isoformat()}" for loan_id in chosen]
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as client:
        for path in paths:  # every URL answers 200 before any load is put on it
            client.get(path, timeout=30.0).raise_for_status()
    return paths


# --- load generators -----------------------------------------------------------------------------

WRK_LUA = """
local paths = %(paths)s
local auth = %(auth)s
local threads = {}
local counter = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {["Authorization"] = auth})
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    "XIESHANG_WRK {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"p50_us\\": %%d, " ..
    "\\"p99_us\\": %%d, \\"mean_us\\": %%.1f, \\"max_us\\": %%d, \\"non2xx\\": %%d, " ..
    "\\"socket_errors\\": %%d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.mean, latency.max, bad, e.connect + e.read + e.write + e.timeout))
end
"""


def lua_string(value: str) -> str:
    if not value.isascii() or not value.isprintable():
        raise ValueError(f"not a plain ASCII string: {value!r}")
    return json.dumps(value)  # a JSON string of printable ASCII is a valid Lua string literal


def wrk_version(wrk: str) -> str:
    done = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)
    return (done.stdout + done.stderr).split("Copyright")[0].strip()


def run_wrk(wrk: str, base: str, paths: list[str], token: str, plan: Plan, seconds: int) -> Result:
    script = WRK_LUA % {
        "paths": "{" + ", ".join(lua_string(p) for p in paths) + "}",
        "auth": lua_string(f"Bearer {token}"),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = [
            wrk,
            f"-t{plan.threads}",
            f"-c{plan.connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "-s",
            handle.name,
            base + paths[0],
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 30, check=False
        )
    finally:
        Path(handle.name).unlink(missing_ok=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("XIESHANG_WRK ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    figures: dict[str, Any] = json.loads(line.removeprefix("XIESHANG_WRK "))
    elapsed = figures["duration_us"] / 1e6
    return Result(
        database="",
        endpoint="",
        generator="wrk",
        requests=figures["requests"],
        seconds=round(elapsed, 2),
        requests_per_s=figures["requests"] / elapsed,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        mean_ms=figures["mean_us"] / 1000,
        max_ms=figures["max_us"] / 1000,
        errors=figures["non2xx"] + figures["socket_errors"],
    )


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def run_python(base: str, paths: list[str], token: str, plan: Plan, seconds: int) -> Result:
    """Fallback: ``plan.connections`` threads, each a keep-alive httpx client, in a closed loop."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    began = time.perf_counter()
    deadline = began + seconds

    def worker(offset: int) -> None:
        nonlocal errors
        mine: list[float] = []
        bad = 0
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=5.0) as client:
            index = offset
            while time.perf_counter() < deadline:
                path = paths[index % len(paths)]
                index += 1
                start = time.perf_counter()
                try:
                    ok = client.get(path).is_success
                except httpx.HTTPError:
                    ok = False
                mine.append(time.perf_counter() - start)
                bad += not ok
        with lock:
            latencies.extend(mine)
            errors += bad

    with concurrent.futures.ThreadPoolExecutor(plan.connections) as pool:
        for future in [pool.submit(worker, n) for n in range(plan.connections)]:
            future.result()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return Result(
        database="",
        endpoint="",
        generator="python-httpx (fallback)",
        requests=len(latencies),
        seconds=round(elapsed, 2),
        requests_per_s=len(latencies) / elapsed,
        p50_ms=percentile(latencies, 0.50) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        mean_ms=sum(latencies) / max(1, len(latencies)) * 1000,
        max_ms=(latencies[-1] if latencies else float("nan")) * 1000,
        errors=errors,
    )


def load(wrk: str | None, base: str, paths: list[str], token: str, plan: Plan, s: int) -> Result:
    if wrk is not None:
        return run_wrk(wrk, base, paths, token, plan, s)
    return run_python(base, paths, token, plan, s)


# --- databases -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Target:
    name: str
    url: str
    version: str
    cleanup: list[str] = field(default_factory=list)  # PostgreSQL databases to drop


def sqlite_target(directory: Path) -> Target:
    return Target(
        "sqlite", f"sqlite:///{directory / 'bench.db'}", f"SQLite {sqlite3.sqlite_version}"
    )


def postgres_target(admin_url: str) -> Target:
    """A fresh, empty database on the server at ``admin_url``."""
    name = f"xieshang_bench_{secrets.token_hex(4)}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            version = str(connection.execute(text("SHOW server_version")).scalar_one())
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    return Target("postgresql", url, f"PostgreSQL {version.split()[0]}", [name])


def drop_postgres(admin_url: str, name: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        log(f"dropped PostgreSQL database {name}")
    finally:
        engine.dispose()


# --- the run -------------------------------------------------------------------------------------


def measure(
    target: Target, server: Server, wrk: str | None, plan: Plan, seeded: str, as_of: date
) -> DatabaseRun:
    run = DatabaseRun(target.name, target.version, int(seeded.split(" loans")[0].split()[-1]))
    base = server.base
    token = sign_in(base)
    paths = statement_paths(base, token, plan.loans, as_of)
    run.loan_ids = [int(p.split("/")[4]) for p in paths]
    log(f"[{target.name}] server {base}, {len(paths)} loans, warm-up {plan.warmup_s} s")
    if plan.warmup_s > 0:
        load(wrk, base, paths, token, plan, plan.warmup_s)
    for endpoint, urls in (("health", [HEALTH]), ("statement", paths)):
        log(f"[{target.name}] {endpoint}: {plan.duration_s} s")
        result = load(wrk, base, urls, token, plan, plan.duration_s)
        result.database, result.endpoint = target.name, endpoint
        run.results.append(result)
    return run


def machine() -> dict[str, str]:
    return {
        "cpus": str(os.cpu_count()),
        "load_average_1min_at_start": f"{os.getloadavg()[0]:.2f}",
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


def table(runs: list[DatabaseRun]) -> list[str]:
    header = (
        f"{'database':<11} {'endpoint':<10} {'requests/s':>10} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7}"
    )
    lines = [header, "-" * len(header)]
    for run in runs:
        if run.skipped:
            lines.append(f"{run.database:<11} skipped: {run.skipped}")
        for r in run.results:
            lines.append(
                f"{r.database:<11} {r.endpoint:<10} {r.requests_per_s:>10,.0f} "
                f"{r.p50_ms:>8.1f} {r.p99_ms:>8.1f} {r.errors:>7,}"
            )
    return lines


def verdicts(runs: list[DatabaseRun]) -> dict[str, dict[str, float | bool]]:
    out: dict[str, dict[str, float | bool]] = {}
    for run in runs:
        by = {r.endpoint: r for r in run.results}
        if "health" in by and "statement" in by:
            out[run.database] = {
                "statement_over_health_throughput": by["statement"].requests_per_s
                / by["health"].requests_per_s,
                "statement_p99_ms": by["statement"].p99_ms,
                "target_met": by["statement"].p99_ms <= TARGET_P99_MS
                and by["statement"].errors == 0,
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="2 s phases, 5 customers (< 30 s on an idle machine)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--threads", type=int, help="wrk -t (default 2)")
    parser.add_argument("--connections", type=int, help="wrk -c (default 8)")
    parser.add_argument("--duration", type=int, help="seconds per load phase (default 10)")
    parser.add_argument("--customers", type=int, help="seed-demo --customers (default 60)")
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql"
    )
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help="PostgreSQL server (admin)")
    parser.add_argument("--no-wrk", action="store_true", help="use the Python load generator")
    args = parser.parse_args()

    base_plan = QUICK if args.quick else FULL
    plan = Plan(
        threads=args.threads or base_plan.threads,
        connections=args.connections or base_plan.connections,
        duration_s=args.duration or base_plan.duration_s,
        warmup_s=base_plan.warmup_s,
        customers=args.customers or base_plan.customers,
        loans=base_plan.loans,
    )
    wanted = [name.strip() for name in args.databases.split(",") if name.strip()]

    wrk = None if args.no_wrk else shutil.which("wrk")
    if wrk is None:
        generator = "python-httpx (fallback)"
        if not args.no_wrk:
            log("wrk is not installed: falling back to the Python load generator (httpx threads).")
            log("  For the real figures install it: apt-get install -y wrk  (Debian/Ubuntu)")
    else:
        generator = wrk_version(wrk)
    as_of = datetime.now(ZoneInfo(TIMEZONE)).date()
    info = machine()
    began = time.perf_counter()

    runs: list[DatabaseRun] = []
    targets: list[Target] = []
    servers: list[Server] = []
    # --quick lowers the Argon2 cost (allowed in development) so that seeding the demo logins and
    # signing in take less time; no measured request hashes a password.
    extra_env = {"XIESHANG_ENVIRONMENT": "development"}
    if args.quick:
        extra_env |= {"XIESHANG_ARGON2_TIME_COST": "1", "XIESHANG_ARGON2_MEMORY_KIB": "8192"}
    with tempfile.TemporaryDirectory(prefix="xieshang-bench-api-") as tmp:
        directory = Path(tmp)
        try:
            for name in wanted:
                if name == "sqlite":
                    targets.append(sqlite_target(directory))
                elif name == "postgresql":
                    try:
                        targets.append(postgres_target(args.pg_url))
                    except Exception as error:  # no server: report and go on with the rest
                        reason = f"PostgreSQL unavailable at {args.pg_url} ({type(error).__name__})"
                        log(reason)
                        runs.append(DatabaseRun("postgresql", "", 0, skipped=reason))
                else:
                    raise SystemExit(f"unknown database {name!r} (sqlite, postgresql)")
            # Migrate, seed and start a server for every database at once (none of that is
            # measured), then load them one at a time: an idle server waits on epoll, using no CPU.
            log(f"preparing {', '.join(t.name for t in targets)}: {plan.customers} customers each")
            seeded = []
            with concurrent.futures.ThreadPoolExecutor(max(1, len(targets))) as pool:
                for target in targets:
                    seeded.append(pool.submit(prepare, target.url, plan.customers, extra_env))
                for target, summary in zip(targets, seeded, strict=True):
                    summary.result()  # seeded before its server starts
                    servers.append(
                        Server(target.url, directory / f"server-{target.name}.log", extra_env)
                    )
                for server in servers:
                    server.wait_ready()
            for target, server, summary in zip(targets, servers, seeded, strict=True):
                log(f"[{target.name}] {summary.result()}")
                runs.append(measure(target, server, wrk, plan, summary.result(), as_of))
        finally:
            for server in servers:
                server.stop()
            for target in targets:
                for name in target.cleanup:
                    drop_postgres(args.pg_url, name)
    elapsed = time.perf_counter() - began

    order = {name: index for index, name in enumerate(wanted)}
    runs.sort(key=lambda run: order.get(run.database, len(order)))
    outcome = verdicts(runs)
    if args.json:
        print(
            json.dumps(
                {
                    "machine": info,
                    "generator": generator,
                    "plan": asdict(plan),
                    "as_of": as_of.isoformat(),
                    "target_p99_ms": TARGET_P99_MS,
                    "runs": [asdict(run) for run in runs],
                    "verdicts": outcome,
                    "seconds": round(elapsed, 1),
                },
                indent=2,
            )
        )
        return

    warmup = f"a {plan.warmup_s} s warm-up" if plan.warmup_s else "one request per URL"
    clients = (
        f"{plan.threads} threads, {plan.connections} connections"
        if wrk is not None
        else f"{plan.connections} client threads, one keep-alive connection each"
    )
    print("xieshang API benchmark")
    print(
        f"Python {info['python']}, CPUs {info['cpus']}, {info['platform']}, "
        f"load average {info['load_average_1min_at_start']} at start"
    )
    print(
        f"load: {generator}, {clients}, "
        f"{plan.duration_s} s per endpoint after {warmup}; 127.0.0.1 only"
    )
    print(
        f"server: xieshang serve (uvicorn, 1 process), seed-demo --customers {plan.customers}; "
        f"statements of {plan.loans} loans in rotation, as_of {as_of.isoformat()}"
    )
    for run in runs:
        if not run.skipped:
            print(f"  {run.database}: {run.server_version}, {run.loans_seeded} loans seeded")
    print(
        f"NOTE: server and load generator share the same {info['cpus']} cores; "
        "errors = non-2xx answers + socket errors"
    )
    print()
    for line in table(runs):
        print(line)
    print()
    for database, verdict in outcome.items():
        met = "MET" if verdict["target_met"] else "NOT MET"
        print(
            f"{database}: statement/health throughput {verdict['statement_over_health_throughput']:.2f}"
            f"; target statement p99 <= {TARGET_P99_MS:.0f} ms: {met}"
        )
    print(f"\ntotal {elapsed:.0f} s")


if __name__ == "__main__":
    main()
