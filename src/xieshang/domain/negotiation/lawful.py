"""The loan a plan is built on: the contract brought within the law before any concession.

A penalty markup above the legal maximum (银发〔2003〕251号 第三条) is recomputed at the maximum, and
a contract rate above the all-in cap (法发〔2017〕22号 第2条) is repriced to the cap, both from the
start of the loan, as a court would. The plan starts from the lawful debt, so what the contract
charged beyond it is credited; the reasons say how much. A schedule already rescheduled (an earlier
plan) is not repriced here: its offers then fail the APR check, with that reason. When interest,
penalty and compound interest and fees together cost more than the cap a year by IRR (overdue for
long on a high-rate contract), the penalty markup is lowered, then the latest fees dropped, until
they do not.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.disputes.all_in_cost import all_in_apr
from xieshang.domain.ledger_state import LedgerState
from xieshang.domain.loan import Loan
from xieshang.domain.money import Fen
from xieshang.domain.negotiation.policy import RegulatoryCaps
from xieshang.domain.negotiation.reasons import Reason, money
from xieshang.domain.rates import format_rate
from xieshang.domain.restructure import Debt
from xieshang.domain.schedule import build_schedule
from xieshang.domain.search import greatest_satisfying


@dataclass(frozen=True)
class LawfulLoan:
    loan: Loan
    """The contract within the law: what every plan, check and value is computed on."""
    state: LedgerState
    """Its ledger as of the case's date."""
    credited: Fen
    """What the contract charged beyond the law up to that date, no longer owed."""
    reasons: tuple[Reason, ...]


def lawful_loan(loan: Loan, caps: RegulatoryCaps, as_of: date) -> LawfulLoan:
    """``loan`` with its penalty markup and rate within ``caps``, its ledger, and what that credits."""
    reasons: list[Reason] = []
    lawful = loan
    if loan.rules.markup > caps.penalty_markup_max:
        lawful = replace(lawful, rules=replace(loan.rules, markup=caps.penalty_markup_max))
        reasons.append(
            Reason(
                "LAWFUL_PENALTY_MARKUP",
                {
                    "markup": format_rate(loan.rules.markup, 0),
                    "max": format_rate(caps.penalty_markup_max, 0),
                },
            )
        )
    terms = loan.terms
    if terms.annual_rate > caps.apr_cap and loan.schedule == build_schedule(terms):
        repriced = replace(terms, annual_rate=caps.apr_cap, level_amount=None)
        lawful = replace(lawful, terms=repriced, schedule=build_schedule(repriced))
        reasons.append(
            Reason(
                "LAWFUL_REPRICED",
                {"rate": format_rate(terms.annual_rate), "cap": format_rate(caps.apr_cap)},
            )
        )
    state = ledger_as_of(lawful, as_of)
    within = _within_all_in_cap(lawful, state, caps.apr_cap, as_of)
    if within is not None:
        lawful, state, all_in = within
        reasons.append(
            Reason(
                "LAWFUL_ALL_IN",
                {
                    "all_in": format_rate(all_in),
                    "cap": format_rate(caps.apr_cap),
                    "markup": format_rate(lawful.rules.markup, 0),
                },
            )
        )
    if lawful is loan:
        return LawfulLoan(loan, state, 0, ())
    credited = max(0, Debt.of(ledger_as_of(loan, as_of)).total - Debt.of(state).total)
    reasons.append(Reason("LAWFUL_CREDITED", {"amount": money(credited)}))
    return LawfulLoan(lawful, state, credited, tuple(reasons))


MARKUP_STEP = Decimal("0.01")
ACCRUAL_MARGIN = Decimal("1.05")
"""Daily accrual (ACT/360) runs at most 31/360 of a year's rate in a month, 1.033 times the
twelfth the IRR counts a month as; a loan whose fastest rate is within the cap by this margin, with
no fees, cannot cost more than the cap all in."""


def _within_all_in_cap(
    loan: Loan, state: LedgerState, cap: Decimal, as_of: date
) -> tuple[Loan, LedgerState, Decimal] | None:
    """When interest, penalty and compound interest and fees together cost more than ``cap`` a year
    by IRR (法发〔2017〕22号 第2条), the loan a court would allow: the penalty markup lowered in whole
    points to the highest that keeps the all-in cost within the cap; if that is not enough, the
    latest fees dropped; and if even that is not, no penalty or compound interest at all. With the
    all-in cost found; None when it is within the cap."""
    fastest = loan.terms.annual_rate * (1 + loan.rules.markup)
    if not loan.charges and fastest * ACCRUAL_MARGIN <= cap:
        return None  # nothing accrues faster than the cap: the all-in cost cannot exceed it
    all_in = all_in_apr(loan, state, as_of, 0)
    if all_in is None or all_in <= cap:
        return None

    def at(markup: Decimal, charges: int, penalties: bool = True) -> tuple[Loan, LedgerState]:
        rules = replace(
            loan.rules,
            markup=markup,
            penalty_enabled=loan.rules.penalty_enabled and penalties,
            compound_enabled=loan.rules.compound_enabled and penalties,
        )
        trial = replace(loan, rules=rules, charges=loan.charges[:charges])
        return trial, ledger_as_of(trial, as_of)

    def fits(trial: tuple[Loan, LedgerState]) -> bool:
        cost = all_in_apr(trial[0], trial[1], as_of, 0)
        return cost is None or cost <= cap

    steps = int(loan.rules.markup / MARKUP_STEP)
    charges = len(loan.charges)
    if fits(at(Decimal(0), charges)):
        best = greatest_satisfying(0, steps, lambda k: fits(at(k * MARKUP_STEP, charges)))
        return (*at(best * MARKUP_STEP, charges), all_in)
    if fits(at(Decimal(0), 0)):
        kept = greatest_satisfying(0, charges, lambda n: fits(at(Decimal(0), n)))
        return (*at(Decimal(0), kept), all_in)
    # Even at the contract rate, daily penalty on a rate at the cap passes it: no penalty at all.
    return (*at(Decimal(0), 0, penalties=False), all_in)
