"""The loan a plan is built on: the contract brought within the law before any concession.

A penalty markup above the legal maximum (银发〔2003〕251号 第三条) is recomputed at the maximum, and
a contract rate above the all-in cap (法发〔2017〕22号 第2条) is repriced to the cap, both from the
start of the loan, as a court would. The plan starts from the lawful debt, so what the contract
charged beyond it is credited; the reasons say how much. A schedule already rescheduled (an earlier
plan) is not repriced here: its offers then fail the APR check, with that reason.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.ledger_state import LedgerState
from xieshang.domain.loan import Loan
from xieshang.domain.money import Fen
from xieshang.domain.negotiation.policy import RegulatoryCaps
from xieshang.domain.negotiation.reasons import Reason, money
from xieshang.domain.rates import format_rate
from xieshang.domain.restructure import Debt
from xieshang.domain.schedule import build_schedule


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
    if lawful is loan:
        return LawfulLoan(loan, state, 0, ())
    credited = max(0, Debt.of(ledger_as_of(loan, as_of)).total - Debt.of(state).total)
    reasons.append(Reason("LAWFUL_CREDITED", {"amount": money(credited)}))
    return LawfulLoan(lawful, state, credited, tuple(reasons))
