"""The all-in cost of a disputed loan, annualised by IRR.

A court reduces the part of interest, compound interest, penalty interest, 违约金 and other fees that
together exceed 24 % a year when the borrower asks (法发〔2017〕22号 第2条); the cost is measured as
an annualised rate by IRR (中国人民银行公告〔2021〕第3号).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xieshang.domain.ledger_state import LedgerState
from xieshang.domain.loan import Loan
from xieshang.domain.money import Fen
from xieshang.domain.rates import apr


def all_in_apr(loan: Loan, state: LedgerState, as_of: date, extra: Fen) -> Decimal | None:
    """IRR of principal out, every payment in, and what is still claimed: what is due now (with
    ``extra``, the disputed charges as charged less the lawful ones) on the review date, less any
    credit, and each installment not yet due on its due date."""
    start = loan.schedule.start_date
    flows = [(start, -loan.terms.principal)]
    flows += [(p.on, p.amount) for p in loan.payments if p.on <= as_of]
    now = extra - state.credit
    for held in state.installments:
        if held.installment.due_date <= as_of:
            now += held.total_owed
        elif held.total_owed:
            flows.append((held.installment.due_date, held.total_owed))
    if now:
        flows.append((as_of, now))
    if not any(amount > 0 for _, amount in flows):
        return None
    return apr(flows, start)
