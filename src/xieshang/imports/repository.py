"""Every query of an import: finding what a row names and what it would create (read only)."""

from __future__ import annotations

from sqlalchemy import select

from xieshang.kit.context import Context
from xieshang.models.complaint import Complaint
from xieshang.models.customer import Customer
from xieshang.models.loan import Loan, LoanProduct, LoanTransaction


def customer_by_number(ctx: Context, customer_no: str) -> Customer | None:
    return ctx.session.scalar(select(Customer).where(Customer.customer_no == customer_no))


def customer_id_by_number(ctx: Context, customer_no: str) -> int | None:
    return ctx.session.scalar(select(Customer.id).where(Customer.customer_no == customer_no))


def customer_number_by_id_digest(ctx: Context, digest: str) -> str | None:
    """The number of the customer whose ID number has this digest, if there is one."""
    return ctx.session.scalar(
        select(Customer.customer_no).where(Customer.id_number_digest == digest)
    )


def customer_number(ctx: Context, customer_id: int) -> str | None:
    return ctx.session.scalar(select(Customer.customer_no).where(Customer.id == customer_id))


def product_code(ctx: Context, product_id: int) -> str | None:
    return ctx.session.scalar(select(LoanProduct.code).where(LoanProduct.id == product_id))


def loan_by_number(ctx: Context, loan_no: str) -> Loan | None:
    return ctx.session.scalar(select(Loan).where(Loan.loan_no == loan_no))


def loan_id_by_number(ctx: Context, loan_no: str) -> int | None:
    return ctx.session.scalar(select(Loan.id).where(Loan.loan_no == loan_no))


def transaction_by_reference(ctx: Context, loan_id: int, reference: str) -> LoanTransaction | None:
    """The loan's transaction with this reference, whatever its kind."""
    return ctx.session.scalar(
        select(LoanTransaction).where(
            LoanTransaction.loan_id == loan_id, LoanTransaction.reference == reference
        )
    )


def complaint_by_external_ref(ctx: Context, external_ref: str) -> Complaint | None:
    return ctx.session.scalar(select(Complaint).where(Complaint.external_ref == external_ref))
