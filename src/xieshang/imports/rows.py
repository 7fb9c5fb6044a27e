"""The kinds of row an import knows: the columns of each, and how one row is applied — created
through the real services (``add_customer``, ``add_loan``, ``record_payment``, complaint intake), or
found unchanged, or refused because it exists with different data."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

from xieshang.customers.schemas import CustomerCreate
from xieshang.customers.service import add_customer
from xieshang.domain.errors import InvalidInput
from xieshang.domain.money import yuan
from xieshang.domain.rates import parse_rate
from xieshang.imports import complaint_rows, reads, repository
from xieshang.imports.files import Values
from xieshang.kit.context import Context
from xieshang.loans.schemas import LoanCreate, PaymentCreate
from xieshang.loans.service import add_loan, record_payment
from xieshang.models.loan import TransactionKind


class Outcome(Enum):
    CREATED = "created"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Kind:
    required: tuple[str, ...]
    optional: tuple[str, ...]
    key: str
    """The column named when a row collides with a concurrent write."""
    apply: Callable[[Context, Values], Outcome]


def check_columns(columns: list[str], spec: Kind) -> None:
    """Each column once, every required one, no unknown one (else ``InvalidInput``)."""
    duplicated = sorted({name for name in columns if columns.count(name) > 1})
    if duplicated:
        raise InvalidInput("columns", f"repeated column(s): {', '.join(duplicated)}")
    missing = [name for name in spec.required if name not in columns]
    if missing:
        raise InvalidInput("columns", f"missing required column(s): {', '.join(missing)}")
    known = set(spec.required) | set(spec.optional)
    unknown = [name for name in columns if name not in known]
    if unknown:
        listed = ", ".join(repr(name) for name in unknown)
        raise InvalidInput(
            "columns",
            f"unknown column(s): {listed}; expected {', '.join((*spec.required, *spec.optional))}",
        )


def _customer_row(ctx: Context, values: Values) -> Outcome:
    data = CustomerCreate.model_validate(values)
    existing = repository.customer_by_number(ctx, data.customer_no)
    if existing is not None:
        given = {
            "name": data.name,
            "id_number": ctx.cipher.digest(data.id_number),
            "phone": data.phone,
            "bank_account": data.bank_account,
            "province": data.province,
            "city": data.city,
            "address": data.address,
            "email": data.email,
            "since": data.since,
        }
        differences = _differences(reads.customer_as_row(ctx, existing), given)
        _same_or_refuse("customer_no", data.customer_no, differences)
        return Outcome.UNCHANGED
    twin = repository.customer_number_by_id_digest(ctx, ctx.cipher.digest(data.id_number))
    if twin is not None:
        raise InvalidInput("id_number", f"already belongs to customer {twin}")
    add_customer(ctx, data)
    ctx.session.commit()
    return Outcome.CREATED


def _loan_row(ctx: Context, values: Values) -> Outcome:
    data = LoanCreate.model_validate(values)
    existing = repository.loan_by_number(ctx, data.loan_no)
    if existing is None:
        add_loan(ctx, data)
        ctx.session.commit()
        return Outcome.CREATED
    given = {
        "customer_no": data.customer_no,
        "product_code": data.product_code,
        "principal": yuan(data.principal, "principal"),
        "annual_rate": parse_rate(data.annual_rate, field="annual_rate"),
        "months": data.months,
        "start_date": data.start_date,
        "first_due_date": data.first_due_date,
    }
    differences = _differences(reads.loan_as_row(ctx, existing), given)
    _same_or_refuse("loan_no", data.loan_no, differences)
    return Outcome.UNCHANGED


def _payment_row(ctx: Context, values: Values) -> Outcome:
    loan_no = values.pop("loan_no", None)
    if loan_no is None:
        raise InvalidInput("loan_no", "is required")
    values.setdefault("channel", "import")
    data = PaymentCreate.model_validate(values)
    if data.reference is None:
        raise InvalidInput("reference", "is required: an imported payment must carry its reference")
    loan_id = repository.loan_id_by_number(ctx, loan_no)
    if loan_id is None:
        raise InvalidInput("loan_no", f"no loan {loan_no}")
    existing = repository.transaction_by_reference(ctx, loan_id, data.reference)
    if existing is None:
        record_payment(ctx, loan_id, data)  # commits
        return Outcome.CREATED
    given = {
        "kind": TransactionKind.PAYMENT,
        "amount": yuan(data.amount, "amount"),
        "value_date": data.value_date,
    }
    differences = _differences(reads.payment_as_row(existing), given)
    _same_or_refuse("reference", f"{data.reference} on loan {loan_no}", differences)
    return Outcome.UNCHANGED


def _complaint_row(ctx: Context, values: Values) -> Outcome:
    created = complaint_rows.complaint_row(ctx, values)
    return Outcome.CREATED if created else Outcome.UNCHANGED


def _differences(stored: Mapping[str, object], given: Mapping[str, object]) -> list[str]:
    """The columns whose given value is not the stored one, in the given order."""
    return [name for name, value in given.items() if stored[name] != value]


def _same_or_refuse(key: str, ident: str, differences: list[str]) -> None:
    if differences:
        raise InvalidInput(
            key, f"{ident} exists with different data (differs: {', '.join(differences)})"
        )


SPECS: dict[str, Kind] = {
    "customers": Kind(
        required=(
            "customer_no",
            "name",
            "id_number",
            "phone",
            "province",
            "city",
            "address",
            "since",
        ),
        optional=("bank_account", "email"),
        key="customer_no",
        apply=_customer_row,
    ),
    "loans": Kind(
        required=(
            "loan_no",
            "customer_no",
            "product_code",
            "principal",
            "annual_rate",
            "months",
            "start_date",
        ),
        optional=("first_due_date",),
        key="loan_no",
        apply=_loan_row,
    ),
    "payments": Kind(
        required=("loan_no", "reference", "value_date", "amount"),
        optional=("channel",),
        key="reference",
        apply=_payment_row,
    ),
    "complaints": Kind(
        required=complaint_rows.REQUIRED,
        optional=complaint_rows.OPTIONAL,
        key="external_ref",
        apply=_complaint_row,
    ),
}
"""Each kind of file (:data:`xieshang.imports.schemas.KINDS`) and its rows."""
