"""What is stored, in the terms of an import file's columns: a row that exists already is compared
with these, column by column, to tell "unchanged" from "exists with different data"."""

from __future__ import annotations

from decimal import Decimal

from xieshang.imports import repository
from xieshang.kit.context import Context
from xieshang.models.complaint import Complaint
from xieshang.models.customer import Customer
from xieshang.models.loan import Loan, LoanTransaction

Stored = dict[str, object]


def customer_as_row(ctx: Context, customer: Customer) -> Stored:
    """The customer's columns; the ID number as its digest (it is stored only so)."""
    account = ctx.cipher.decrypt(customer.bank_account_enc) if customer.bank_account_enc else None
    return {
        "name": customer.name,
        "id_number": customer.id_number_digest,
        "phone": ctx.cipher.decrypt(customer.phone_enc),
        "bank_account": account,
        "province": customer.province,
        "city": customer.city,
        "address": customer.address,
        "email": customer.email,
        "since": customer.since,
    }


def loan_as_row(ctx: Context, loan: Loan) -> Stored:
    return {
        "customer_no": repository.customer_number(ctx, loan.customer_id),
        "product_code": repository.product_code(ctx, loan.product_id),
        "principal": loan.principal,
        "annual_rate": Decimal(loan.annual_rate),
        "months": loan.months,
        "start_date": loan.start_date,
        "first_due_date": loan.first_due_date,
    }


def payment_as_row(transaction: LoanTransaction) -> Stored:
    return {
        "kind": transaction.kind,
        "amount": transaction.amount,
        "value_date": transaction.value_date,
    }


def complaint_as_row(complaint: Complaint) -> Stored:
    """The complaint's columns; the customer and loan by their ids."""
    return {
        "customer_no": complaint.customer_id,
        "loan_no": complaint.loan_id,
        "channel": complaint.channel,
        "received_at": complaint.received_at,
        "text": complaint.original_text,
    }
