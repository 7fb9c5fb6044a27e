"""Loan rows as the read models the API and pages show."""

from __future__ import annotations

from xieshang.domain.money import to_yuan
from xieshang.kit.context import Context
from xieshang.loans.schemas import LoanRead, ProductRead, TransactionRead
from xieshang.models.loan import Loan, LoanTransaction


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
