"""The nightly close of business over a seeded portfolio, on SQLite and PostgreSQL.

Run: ``.venv/bin/python benchmarks/close_of_business.py`` (100,000 loans on each database),
``--loans N``, ``--quick`` (2,000 loans), ``--sqlite-only`` / ``--postgres-only``, ``--json``.
PostgreSQL is the local server (``--postgres-url``, default postgres@127.0.0.1:5432); a fresh
database is created and dropped. Nothing here asserts on time.

The portfolio: 12-month equal-installment loans started over the past year, each paid on time for
a random number of installments and unpaid since (so the close finds current, late and long-overdue
loans); inserted in bulk, not through the services (seeding is not what is measured).

Figures, per database:
1. the close itself: ``close_of_business.run`` for one business day (every loan replayed, its state
   stored, each loan in its own transaction) — loans per second;
2. a second close of the same day (nothing to do: the idempotent path);
3. baseline in the same run: the pure ledger replay (``ledger_as_of``) of the same loans in memory,
   with no database — the ratio close / replay is the cost of reading and writing each loan.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from time import perf_counter
from typing import Any

from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session, sessionmaker

from databases import database
from xieshang.customers.schemas import CustomerCreate, with_check_character
from xieshang.customers.service import add_customer
from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.calendar import add_months
from xieshang.domain.loan import Loan as LedgerLoan
from xieshang.domain.loan import Payment
from xieshang.domain.schedule import LoanTerms, Schedule, build_schedule
from xieshang.jobs import close_of_business
from xieshang.jobs.runner import JobReport
from xieshang.kit.config import Environment, Settings
from xieshang.kit.context import Context, FixedClock, make_cipher
from xieshang.kit.db import make_engine, session_factory
from xieshang.kit.migrate import upgrade
from xieshang.loans.schemas import ProductCreate
from xieshang.loans.service import add_product
from xieshang.models.loan import Installment, Loan, LoanStatus, LoanTransaction, TransactionKind

SEED = 20261128
AS_OF = date(2026, 11, 27)
RATE = Decimal("0.12")
PRINCIPAL = 1_200_000  # 12,000.00 yuan
CUSTOMERS = 1_000
BATCH = 5_000


@dataclass(frozen=True)
class Seeded:
    loans: int
    installments: int
    payments: int


def _terms(start: date) -> LoanTerms:
    return LoanTerms(principal=PRINCIPAL, annual_rate=RATE, months=12, start_date=start)


def _portfolio(count: int) -> list[tuple[date, int]]:
    """(start date, installments paid) for each loan, deterministic."""
    rng = random.Random(SEED)
    out = []
    for _ in range(count):
        start = AS_OF - timedelta(days=rng.randint(40, 360))
        due = sum(1 for k in range(1, 13) if add_months(start, k) <= AS_OF)
        out.append((start, rng.randint(max(0, due - 3), due)))
    return out


def seed(engine: Engine, count: int, settings: Settings) -> Seeded:
    clock = FixedClock(datetime(2026, 11, 27, 2, 0, tzinfo=UTC))
    with session_factory(engine)() as session:
        ctx = Context(session, settings, make_cipher(settings), clock)
        product = add_product(
            ctx,
            ProductCreate.model_validate(
                {
                    "code": "BENCH-12",
                    "name_zh": "基准贷",
                    "name_en": "Benchmark loan",
                    "kind": "consumer_installment",
                    "method": "equal_installment",
                    "grace_days": 3,
                }
            ),
        )
        session.commit()
        product_id = product.id
        customer_ids = []
        for n in range(CUSTOMERS):
            customer = add_customer(
                ctx,
                CustomerCreate.model_validate(
                    {
                        "customer_no": f"B{n:07d}",
                        "name": "张伟",
                        "id_number": with_check_character(f"33010219900101{n % 1000:03d}"),
                        "phone": f"139{n:08d}",
                        "province": "浙江省",
                        "city": "杭州市",
                        "address": "西湖区文三路 1 号",
                        "since": date(2020, 5, 1),
                    }
                ),
            )
            customer_ids.append(customer.id)
        session.commit()
    now = datetime.now(UTC)
    schedules: dict[date, Schedule] = {}
    loans, installments, payments = [], [], []
    for n, (start, paid) in enumerate(_portfolio(count), start=1):
        schedule = schedules.get(start) or schedules.setdefault(
            start, build_schedule(_terms(start))
        )
        loans.append(
            {
                "id": n,
                "loan_no": f"BL{n:09d}",
                "customer_id": customer_ids[n % CUSTOMERS],
                "product_id": product_id,
                "principal": PRINCIPAL,
                "annual_rate": str(RATE),
                "months": 12,
                "start_date": start,
                "first_due_date": None,
                "status": LoanStatus.ACTIVE,
                "restructured": False,
                "segment": 0,
                "created_at": now,
                "version": 1,
                "days_past_due": 0,
                "bucket": "M0",
                "classification": "normal",
                "principal_outstanding": PRINCIPAL,
                "owed_now": 0,
            }
        )
        for i in schedule.installments:
            installments.append(
                {
                    "loan_id": n,
                    "number": i.number,
                    "start_date": i.start_date,
                    "end_date": i.end_date,
                    "due_date": i.due_date,
                    "principal": i.principal,
                    "interest": i.interest,
                    "balance": i.balance,
                    "interest_base": i.interest_base,
                    "interest_months": i.interest_months,
                    "interest_days": i.interest_days,
                }
            )
        for i in schedule.installments[:paid]:
            payments.append(
                {
                    "loan_id": n,
                    "kind": TransactionKind.PAYMENT,
                    "value_date": i.due_date,
                    "amount": i.payment,
                    "reference": f"p{i.number}",
                    "installment": None,
                    "description": "",
                    "channel": "bench",
                    "segment": 0,
                    "created_by": None,
                    "created_at": now,
                }
            )
    with engine.begin() as conn:
        for table, rows in (
            (Loan, loans),
            (Installment, installments),
            (LoanTransaction, payments),
        ):
            for first in range(0, len(rows), BATCH):
                conn.execute(insert(table), rows[first : first + BATCH])
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT setval('loans_id_seq', (SELECT max(id) FROM loans))"))
            conn.execute(text("ANALYZE"))
    return Seeded(len(loans), len(installments), len(payments))


def replay_baseline(count: int, limit: int) -> float:
    """Loans per second for the pure replay of the same portfolio, no database."""
    sample = _portfolio(count)[:limit]
    ledgers = []
    for start, paid in sample:
        schedule = build_schedule(_terms(start))
        pays = tuple(Payment(i.due_date, i.payment) for i in schedule.installments[:paid])
        ledgers.append(LedgerLoan(_terms(start), schedule, payments=pays))
    began = perf_counter()
    for ledger in ledgers:
        ledger_as_of(ledger, AS_OF)
    return len(ledgers) / (perf_counter() - began)


def measure(kind: str, url: str, count: int) -> dict[str, Any]:
    settings = Settings(database_url=url, environment=Environment.DEVELOPMENT)
    engine = make_engine(url)
    upgrade(engine)
    began = perf_counter()
    seeded = seed(engine, count, settings)
    seeding = perf_counter() - began
    sessions = session_factory(engine)
    clock = FixedClock(datetime(2026, 11, 28, 2, 0, tzinfo=UTC))
    first, first_seconds = _timed(sessions, settings, AS_OF, clock)
    nightly, nightly_seconds = _timed(sessions, settings, AS_OF + timedelta(days=1), clock)
    again, again_seconds = _timed(sessions, settings, AS_OF + timedelta(days=1), clock)
    engine.dispose()
    closed = nightly.counts["loans_closed"]
    return {
        "database": kind,
        "loans": seeded.loans,
        "installments": seeded.installments,
        "payments": seeded.payments,
        "seed_seconds": round(seeding, 1),
        "first_close_seconds": round(first_seconds, 1),
        "first_close_loans_per_second": round(first.counts["loans_closed"] / first_seconds, 1),
        "first_close_classification_changes": first.counts["classification_changed"],
        "close_seconds": round(nightly_seconds, 1),
        "loans_closed": closed,
        "loans_per_second": round(closed / nightly_seconds, 1),
        "failures": len(first.failures) + len(nightly.failures),
        "second_close_seconds": round(again_seconds, 2),
        "second_close_loans_closed": again.counts["loans_closed"],
    }


def _timed(
    sessions: sessionmaker[Session], settings: Settings, day: date, clock: FixedClock
) -> tuple[JobReport, float]:
    clock.current = datetime.combine(day + timedelta(days=1), time(2, 0), tzinfo=UTC)
    began = perf_counter()
    report = close_of_business.run(sessions, settings, day, clock=clock)
    return report, perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="2,000 loans")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgres-only", action="store_true")
    parser.add_argument(
        "--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    count = 2_000 if args.quick else args.loans
    kinds = ["sqlite", "postgresql"]
    if args.sqlite_only:
        kinds = ["sqlite"]
    if args.postgres_only:
        kinds = ["postgresql"]
    baseline = replay_baseline(count, min(count, 5_000))
    results = []
    for kind in kinds:
        with database(kind, args.postgres_url) as url:
            results.append(measure(kind, url, count))
    if args.json:
        print(json.dumps({"replay_loans_per_second": round(baseline, 1), "runs": results}))
        return 0
    print("xieshang close-of-business benchmark")
    print(
        f"Python {platform.python_version()}, CPUs {os.cpu_count()}; {count:,} loans, as of {AS_OF}"
    )
    print(f"baseline: pure ledger replay in memory, no database: {baseline:,.0f} loans/s")
    print()
    print(
        "first: the first close (every loan from scratch), loans/s; nightly: the next day's close;"
    )
    print("again: that day closed a second time (nothing to do)")
    print(
        f"{'database':<11} {'loans':>8} {'first/s':>8} {'nightly s':>9} {'loans/s':>8} "
        f"{'vs replay':>9} {'again s':>8} {'failed':>6}"
    )
    for r in results:
        print(
            f"{r['database']:<11} {r['loans']:>8,} {r['first_close_loans_per_second']:>8,.0f} "
            f"{r['close_seconds']:>9} {r['loans_per_second']:>8,.0f} "
            f"{r['loans_per_second'] / baseline:>9.2f} "
            f"{r['second_close_seconds']:>8} {r['failures']:>6}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
