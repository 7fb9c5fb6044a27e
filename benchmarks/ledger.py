"""Ledger throughput: exact schedules vs numpy-financial, and accrual replay.

Run: ``.venv/bin/python benchmarks/ledger.py`` (full), ``--quick`` (a ~2 s smoke run) or ``--json``
(the figures as one JSON object on stdout, nothing else). Every figure is the best of 5 repeats timed
with ``time.perf_counter`` (the exact and numpy-financial repeats interleaved); nothing here asserts
on time. The timed loops include building ``LoanTerms``; building the accrual loans is not timed.

1. Exact path: ``build_schedule(LoanTerms(...))`` for 36-month equal-installment loans, in fen.
2. Baseline: numpy-financial loan by loan (``pmt``, ``ipmt``, ``ppmt`` in floats), same loans.
3. The ratio exact / numpy-financial (> 1 means the exact path is faster).
4. Accrual: ``ledger_as_of`` on loans paid on time for k installments and overdue since.
5. Cross-check: exact interest per installment vs ``ipmt`` rounded to the fen.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import numpy_financial as npf

from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.calendar import add_months
from xieshang.domain.loan import Loan, Payment
from xieshang.domain.schedule import LoanTerms, build_schedule

SEED = 20261128
MONTHS = 36
REPEATS = 5
FULL_LOANS = 2_000
QUICK_LOANS = 150
FULL_ACCRUAL_LOANS = 1_000  # ledger_as_of is ~20x slower per loan than a schedule
QUICK_ACCRUAL_LOANS = 40
MIN_PRINCIPAL = 100_000  # 1,000.00 yuan in fen
MAX_PRINCIPAL = 50_000_000  # 500,000.00 yuan in fen
MIN_RATE_BP = 360  # 3.60 % a year, in basis points
MAX_RATE_BP = 2_400  # 24.00 %


@dataclass(frozen=True, slots=True)
class LoanCase:
    principal: int
    rate: Decimal
    rate_float: float
    start: date


def make_cases(count: int, seed: int = SEED) -> list[LoanCase]:
    """A deterministic, varied set of loans: principal, rate (to the basis point) and start date."""
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        principal = rng.randint(MIN_PRINCIPAL, MAX_PRINCIPAL)
        bp = rng.randint(MIN_RATE_BP, MAX_RATE_BP)
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(731))
        cases.append(LoanCase(principal, Decimal(bp).scaleb(-4), bp / 10_000, start))
    return cases


def best_of(*runs: Callable[[], object], repeats: int = REPEATS) -> list[float]:
    """The fastest of ``repeats`` timed runs of each of ``runs``, in seconds.

    The runs are interleaved (a, b, a, b, ...) so that a slow patch on a shared machine hits every
    contender alike instead of skewing the ratio between them.
    """
    best = [float("inf")] * len(runs)
    for _ in range(repeats):
        for index, run in enumerate(runs):
            began = time.perf_counter()
            run()
            best[index] = min(best[index], time.perf_counter() - began)
    return best


def exact_schedules(cases: list[LoanCase]) -> None:
    for case in cases:
        build_schedule(
            LoanTerms(
                principal=case.principal,
                annual_rate=case.rate,
                months=MONTHS,
                start_date=case.start,
            )
        )


def npf_schedules(cases: list[LoanCase]) -> None:
    periods = np.arange(1, MONTHS + 1)
    for case in cases:
        monthly = case.rate_float / 12
        pv = -float(case.principal)
        npf.pmt(monthly, MONTHS, pv)
        npf.ipmt(monthly, periods, MONTHS, pv)
        npf.ppmt(monthly, periods, MONTHS, pv)


def cross_check(cases: list[LoanCase]) -> tuple[int, float]:
    """Max |exact interest − round(ipmt)| in fen over every installment, and the share that agree."""
    periods = np.arange(1, MONTHS + 1)
    worst = 0
    equal = total = 0
    for case in cases:
        schedule = build_schedule(LoanTerms(case.principal, case.rate, MONTHS, case.start))
        exact = np.array([i.interest for i in schedule.installments], dtype=np.int64)
        floats = npf.ipmt(case.rate_float / 12, periods, MONTHS, -float(case.principal))
        rounded = np.floor(np.asarray(floats, dtype=np.float64) + 0.5).astype(np.int64)
        diff = np.abs(exact - rounded)
        worst = max(worst, int(diff.max()))
        equal += int((diff == 0).sum())
        total += diff.size
    return worst, equal / total


def overdue_loans(cases: list[LoanCase]) -> list[tuple[Loan, date]]:
    """Each loan paid on time for its first k installments, overdue since; as_of 12–24 months in."""
    rng = random.Random(SEED + 1)
    loans = []
    for case in cases:
        terms = LoanTerms(case.principal, case.rate, MONTHS, case.start)
        schedule = build_schedule(terms)
        elapsed = rng.randint(12, 23)
        as_of = add_months(case.start, elapsed) + timedelta(days=rng.randrange(28))
        paid = rng.randrange(elapsed)  # k < elapsed, so at least one installment is overdue
        payments = tuple(Payment(i.due_date, i.payment) for i in schedule.installments[:paid])
        loans.append((Loan.from_terms(terms, payments=payments), as_of))
    return loans


def accrual(loans: list[tuple[Loan, date]]) -> None:
    for loan, as_of in loans:
        ledger_as_of(loan, as_of)


def measure(loan_count: int, accrual_count: int) -> dict[str, object]:
    cases = make_cases(loan_count)
    loans = overdue_loans(cases[:accrual_count])
    loan_days = sum((as_of - loan.terms.start_date).days for loan, as_of in loans)

    exact_s, npf_s = best_of(lambda: exact_schedules(cases), lambda: npf_schedules(cases))
    (accrual_s,) = best_of(lambda: accrual(loans))
    max_diff, agree = cross_check(cases)

    exact_rate = loan_count / exact_s
    npf_rate = loan_count / npf_s
    ratio = exact_rate / npf_rate
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numpy_financial": getattr(npf, "__version__", "unknown"),
        "cpu_count": os.cpu_count(),
        "loans": loan_count,
        "months": MONTHS,
        "repeats": REPEATS,
        "exact_schedules_per_s": round(exact_rate, 1),
        "npf_schedules_per_s": round(npf_rate, 1),
        "ratio_exact_over_npf": round(ratio, 3),
        "target_ratio_at_least": 1.0,
        "target_met": ratio >= 1.0,
        "accrual_loans": len(loans),
        "accrual_calls_per_s": round(len(loans) / accrual_s, 1),
        "accrual_loan_days_per_s": round(loan_days / accrual_s, 1),
        "accrual_loan_days": loan_days,
        "max_interest_diff_fen": max_diff,
        "installments_agreeing_share": round(agree, 4),
    }


def print_table(figures: dict[str, object]) -> None:
    print("xieshang ledger benchmark")
    print(
        f"Python {figures['python']}, numpy {figures['numpy']}, "
        f"numpy-financial {figures['numpy_financial']}, CPUs {figures['cpu_count']}"
    )
    print(
        f"{figures['loans']} loans x {figures['months']} months, equal installment; "
        f"best of {figures['repeats']} repeats (time.perf_counter, exact/npf interleaved)"
    )
    print(
        f"accrual: {figures['accrual_loans']} of those loans, first k installments paid on their "
        "due dates, the rest overdue, as_of 12-24 months after start"
    )
    print()
    rows = [
        (
            "exact build_schedule(LoanTerms(...))",
            f"{figures['exact_schedules_per_s']:,.0f}",
            "sched/s",
        ),
        (
            "numpy-financial pmt+ipmt+ppmt per loan",
            f"{figures['npf_schedules_per_s']:,.0f}",
            "sched/s",
        ),
        ("ratio exact / numpy-financial", f"{figures['ratio_exact_over_npf']:.2f}", "x"),
        (
            "ledger_as_of (partly paid, overdue)",
            f"{figures['accrual_calls_per_s']:,.0f}",
            "calls/s",
        ),
        ("ledger_as_of loan-days", f"{figures['accrual_loan_days_per_s']:,.0f}", "loan-days/s"),
        ("max |interest - round(ipmt)|", f"{figures['max_interest_diff_fen']}", "fen"),
        ("installments agreeing to the fen", f"{figures['installments_agreeing_share']:.2%}", ""),
    ]
    width = max(len(name) for name, _, _ in rows)
    print(f"{'figure':<{width}}  {'value':>12}  unit")
    print(f"{'-' * width}  {'-' * 12}  {'-' * 11}")
    for name, value, unit in rows:
        print(f"{name:<{width}}  {value:>12}  {unit}".rstrip())
    print()
    verdict = "MET" if figures["target_met"] else "NOT MET"
    print(
        "Target: exact path at least as fast as numpy-financial loan by loan (ratio >= 1.00): "
        f"{verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a short smoke run (~2 s)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    loans, accrual_loans = (
        (QUICK_LOANS, QUICK_ACCRUAL_LOANS) if args.quick else (FULL_LOANS, FULL_ACCRUAL_LOANS)
    )
    figures = measure(loans, accrual_loans)
    if args.json:
        print(json.dumps(figures, sort_keys=True))
    else:
        print_table(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
