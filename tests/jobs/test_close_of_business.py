"""The nightly close of business: true state, idempotent per day, catch-up day by day, one run at a
time, a bad loan reported without stopping the run."""

from __future__ import annotations

import json
import threading
import time as sleeping
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from tests import factories
from xieshang.audit.service import verify
from xieshang.cli import main
from xieshang.domain.accrual import ledger_as_of
from xieshang.jobs import close_of_business, lock
from xieshang.jobs.runner import JobReport
from xieshang.kit.config import Settings
from xieshang.kit.context import Context, FixedClock, make_cipher
from xieshang.kit.db import session_factory
from xieshang.loans.ledger import to_ledger
from xieshang.loans.schemas import PaymentCreate
from xieshang.loans.service import lock_loan, record_payment, require_loan
from xieshang.models.audit import AuditEntry
from xieshang.models.job import JobRun
from xieshang.models.loan import Installment, Loan

DAY = date(2026, 6, 20)


def at(day: date) -> datetime:
    return datetime.combine(day, time(2, 0), tzinfo=UTC)


def _portfolio(ctx: Context) -> list[int]:
    """Loans in every state on DAY: current, a few days late, long overdue, paid off."""
    factories.product(ctx, grace_days=3)
    owner = factories.customer(ctx)
    current = factories.loan(ctx, owner, start_date=date(2026, 1, 15))
    for n, due in enumerate([date(2026, m, 15) for m in range(2, 7)]):
        record_payment(
            ctx, current.id, PaymentCreate(amount="879.16", value_date=due, reference=f"c{n}")
        )
    late = factories.loan(ctx, owner, start_date=date(2026, 1, 18))
    for n, due in enumerate([date(2026, m, 18) for m in range(2, 6)]):
        record_payment(
            ctx, late.id, PaymentCreate(amount="879.16", value_date=due, reference=f"l{n}")
        )
    overdue = factories.loan(ctx, owner, start_date=date(2025, 6, 1))
    paid = factories.loan(ctx, owner, principal="1000.00", months=1, start_date=date(2026, 4, 1))
    record_payment(ctx, paid.id, PaymentCreate(amount="1008.33", value_date=date(2026, 5, 1)))
    ctx.session.commit()
    return [current.id, late.id, overdue.id, paid.id]


def _state(ctx: Context) -> list[tuple[Any, ...]]:
    ctx.session.expire_all()
    loans = ctx.session.scalars(
        select(Loan).options(selectinload(Loan.installments)).order_by(Loan.id)
    ).all()
    return [
        (
            loan.id,
            loan.status,
            loan.closed_through,
            loan.days_past_due,
            loan.bucket,
            loan.classification,
            loan.principal_outstanding,
            loan.owed_now,
            loan.version,
            tuple(i.status for i in loan.installments),
        )
        for loan in loans
    ]


def _audit_count(ctx: Context) -> int:
    return ctx.session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_the_close_stores_each_loans_true_state(
    ctx: Context, sessions: sessionmaker[Session], settings: Settings, clock: FixedClock
) -> None:
    current, late, overdue, paid = _portfolio(ctx)
    report = close_of_business.run(sessions, settings, DAY, clock=clock)
    assert report.status == "succeeded"
    assert report.counts["loans_closed"] == 3, "the paid-off loan has nothing left to close"
    ctx.session.expire_all()
    by_id = {loan.id: loan for loan in ctx.session.scalars(select(Loan))}
    assert by_id[current].days_past_due == 0
    assert by_id[current].classification == "normal"
    assert by_id[late].days_past_due == 2  # due 18 June, unpaid on the 20th
    assert by_id[late].bucket == "M1"
    assert by_id[late].classification == "special_mention"
    loan = require_loan(ctx, overdue)
    truth = ledger_as_of(to_ledger(loan), DAY)
    assert loan.days_past_due == truth.days_past_due > 270
    assert loan.classification == "doubtful"
    assert loan.owed_now == sum(s.total_owed for s in truth.due())
    assert loan.principal_outstanding == truth.outstanding_principal
    rows = ctx.session.scalars(
        select(Installment).where(Installment.loan_id == late).order_by(Installment.number)
    ).all()
    assert [r.status.value for r in rows][:6] == ["paid"] * 4 + ["due", "scheduled"]
    assert by_id[paid].closed_through is None


def test_running_twice_changes_nothing_the_second_time(
    ctx: Context, sessions: sessionmaker[Session], settings: Settings, clock: FixedClock
) -> None:
    _portfolio(ctx)
    close_of_business.run(sessions, settings, DAY, clock=clock)
    before, audit = _state(ctx), _audit_count(ctx)
    again = close_of_business.run(sessions, settings, DAY, clock=clock)
    assert again.counts["loans_closed"] == 0
    assert again.counts["already_closed"] == 3
    assert _state(ctx) == before
    assert _audit_count(ctx) == audit
    runs = ctx.session.scalars(select(JobRun).order_by(JobRun.id)).all()
    assert [r.status for r in runs] == ["succeeded", "succeeded"]


def test_a_skipped_day_is_caught_up_to_the_same_state(
    ctx: Context, sessions: sessionmaker[Session], settings: Settings, clock: FixedClock
) -> None:
    _portfolio(ctx)
    close_of_business.run(sessions, settings, DAY - timedelta(days=10), clock=clock)
    report = close_of_business.run(sessions, settings, DAY, clock=clock)  # 9 days skipped
    assert report.counts["loan_days_closed_many"] == 3
    caught_up = _state(ctx)
    for loan_id, *_ in caught_up:
        loan = require_loan(ctx, loan_id)
        if loan.closed_through is None:
            continue
        truth = ledger_as_of(to_ledger(loan), DAY)
        assert loan.closed_through == DAY
        assert loan.days_past_due == truth.days_past_due
        assert loan.owed_now == sum(s.total_owed for s in truth.due())


def test_a_bad_loan_is_reported_and_the_run_goes_on(
    ctx: Context, sessions: sessionmaker[Session], settings: Settings, clock: FixedClock
) -> None:
    current, late, overdue, _ = _portfolio(ctx)
    ctx.session.execute(update(Loan).where(Loan.id == late).values(terms_in_force="{not json"))
    ctx.session.commit()
    report = close_of_business.run(sessions, settings, DAY, clock=clock)
    assert report.status == "completed_with_failures"
    assert report.counts["loans_closed"] == 2
    assert [f["loan_id"] for f in report.failures] == [late]
    assert "JSONDecodeError" in str(report.failures[0]["error"])
    ctx.session.expire_all()
    closed = dict(ctx.session.execute(select(Loan.id, Loan.closed_through)).all())
    assert closed[current] == DAY
    assert closed[overdue] == DAY
    assert closed[late] is None, "the failed loan was rolled back"
    run = ctx.session.scalars(select(JobRun)).one()
    assert run.status == "completed_with_failures"
    assert late in [f["loan_id"] for f in json.loads(run.failures)]


def test_a_held_lock_refuses_a_second_run_until_it_expires(
    ctx: Context, sessions: sessionmaker[Session], settings: Settings, clock: FixedClock
) -> None:
    _portfolio(ctx)
    with sessions() as other:
        lock.acquire(other, close_of_business.JOB, "host-a:1", clock)
    with pytest.raises(lock.JobLocked, match="already running"):
        close_of_business.run(sessions, settings, DAY, clock=clock)
    refused = ctx.session.scalars(select(JobRun)).one()
    assert refused.status == "refused"
    clock.current += lock.DEFAULT_TTL + timedelta(minutes=1)  # host-a died: its lock runs out
    assert close_of_business.run(sessions, settings, DAY, clock=clock).status == "succeeded"


def test_two_runs_started_at_once_close_each_loan_once(
    committed_engine: Engine, settings: Settings
) -> None:
    """Two real threads with their own connections: the second finds the lock taken while the first
    is in the middle of its run; every loan ends up closed exactly once."""
    sessions = session_factory(committed_engine)
    clock = FixedClock(at(DAY))
    with sessions() as session:
        ctx = Context(session, settings, make_cipher(settings), clock)
        ids = _portfolio(ctx)
    first_has_started = threading.Event()
    second_has_tried = threading.Event()
    outcome: dict[str, object] = {}

    def progress(done: int) -> None:
        first_has_started.set()
        second_has_tried.wait(timeout=30)

    def first() -> None:
        outcome["first"] = close_of_business.run(
            sessions, settings, DAY, clock=clock, chunk=1, on_progress=progress
        )

    def second() -> None:
        first_has_started.wait(timeout=30)
        try:
            outcome["second"] = close_of_business.run(sessions, settings, DAY, clock=clock)
        except lock.JobLocked as refused:
            outcome["second"] = refused
        finally:
            second_has_tried.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert isinstance(outcome["second"], lock.JobLocked)
    report = outcome["first"]
    assert isinstance(report, JobReport)
    assert report.counts["loans_closed"] == 3
    with sessions() as session:
        closed = session.scalars(select(Loan.closed_through).where(Loan.id.in_(ids[:3]))).all()
        assert closed == [DAY, DAY, DAY]
        assert verify(session).intact
        statuses = session.scalars(select(JobRun.status).order_by(JobRun.id)).all()
        assert sorted(statuses) == ["refused", "succeeded"]


def test_a_loan_closed_by_another_run_meanwhile_is_not_closed_twice(
    committed_engine: Engine, settings: Settings
) -> None:
    """Without the lock (say it expired mid-run), the version column still stops a double close."""
    sessions = session_factory(committed_engine)
    clock = FixedClock(at(DAY))
    with sessions() as session:
        ids = _portfolio(Context(session, settings, make_cipher(settings), clock))
    stale_session = sessions()
    stale_ctx = Context(stale_session, settings, make_cipher(settings), clock)
    stale = require_loan(stale_ctx, ids[0])  # read before the other run closes it …
    stale_session.commit()  # … (its read transaction ends; the objects stay as they were read)
    close_of_business.run(sessions, settings, DAY, clock=clock)
    close_of_business.close_loan(stale_ctx, stale, None, DAY)
    with pytest.raises(StaleDataError, match="expected to update 1 row"):
        stale_session.commit()
    stale_session.close()


def test_a_payment_holding_a_loan_as_the_close_reaches_it_is_waited_for_not_deadlocked(
    committed_engine: Engine, settings: Settings
) -> None:
    """A payment holds a loan (row lock) and is about to write the audit chain as the close reaches
    that loan, whose classification changes (an audit entry too). The close must wait for the loan
    before it takes the chain, or each waits for the other. It then closes the loan as it now is."""
    sessions = session_factory(committed_engine)
    clock = FixedClock(at(DAY))
    with sessions() as session:
        _, late, _, _ = _portfolio(Context(session, settings, make_cipher(settings), clock))
    holding = threading.Event()
    outcome: dict[str, object] = {}

    def payment() -> None:
        with sessions() as session:
            ctx = Context(session, settings, make_cipher(settings), clock)
            lock_loan(ctx, late)
            holding.set()
            sleeping.sleep(0.5)  # the close reaches this loan meanwhile
            record_payment(ctx, late, PaymentCreate(amount="10.00", value_date=DAY))
            session.commit()
            outcome["payment"] = "committed"

    def close() -> None:
        holding.wait(timeout=30)
        outcome["close"] = close_of_business.run(sessions, settings, DAY, clock=clock)

    threads = [threading.Thread(target=payment), threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcome["payment"] == "committed"
    report = outcome["close"]
    assert isinstance(report, JobReport)
    assert report.counts["loans_failed"] == 0, report.failures
    with sessions() as session:
        loan = session.get(Loan, late)
        assert loan is not None
        assert loan.closed_through == DAY
        assert loan.classification == "special_mention"
        assert verify(session).intact


def test_the_commands(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIESHANG_DATABASE_URL", f"sqlite:///{tmp_path / 'jobs.db'}")
    monkeypatch.setenv("XIESHANG_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("XIESHANG_ARGON2_MEMORY_KIB", "1024")
    assert main(["db", "upgrade"]) == 0
    assert main(["seed-demo", "--customers", "6"]) == 0  # seeds, then closes today
    capsys.readouterr()
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()
    assert main(["jobs", "status"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"#1 close-of-business as of {today}: succeeded, ")
    assert " 0 loans closed" not in first
    assert main(["jobs", "run", "close-of-business", "--as-of", today.isoformat()]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"close-of-business {today}: run 2 succeeded")
    assert "already_closed:" in out
    assert "loans_closed:" not in out, "the second run of a day closes nothing"
    assert main(["jobs", "status", "--json"]) == 0
    assert '"run": 2' in capsys.readouterr().out
    assert main(["jobs", "run", "close-of-business", "--as-of", "2026-02-30"]) == 2
    assert capsys.readouterr().err.strip().startswith("xieshang: error: as_of:")
    tomorrow = (today + timedelta(days=2)).isoformat()
    assert main(["jobs", "run", "close-of-business", "--as-of", tomorrow]) == 2
    assert "is after today" in capsys.readouterr().err
