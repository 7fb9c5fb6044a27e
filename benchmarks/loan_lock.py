"""One writer per loan: the row lock against serialisable isolation with a bounded retry, on the
local PostgreSQL.

Run: ``.venv/bin/python benchmarks/loan_lock.py`` (``--threads N``, ``--payments N``, ``--json``).
A fresh database with one agent and ``threads`` loans; each thread posts ``payments`` payments of
¥1.00 through ``record_payment`` (the service the API calls), in two layouts:

- **hot**: every thread pays the same loan (a customer's app retrying, two agents, a batch);
- **spread**: each thread pays its own loan (the ordinary day).

Two ways to keep the balance check and the write consistent:

- **row lock** (what xieshang does): ``SELECT … FOR UPDATE`` on the loan at READ COMMITTED;
  concurrent writers of one loan queue;
- **serialisable**: no lock, SERIALIZABLE isolation, and a retry (up to 10) when PostgreSQL
  refuses a transaction (SQLSTATE 40001/40P01).

Printed: payments per second, retries and payments given up, with the ratio serialisable / lock
in the same run. Each run checks that every payment taken is in the ledger once. Nothing asserts
on time.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from time import perf_counter
from typing import Any

import sqlalchemy.exc
from sqlalchemy import Engine, delete, func, select

from databases import database
from xieshang.auth.service import create_user
from xieshang.customers.schemas import CustomerCreate, with_check_character
from xieshang.customers.service import add_customer
from xieshang.kit.config import Environment, Settings
from xieshang.kit.context import Context, FixedClock, make_cipher
from xieshang.kit.db import make_engine, session_factory
from xieshang.kit.migrate import upgrade
from xieshang.loans import service as loans
from xieshang.loans.schemas import LoanCreate, PaymentCreate, ProductCreate
from xieshang.models.loan import LoanTransaction, TransactionKind
from xieshang.models.user import Role, User

TODAY = date(2026, 11, 20)
CLOCK = FixedClock(datetime.combine(TODAY, time(2, 0), tzinfo=UTC))
RETRIES = 10
CONFLICTS = frozenset({"40001", "40P01"})


def seed(engine: Engine, settings: Settings, count: int) -> list[int]:
    with session_factory(engine)() as session:
        ctx = Context(session, settings, make_cipher(settings), CLOCK)
        loans.add_product(
            ctx,
            ProductCreate(
                code="BENCH",
                name_zh="基准",
                name_en="Bench",
                kind="consumer_installment",
                method="equal_installment",
            ),
        )
        owner = add_customer(
            ctx,
            CustomerCreate(
                customer_no="B000001",
                name="王芳",
                id_number=with_check_character("33010219900101001"),
                phone="13800000001",
                province="浙江省",
                city="杭州市",
                address="西湖区",
                since=date(2020, 1, 1),
            ),
        )
        ids = [
            loans.add_loan(
                ctx,
                LoanCreate(
                    loan_no=f"B{n:06d}",
                    customer_no=owner.customer_no,
                    product_code="BENCH",
                    principal="100000.00",
                    annual_rate="10%",
                    months=24,
                    start_date=date(2026, 6, 1),
                ),
            ).id
            for n in range(count)
        ]
        create_user(ctx, "bench-agent", "bench-password", Role.AGENT, "bench")
        session.commit()
        return ids


def run(
    engine: Engine, settings: Settings, loan_of: Callable[[int], int], threads: int, payments: int
) -> dict[str, Any]:
    sessions = session_factory(engine)
    retries = [0] * threads
    given_up = [0] * threads
    start = threading.Barrier(threads + 1)

    def work(thread: int) -> None:
        with sessions() as session:
            ctx = Context(session, settings, make_cipher(settings), CLOCK)
            agent = session.scalars(select(User).where(User.username == "bench-agent")).one()
            start.wait()
            for n in range(payments):
                data = PaymentCreate(amount="1.00", value_date=TODAY, reference=f"t{thread}-{n}")
                for _attempt in range(RETRIES + 1):
                    ctx.user = agent
                    try:
                        loans.record_payment(ctx, loan_of(thread), data)
                        break
                    except sqlalchemy.exc.DBAPIError as error:
                        session.rollback()
                        if getattr(error.orig, "sqlstate", None) not in CONFLICTS:
                            raise
                        retries[thread] += 1
                else:
                    given_up[thread] += 1

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    start.wait()
    began = perf_counter()
    for worker in workers:
        worker.join()
    seconds = perf_counter() - began
    taken = threads * payments - sum(given_up)
    with sessions() as session:
        posted = session.scalar(
            select(func.count())
            .select_from(LoanTransaction)
            .where(
                LoanTransaction.kind == TransactionKind.PAYMENT,
                LoanTransaction.reference.like("t%"),
            )
        )
        session.execute(delete(LoanTransaction).where(LoanTransaction.reference.like("t%")))
        session.commit()
    assert posted == taken, f"{posted} payments in the ledger, {taken} acknowledged"
    return {
        "payments_per_second": round(taken / seconds, 1),
        "retries": sum(retries),
        "given_up": sum(given_up),
        "seconds": round(seconds, 2),
    }


def measure(threads: int, payments: int) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    with database("postgresql") as url:
        settings = Settings(database_url=url, environment=Environment.DEVELOPMENT)
        plain = make_engine(url)
        upgrade(plain)
        ids = seed(plain, settings, threads)
        serialisable = make_engine(url, isolation_level="SERIALIZABLE")
        locked = loans.lock_loan

        def unlocked(ctx: Context, loan_id: int) -> Any:
            return loans.require_loan(ctx, loan_id)

        layouts: dict[str, Callable[[int], int]] = {
            "hot": lambda _t: ids[0],
            "spread": lambda t: ids[t],
        }
        for layout, loan_of in layouts.items():
            for _round in range(2):  # alternate, so both see the same load on the machine
                figures.setdefault(f"{layout} row lock", []).append(
                    run(plain, settings, loan_of, threads, payments)
                )
                loans.lock_loan = unlocked
                try:
                    figures.setdefault(f"{layout} serialisable", []).append(
                        run(serialisable, settings, loan_of, threads, payments)
                    )
                finally:
                    loans.lock_loan = locked
        plain.dispose()
        serialisable.dispose()
    return {
        name: max(runs, key=lambda r: r["payments_per_second"]) for name, runs in figures.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--payments", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = measure(args.threads, args.payments)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print("xieshang one writer per loan: row lock vs serialisable + retry (PostgreSQL)")
    print(f"Python {platform.python_version()}, {args.threads} threads x {args.payments} payments")
    print(f"{'layout / way':<24} {'pay/s':>8} {'retries':>8} {'gave up':>8}")
    for name, row in figures.items():
        print(
            f"{name:<24} {row['payments_per_second']:>8,.1f} {row['retries']:>8} "
            f"{row['given_up']:>8}"
        )
    for layout in ("hot", "spread"):
        lock = figures[f"{layout} row lock"]["payments_per_second"]
        other = figures[f"{layout} serialisable"]["payments_per_second"]
        print(f"{layout}: serialisable / row lock = {other / lock:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
