"""Loan rows as the read models the API and pages show."""

from __future__ import annotations

from xieshang.domain.disclosure import RULE, DisclosureVersion
from xieshang.domain.disclosure_text import line_text, summary
from xieshang.domain.money import to_yuan
from xieshang.kit.context import Context
from xieshang.loans.schemas import (
    DisclosureLineRead,
    DisclosureRead,
    LoanRead,
    ProductRead,
    TransactionRead,
)
from xieshang.models.loan import Loan, LoanDisclosure, LoanTransaction


def loan_read(loan: Loan) -> LoanRead:
    return LoanRead(
        id=loan.id,
        loan_no=loan.loan_no,
        customer_id=loan.customer_id,
        product=ProductRead.model_validate(loan.product),
        principal=to_yuan(loan.principal),
        annual_rate=loan.annual_rate,
        months=loan.months,
        start_date=loan.start_date,
        status=loan.status.value,
        restructured=loan.restructured,
        version=loan.version,
    )


def transaction_read(ctx: Context, txn: LoanTransaction) -> TransactionRead:
    """A transaction, its amount in yuan and its time in the bank's timezone."""
    return TransactionRead(
        id=txn.id,
        loan_id=txn.loan_id,
        kind=txn.kind.value,
        value_date=txn.value_date,
        amount=to_yuan(txn.amount),
        reference=txn.reference,
        installment=txn.installment,
        description=txn.description,
        channel=txn.channel,
        created_at=ctx.local(txn.created_at),
    )


def disclosure_read(
    ctx: Context, row: LoanDisclosure, version: DisclosureVersion, in_force: bool
) -> DisclosureRead:
    """A stored version of the loan's disclosure table, each line in words in zh-CN and en."""
    table = version.disclosure
    lines = []
    for line in table.lines:
        text = line_text(line, table)
        lines.append(
            DisclosureLineRead(
                kind=line.kind.value,
                charged=line.charged,
                collector=line.collector.value if line.charged else None,
                annual_rate=None if line.annual_rate is None else str(line.annual_rate),
                markup=None if line.markup is None else str(line.markup),
                amount=to_yuan(line.amount),
                total=to_yuan(line.total),
                installment=line.installment,
                name_zh=text.name_zh,
                name_en=text.name_en,
                how_zh=text.how_zh,
                how_en=text.how_en,
                collector_zh=text.collector_zh,
                collector_en=text.collector_en,
            )
        )
    summary_zh, summary_en = summary(table)
    return DisclosureRead(
        loan_id=row.loan_id,
        version=row.version,
        effective_date=row.effective_date,
        event=row.event.value,
        in_force=in_force,
        rule=f"{RULE} (UNVERIFIED)",
        principal=to_yuan(table.principal),
        months=table.months,
        all_in_rate=str(table.all_in_rate),
        total_cost=to_yuan(table.total_cost),
        summary_zh=summary_zh,
        summary_en=summary_en,
        digest=row.digest,
        lines=lines,
        created_at=ctx.local(row.created_at),
    )
