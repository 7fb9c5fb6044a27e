"""A loan's cost disclosure table (明示表), kept per loan and versioned.

《个人贷款业务明示综合融资成本规定》(金规〔2026〕2号, in force 2026-08-01; UNVERIFIED, docs/disclosure.md):
the table is part of the contract. Version 1 is written when the loan is booked (by the API, an
import or the demo seed); each agreement that installs a new schedule writes the next version,
effective from the new terms' start; ``xieshang db upgrade`` gives a loan booked before tables were
kept its versions (:func:`backfill`). A version is never changed. Writes flush only: the caller's
use case commits.
"""

from __future__ import annotations

import json
from decimal import Decimal

from xieshang.audit.service import record
from xieshang.domain.disclosure import (
    CostDisclosure,
    DisclosureVersion,
    disclose,
    from_data,
    to_data,
)
from xieshang.domain.disclosure import digest as table_digest
from xieshang.domain.money import Fen
from xieshang.domain.schedule import build_schedule
from xieshang.kit.context import Context
from xieshang.loans import repository
from xieshang.loans.ledger import installed_schedule, product_rules, product_terms, terms_in_force
from xieshang.models.loan import DisclosureEvent, Loan, LoanDisclosure, TransactionKind


def contract_disclosure(loan: Loan) -> CostDisclosure:
    """The table of the loan's original contract (its own amount, rate and term, its product's
    conventions and overdue rules)."""
    terms = product_terms(
        loan.product,
        loan.principal,
        Decimal(loan.annual_rate),
        loan.months,
        loan.start_date,
        loan.first_due_date,
    )
    return disclose(terms, build_schedule(terms), product_rules(loan.product))


def in_force_disclosure(loan: Loan, *, carried: Fen = 0, reinstatable: Fen = 0) -> CostDisclosure:
    """The table of the terms and schedule in force (an agreement's), with the arrears it carried
    and the concessions a breach puts back."""
    terms = terms_in_force(loan)
    schedule = installed_schedule(loan, terms.start_date)
    rules = product_rules(loan.product)
    return disclose(terms, schedule, rules, carried=carried, reinstatable=reinstatable)


def record_booked(ctx: Context, loan: Loan) -> LoanDisclosure:
    """Version 1, as the loan is booked (flush only; the booking's audit row names its digest)."""
    return _add(ctx, loan, contract_disclosure(loan), 1, DisclosureEvent.BOOKED, audit=False)


def record_terms_change(
    ctx: Context, loan: Loan, *, carried: Fen = 0, reinstatable: Fen = 0
) -> LoanDisclosure:
    """The next version, for the terms an agreement just put in force (flush only)."""
    number = repository.last_disclosure_version(ctx, loan.id) + 1
    table = in_force_disclosure(loan, carried=carried, reinstatable=reinstatable)
    return _add(ctx, loan, table, number, DisclosureEvent.AGREEMENT)


def backfill(ctx: Context) -> int:
    """Give every loan without a table its versions: 1 from the contract and, for a loan an
    agreement changed, 2 from the terms in force (with the arrears that agreement carried and what
    a breach would put back). Returns how many loans it wrote for; flush only."""
    done = 0
    for loan in repository.loans_without_disclosures(ctx):
        _add(ctx, loan, contract_disclosure(loan), 1, DisclosureEvent.BACKFILL)
        if loan.terms_in_force is not None:
            carried = sum(
                t.amount
                for t in loan.transactions
                if t.segment == loan.segment
                and t.kind is TransactionKind.FEE
                and t.channel == "agreement"
            )
            reinstatable = repository.conditional_of_segment(ctx, loan.id, loan.segment)
            table = in_force_disclosure(loan, carried=carried, reinstatable=reinstatable)
            _add(ctx, loan, table, 2, DisclosureEvent.BACKFILL)
        done += 1
    return done


def versions_of(loan: Loan) -> list[DisclosureVersion]:
    """The loan's stored versions as the domain reads them (``loan.disclosures`` loaded)."""
    return [version_of(row) for row in loan.disclosures]


def version_of(row: LoanDisclosure) -> DisclosureVersion:
    table = from_data(json.loads(row.table_json), f"disclosure v{row.version}")
    return DisclosureVersion(row.version, row.effective_date, table)


def _add(
    ctx: Context,
    loan: Loan,
    table: CostDisclosure,
    number: int,
    event: DisclosureEvent,
    *,
    audit: bool = True,
) -> LoanDisclosure:
    data = to_data(table)
    row = LoanDisclosure(
        loan_id=loan.id,
        version=number,
        effective_date=table.start_date,
        event=event,
        all_in_rate=str(table.all_in_rate),
        total_cost=table.total_cost,
        table_json=json.dumps(data, sort_keys=True, ensure_ascii=False),
        digest=table_digest(table),
        created_at=ctx.now(),
    )
    ctx.session.add(row)
    ctx.session.flush()
    if audit:
        after = {"version": number, "event": event.value, "digest": row.digest}
        after["all_in_rate"] = row.all_in_rate
        record(ctx, "loan.disclosure", "loan", loan.id, after=after)
    return row
