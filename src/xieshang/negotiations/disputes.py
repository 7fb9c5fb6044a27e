"""Disputing a charge: the amounts on the customer's own bill, and a case on the engine's dispute path.

The customer picks what they dispute from what the bank actually charged (penalty interest, compound
interest, fees and late fees per installment, from the ledger), so they never type figures they
cannot know; or they enter an amount from a bill they hold. The engine recomputes what the contract
and the law allow and answers line by line (``domain.disputes.review_charges``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.allocation import Component
from xieshang.domain.disputes import ChargedComponent
from xieshang.domain.errors import InvalidInput
from xieshang.domain.loan import ChargeKind
from xieshang.domain.money import Fen, to_yuan
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.loans.ledger import terms_in_force, to_ledger
from xieshang.loans.service import require_loan
from xieshang.negotiations.case_input import ChargedIn, FinancesIn, RequestIn
from xieshang.negotiations.schemas import ChargeLineRead, NegotiationCreate, NegotiationRead
from xieshang.negotiations.service import open_case

NO_FINANCES = FinancesIn(
    verified_income="0", stated_income="0", essential_expenses="0", other_debt_service="0"
)
"""A dispute is about the bill, not the customer's means: the dispute path reads no finances, so
none are asked for and the case records zeros."""

_ACCRUED = {Component.PENALTY: "penalty", Component.COMPOUND: "compound"}
_FEES = {ChargeKind.FEE: "fee", ChargeKind.LATE_FEE: "late_fee"}


def charge_lines(ctx: Context, loan_id: int) -> list[ChargeLineRead]:
    """What the bank has charged on each installment of the schedule in force, as of today:
    penalty and compound interest (with the days they ran) and fees by kind."""
    authorize(ctx, "loans.statement")
    loan = require_loan(ctx, loan_id)
    ledger = to_ledger(loan)
    day = max(ctx.today(), terms_in_force(loan).start_date)
    state = ledger_as_of(ledger, day)
    found: dict[tuple[int, str], tuple[Fen, date, date]] = {}

    def add(n: int, component: str, amount: Fen, first: date, last: date) -> None:
        total, low, high = found.get((n, component), (0, first, last))
        found[(n, component)] = (total + amount, min(low, first), max(high, last))

    for held in state.installments:
        for line in held.accruals:
            if line.component in _ACCRUED and line.amount > 0:
                first = line.start + timedelta(days=1)
                add(held.installment.number, _ACCRUED[line.component], line.amount, first, line.end)
    installments = ledger.schedule.installments
    for charge in ledger.charges:
        if charge.on > day or charge.amount <= 0:
            continue
        number = charge.installment or next(
            (i.number for i in installments if i.due_date >= charge.on), len(installments)
        )
        add(number, _FEES[charge.kind], charge.amount, charge.on, charge.on)
    return [
        ChargeLineRead(
            key=f"{n}:{component}",
            installment=n,
            component=component,  # type: ignore[arg-type]
            amount=to_yuan(amount),
            first_day=first,
            last_day=last,
        )
        for (n, component), (amount, first, last) in sorted(found.items())
    ]


def open_dispute(
    ctx: Context, loan_id: int, picked: Sequence[str], entered: ChargedIn | None
) -> NegotiationRead:
    """Open a charge-dispute case on ``loan_id`` for the charges ``picked`` from the bill (by their
    key) and an amount the customer ``entered``; the engine answers at once."""
    authorize(ctx, "negotiations.create")
    lines = {line.key: line for line in charge_lines(ctx, loan_id)}
    charged = []
    for key in dict.fromkeys(picked):
        line = lines.get(key)
        if line is None:
            raise InvalidInput("pick", f"{key} is not a charge on this loan's bill")
        charged.append(
            ChargedIn(
                installment=line.installment,
                component=ChargedComponent(line.component),
                amount=line.amount,
            )
        )
    if entered is not None:
        charged.append(entered)
    if not charged:
        raise InvalidInput("pick", "choose a charge from your bill, or enter one you were charged")
    return open_case(
        ctx,
        NegotiationCreate(
            loan_id=loan_id,
            finances=NO_FINANCES,
            request=RequestIn(scenario="charge_dispute", charged=charged),
        ),
    )
