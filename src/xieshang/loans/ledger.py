"""A loan's rows as the pure ledger sees them, and back: the terms in force, the installed schedule,
the penalty rules and the transactions of the schedule in force; the loan-file form a negotiation
snapshot stores; and a built schedule as installment rows."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from xieshang.domain.allocation import AllocationOrder
from xieshang.domain.loan import Charge, ChargeKind, Payment, PenaltyRules
from xieshang.domain.loan import Loan as LedgerLoan
from xieshang.domain.money import Fen, to_yuan
from xieshang.domain.rates import DayCount
from xieshang.domain.schedule import (
    Installment,
    InterestBasis,
    LoanTerms,
    RepaymentMethod,
    Schedule,
)
from xieshang.loans.loanfile import parse_terms, terms_file
from xieshang.models.loan import Installment as InstallmentRow
from xieshang.models.loan import Loan, LoanProduct, LoanTransaction, TransactionKind

_CHARGE_KINDS = {
    TransactionKind.FEE: ChargeKind.FEE,
    TransactionKind.LATE_FEE: ChargeKind.LATE_FEE,
    TransactionKind.REINSTATED: ChargeKind.FEE,  # put back as a fee: no interest runs on it
}
"""The ledger's kind of charge for each transaction that is not a payment."""


def product_terms(
    product: LoanProduct,
    principal: Fen,
    rate: Decimal,
    months: int,
    start: date,
    first_due: date | None,
) -> LoanTerms:
    """A loan's contract terms: its own amount, rate and dates under its product's conventions."""
    return LoanTerms(
        principal=principal,
        annual_rate=rate,
        months=months,
        start_date=start,
        method=RepaymentMethod(product.method),
        first_due_date=first_due,
        interest_basis=InterestBasis(product.interest_basis),
        day_count=DayCount(product.day_count),
        installment_multiple=product.installment_multiple,
    )


def product_rules(product: LoanProduct) -> PenaltyRules:
    """The overdue rules a product's loans are charged under."""
    return PenaltyRules(
        markup=Decimal(product.penalty_markup),
        penalty_enabled=product.penalty_enabled,
        compound_enabled=product.compound_enabled,
        grace_days=product.grace_days,
        allocation=AllocationOrder.parse(product.allocation_order),
    )


def terms_in_force(loan: Loan) -> LoanTerms:
    """The terms of the schedule in force: the contract's, or those an agreement installed."""
    if loan.terms_in_force is not None:
        return parse_terms(json.loads(loan.terms_in_force))[0]
    return product_terms(
        loan.product,
        loan.principal,
        Decimal(loan.annual_rate),
        loan.months,
        loan.start_date,
        loan.first_due_date,
    )


def segment_transactions(loan: Loan) -> list[LoanTransaction]:
    """The transactions of the schedule in force (earlier ones were settled into an agreement)."""
    return [t for t in loan.transactions if t.segment == loan.segment]


def to_ledger(loan: Loan) -> LedgerLoan:
    """The ORM loan as the pure ledger sees it: terms, the installed schedule, rules and events."""
    terms = terms_in_force(loan)
    events = segment_transactions(loan)
    payments = tuple(
        Payment(t.value_date, t.amount, t.reference)
        for t in events
        if t.kind is TransactionKind.PAYMENT
    )
    charges = tuple(
        Charge(t.value_date, t.amount, _CHARGE_KINDS[t.kind], t.installment, t.description)
        for t in events
        if t.kind is not TransactionKind.PAYMENT
    )
    schedule = installed_schedule(loan, terms.start_date)
    return LedgerLoan(terms, schedule, product_rules(loan.product), payments, charges)


def installed_schedule(loan: Loan, start: date) -> Schedule:
    """The schedule in force, as its installment rows hold it; ``start`` is its terms' start."""
    return Schedule(
        principal=sum(i.principal for i in loan.installments),
        start_date=start,
        installments=tuple(
            Installment(
                i.number,
                i.start_date,
                i.end_date,
                i.due_date,
                i.principal,
                i.interest,
                i.balance,
                i.interest_base,
                i.interest_months,
                i.interest_days,
            )
            for i in loan.installments
        ),
    )


def installment_rows(schedule: Schedule) -> list[InstallmentRow]:
    """A built schedule as the loan's installment rows."""
    return [
        InstallmentRow(
            number=i.number,
            start_date=i.start_date,
            end_date=i.end_date,
            due_date=i.due_date,
            principal=i.principal,
            interest=i.interest,
            balance=i.balance,
            interest_base=i.interest_base,
            interest_months=i.interest_months,
            interest_days=i.interest_days,
        )
        for i in schedule.installments
    ]


def loan_file(loan: Loan) -> dict[str, object]:
    """The loan in the loan-file format (docs/loan-file.md): what a negotiation snapshot stores."""
    product = loan.product
    events = segment_transactions(loan)
    terms = terms_file(terms_in_force(loan))
    return {
        "terms": {k: v for k, v in terms.items() if v is not None},
        "penalty": {
            "markup": product.penalty_markup,
            "grace_days": product.grace_days,
            "penalty": product.penalty_enabled,
            "compound": product.compound_enabled,
            "allocation_order": product.allocation_order,
        },
        "payments": [
            {
                "date": t.value_date.isoformat(),
                "amount": to_yuan(t.amount),
                "reference": t.reference,
            }
            for t in events
            if t.kind is TransactionKind.PAYMENT
        ],
        "charges": [
            {
                "date": t.value_date.isoformat(),
                "amount": to_yuan(t.amount),
                "kind": _CHARGE_KINDS[t.kind].value,
                "installment": t.installment,
                "description": t.description,
            }
            for t in events
            if t.kind is not TransactionKind.PAYMENT
        ],
    } | _disclosures(loan)


def _disclosures(loan: Loan) -> dict[str, object]:
    """The versions of the loan's cost disclosure table (金规〔2026〕2号, UNVERIFIED), for a dispute
    to reconcile against; none for a loan that has no table yet."""
    if not loan.disclosures:
        return {}
    return {
        "disclosures": [
            {
                "version": row.version,
                "effective_date": row.effective_date.isoformat(),
                "digest": row.digest,
                "table": json.loads(row.table_json),
            }
            for row in loan.disclosures
        ]
    }


def unchanged_since(loan: Loan, snapshot: dict[str, object]) -> bool:
    """Whether the loan is as a negotiation's snapshot of it (its loan file) shows it. A snapshot
    taken before the loan had disclosure tables is compared without them."""
    now = loan_file(loan)
    if "disclosures" not in snapshot:
        now.pop("disclosures", None)
    return now == snapshot
