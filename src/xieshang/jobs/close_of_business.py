"""The nightly close of business (日终批处理): keep every loan's state true as of a day.

For each active loan not yet closed through ``as_of``, in its own transaction: replay the ledger
(interest, penalty and compound interest accrue by the day in the replay), store days past due,
bucket, five-category classification, principal outstanding and what is owed, mark installments
scheduled / due / late / paid, mark loans paid off; judge each performing agreement one day at a
time (kept, late, broken — reinstating concessions — or completed). Then expire stale offers.
A payment or an accept made while the run goes moves the loan's version: the close of that loan
then writes nothing (its version check fails), reads the loan again and closes it as it now stands.
Optimistic rather than a lock per loan, which cost a quarter of the nightly throughput
(docs/decisions/0003-one-writer-per-loan.md).

Idempotent per day: a loan closed through ``as_of`` is skipped, so a second run changes nothing;
a run after skipped days walks each of them. One run at a time (:mod:`xieshang.jobs.lock`); even
without the lock, a loan's version column stops two runs from closing it twice. A loan that fails is
rolled back, reported in the run's record, and the run goes on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from xieshang.agreements.repository import performing_by_loan, performing_loan_ids
from xieshang.agreements.review import review
from xieshang.domain.accrual import ledger_as_of
from xieshang.jobs import lock
from xieshang.jobs.runner import JobReport, run_job
from xieshang.kit.config import Settings
from xieshang.kit.context import Clock, Context
from xieshang.loans.closing import store_state
from xieshang.loans.ledger import to_ledger
from xieshang.loans.repository import (
    commit_without_waiting_for_disk,
    count_closed_through,
    ids_to_close,
    loans_with_ledgers,
)
from xieshang.loans.service import touch
from xieshang.models.loan import Loan
from xieshang.models.negotiation import Agreement
from xieshang.negotiations import offers as workflow
from xieshang.negotiations.repository import cases_with_offers_expiring

JOB = "close-of-business"
RETRIES = 3
"""Times a loan changed by others while it was being closed is read again before it is reported."""


def run(
    sessions: sessionmaker[Session],
    settings: Settings,
    as_of: date,
    *,
    clock: Clock | None = None,
    chunk: int = 500,
    on_progress: Callable[[int], None] | None = None,
) -> JobReport:
    """Close every active loan through ``as_of`` and expire stale offers; record a ``JobRun``."""

    def work(ctx: Context, report: JobReport) -> None:
        _close_loans(ctx, as_of, chunk, report, on_progress)
        _expire_offers(ctx, as_of, report)

    return run_job(sessions, settings, JOB, as_of, work, clock=clock)


def _close_loans(
    ctx: Context,
    as_of: date,
    chunk: int,
    report: JobReport,
    on_progress: Callable[[int], None] | None,
) -> None:
    session = ctx.session
    report.counts["already_closed"] = count_closed_through(ctx, as_of)
    # a loan paid off by a payment today still has its agreement to complete
    ids = ids_to_close(ctx, as_of, also=performing_loan_ids())
    done = 0
    changed: Counter[int] = Counter()
    for start in range(0, len(ids), chunk):
        pending = list(ids[start : start + chunk])
        while pending:
            pending = _close_chunk(ctx, pending, as_of, report, changed)
        done += min(chunk, len(ids) - start)
        lock.refresh(session, JOB, report.holder, ctx.clock)
        if on_progress is not None:
            on_progress(done)


def _close_chunk(
    ctx: Context, ids: Sequence[int], as_of: date, report: JobReport, changed: Counter[int]
) -> list[int]:
    """Close the loans in ``ids``; after a failure or a loan changed meanwhile, return the ones not
    yet closed (reloaded fresh: a rollback expires everything the session held)."""
    session = ctx.session
    session.expunge_all()
    loans = loans_with_ledgers(ctx, ids)
    agreements = performing_by_loan(ctx, ids)
    for index, loan in enumerate(loans):
        if loan.closed_through is not None and loan.closed_through >= as_of:
            report.counts["closed_by_another_run"] += 1  # after this run listed it
            continue
        try:
            # a crash may lose the last few closes; the rerun redoes them (idempotent)
            commit_without_waiting_for_disk(ctx)
            for event in close_loan(ctx, loan, agreements.get(loan.id), as_of):
                report.counts[event] += 1
            session.commit()
            report.counts["loans_closed"] += 1
        except StaleDataError as error:
            # A payment, an accept or another run changed the loan after the chunk was read: the
            # version check wrote nothing. Read it again and close it as it now stands.
            session.rollback()
            changed[loan.id] += 1
            report.counts["loans_changed_while_closing"] += 1
            if changed[loan.id] <= RETRIES:
                return [loan.id for loan in loans[index:]]
            _failed(report, loan, error)
            return [loan.id for loan in loans[index + 1 :]]
        except Exception as error:  # one bad loan is reported, not fatal
            session.rollback()
            _failed(report, loan, error)
            return [loan.id for loan in loans[index + 1 :]]
    return []


def _failed(report: JobReport, loan: Loan, error: Exception) -> None:
    report.failures.append({"loan_id": loan.id, "loan_no": loan.loan_no, "error": _describe(error)})
    report.counts["loans_failed"] += 1


def close_loan(ctx: Context, loan: Loan, agreement: Agreement | None, as_of: date) -> list[str]:
    """Close one loan through ``as_of`` (the caller commits). Returns the events, for the run's
    counts."""
    events: list[str] = []
    first = loan.closed_through + timedelta(days=1) if loan.closed_through else as_of
    if agreement is not None:
        _claim(ctx, loan)
        day = max(first, agreement.start_date)
        if agreement.judged_through is not None:
            day = max(day, agreement.judged_through + timedelta(days=1))
        while agreement is not None and day <= as_of:
            change = review(ctx, agreement, loan, ledger_as_of(to_ledger(loan), day))
            if change is not None:
                events.append(f"agreements_{change}")
            if agreement.status in ("broken", "completed"):
                ctx.session.flush()
                ctx.session.refresh(loan, ["transactions"])
                agreement = None
            day += timedelta(days=1)
    state = ledger_as_of(to_ledger(loan), as_of)
    events += store_state(ctx, loan, state)
    events.append("loan_days_closed_" + ("1" if first == as_of else "many"))
    return events


def _claim(ctx: Context, loan: Loan) -> None:
    """Write the loan's row now (its version checked, the row held to the end of the transaction):
    a writer holds the loan before it takes the audit chain, never the other way round, or a
    payment holding the loan and waiting for the chain would wait for this close, and it for them.
    A loan changed since it was read stops here (StaleDataError) and is read again."""
    touch(loan)
    ctx.session.flush()


def _expire_offers(ctx: Context, as_of: date, report: JobReport) -> None:
    for case in cases_with_offers_expiring(ctx, as_of, workflow.LIVE):
        report.counts["offers_expired"] += workflow.expire(ctx, case, as_of)
        ctx.session.commit()


def _describe(error: Exception) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}"[:300]
