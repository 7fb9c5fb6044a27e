"""Import customers, loans, payments and complaints from core-banking exports (CSV or Parquet).

The whole file is read and its columns checked before anything is written: an unknown extension, an
unreadable file, a missing required column or an unknown column is an ``InvalidInput`` and the
database is left alone. Then each row is its own transaction through the real services
(``add_customer``, ``add_loan``, ``record_payment``), so every imported object is validated and
audited exactly as if it had been entered by hand. A bad row is rolled back, reported with its line
number and a one-line reason naming the field, and the import goes on with the next row.

Importing is idempotent: a row whose key (customer number, loan number, loan and payment reference,
complaint's external reference)
already exists with the same content is counted as unchanged and writes nothing, not even an audit
entry; one that exists with different content is a bad row and nothing is changed.

Each row commits, so call this with a session that holds no uncommitted work of its own.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, Literal, get_args

import pyarrow
import pyarrow.parquet
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from xieshang.customers.schemas import CustomerCreate
from xieshang.customers.service import add_customer
from xieshang.domain.errors import Conflict, InvalidInput, NotFound
from xieshang.domain.money import yuan
from xieshang.domain.rates import parse_rate
from xieshang.imports import complaint_rows
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.loans.schemas import LoanCreate, PaymentCreate
from xieshang.loans.service import add_loan, record_payment
from xieshang.models.customer import Customer
from xieshang.models.loan import Loan, LoanProduct, LoanTransaction, TransactionKind

ImportKind = Literal["customers", "loans", "payments", "complaints"]
KINDS: tuple[str, ...] = get_args(ImportKind)

Values = dict[str, str]
"""One row: column → the cell as text, stripped; empty cells are left out."""


@dataclass(frozen=True)
class ImportReport:
    """What one import did. ``errors`` holds ``(line, "field: reason")`` for each bad row."""

    kind: str
    path: Path
    rows: int
    created: int
    unchanged: int
    errors: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        """``customers: 120 rows, 118 created, 0 unchanged, 2 errors``."""
        return (
            f"{self.kind}: {_count(self.rows, 'row')}, {self.created} created, "
            f"{self.unchanged} unchanged, {_count(len(self.errors), 'error')}"
        )


class _Outcome(Enum):
    CREATED = "created"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class _Kind:
    required: tuple[str, ...]
    optional: tuple[str, ...]
    key: str
    """The column named when a row collides with a concurrent write."""
    apply: Callable[[Context, Values], _Outcome]


@dataclass(frozen=True)
class _Row:
    line: int
    values: Values
    problem: str | None = None


# --------------------------------------------------------------------------------------------
# The entry point
# --------------------------------------------------------------------------------------------


def import_file(ctx: Context, kind: ImportKind, path: Path) -> ImportReport:
    """Import one export file of ``kind``; see the module docstring and ``docs/import.md``."""
    authorize(ctx, "imports.run")
    if kind not in _KINDS:
        raise InvalidInput("kind", f"{kind!r} is not one of: {', '.join(KINDS)}")
    spec = _KINDS[kind]
    columns, rows = _read(path)
    _check_columns(columns, spec)

    created = unchanged = 0
    errors: list[tuple[int, str]] = []
    for row in rows:
        if row.problem is not None:
            errors.append((row.line, row.problem))
            continue
        try:
            outcome = spec.apply(ctx, dict(row.values))
        except ValidationError as exc:
            ctx.session.rollback()
            errors.append((row.line, _pydantic_reason(exc)))
        except InvalidInput as exc:
            ctx.session.rollback()
            errors.append((row.line, _one_line(f"{exc.field}: {exc.problem}")))
        except (Conflict, NotFound) as exc:
            ctx.session.rollback()
            errors.append((row.line, _one_line(f"{spec.key}: {exc}")))
        except IntegrityError:
            ctx.session.rollback()
            errors.append((row.line, f"{spec.key}: collided with a concurrent write; import again"))
        except BaseException:
            ctx.session.rollback()
            raise
        else:
            if outcome is _Outcome.CREATED:
                created += 1
            else:
                ctx.session.rollback()  # only read: end the transaction, write nothing
                unchanged += 1
    return ImportReport(kind, path, len(rows), created, unchanged, errors)


# --------------------------------------------------------------------------------------------
# One row of each kind
# --------------------------------------------------------------------------------------------


def _customer_row(ctx: Context, values: Values) -> _Outcome:
    data = CustomerCreate.model_validate(values)
    existing = ctx.session.scalar(select(Customer).where(Customer.customer_no == data.customer_no))
    if existing is not None:
        _same_or_refuse("customer_no", data.customer_no, _customer_differences(ctx, existing, data))
        return _Outcome.UNCHANGED
    twin = ctx.session.scalar(
        select(Customer.customer_no).where(
            Customer.id_number_digest == ctx.cipher.digest(data.id_number)
        )
    )
    if twin is not None:
        raise InvalidInput("id_number", f"already belongs to customer {twin}")
    add_customer(ctx, data)
    ctx.session.commit()
    return _Outcome.CREATED


def _customer_differences(ctx: Context, customer: Customer, data: CustomerCreate) -> list[str]:
    stored_account = (
        ctx.cipher.decrypt(customer.bank_account_enc) if customer.bank_account_enc else None
    )
    return _differences(
        {
            "name": (customer.name, data.name),
            "id_number": (customer.id_number_digest, ctx.cipher.digest(data.id_number)),
            "phone": (ctx.cipher.decrypt(customer.phone_enc), data.phone),
            "bank_account": (stored_account, data.bank_account),
            "province": (customer.province, data.province),
            "city": (customer.city, data.city),
            "address": (customer.address, data.address),
            "email": (customer.email, data.email),
            "since": (customer.since, data.since),
        }
    )


def _loan_row(ctx: Context, values: Values) -> _Outcome:
    data = LoanCreate.model_validate(values)
    existing = ctx.session.scalar(select(Loan).where(Loan.loan_no == data.loan_no))
    if existing is None:
        add_loan(ctx, data)
        ctx.session.commit()
        return _Outcome.CREATED
    customer_no = ctx.session.scalar(
        select(Customer.customer_no).where(Customer.id == existing.customer_id)
    )
    product_code = ctx.session.scalar(
        select(LoanProduct.code).where(LoanProduct.id == existing.product_id)
    )
    differences = _differences(
        {
            "customer_no": (customer_no, data.customer_no),
            "product_code": (product_code, data.product_code),
            "principal": (existing.principal, yuan(data.principal, "principal")),
            "annual_rate": (
                Decimal(existing.annual_rate),
                parse_rate(data.annual_rate, field="annual_rate"),
            ),
            "months": (existing.months, data.months),
            "start_date": (existing.start_date, data.start_date),
            "first_due_date": (existing.first_due_date, data.first_due_date),
        }
    )
    _same_or_refuse("loan_no", data.loan_no, differences)
    return _Outcome.UNCHANGED


def _payment_row(ctx: Context, values: Values) -> _Outcome:
    loan_no = values.pop("loan_no", None)
    if loan_no is None:
        raise InvalidInput("loan_no", "is required")
    values.setdefault("channel", "import")
    data = PaymentCreate.model_validate(values)
    if data.reference is None:
        raise InvalidInput("reference", "is required: an imported payment must carry its reference")
    loan_id = ctx.session.scalar(select(Loan.id).where(Loan.loan_no == loan_no))
    if loan_id is None:
        raise InvalidInput("loan_no", f"no loan {loan_no}")
    existing = ctx.session.scalar(
        select(LoanTransaction).where(
            LoanTransaction.loan_id == loan_id, LoanTransaction.reference == data.reference
        )
    )
    if existing is None:
        record_payment(ctx, loan_id, data)  # commits
        return _Outcome.CREATED
    differences = _differences(
        {
            "kind": (existing.kind, TransactionKind.PAYMENT),
            "amount": (existing.amount, yuan(data.amount, "amount")),
            "value_date": (existing.value_date, data.value_date),
        }
    )
    _same_or_refuse("reference", f"{data.reference} on loan {loan_no}", differences)
    return _Outcome.UNCHANGED


def _differences(pairs: Mapping[str, tuple[object, object]]) -> list[str]:
    return [name for name, (stored, given) in pairs.items() if stored != given]


def _same_or_refuse(key: str, ident: str, differences: list[str]) -> None:
    if differences:
        raise InvalidInput(
            key, f"{ident} exists with different data (differs: {', '.join(differences)})"
        )


_KINDS: dict[str, _Kind] = {
    "customers": _Kind(
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
    "loans": _Kind(
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
    "payments": _Kind(
        required=("loan_no", "reference", "value_date", "amount"),
        optional=("channel",),
        key="reference",
        apply=_payment_row,
    ),
    "complaints": _Kind(
        required=complaint_rows.REQUIRED,
        optional=complaint_rows.OPTIONAL,
        key="external_ref",
        apply=lambda ctx, values: (
            _Outcome.CREATED if complaint_rows.complaint_row(ctx, values) else _Outcome.UNCHANGED
        ),
    ),
}


# --------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------


def _read(path: Path) -> tuple[list[str], list[_Row]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".parquet":
        return _read_parquet(path)
    raise InvalidInput("path", f"{path.name} must end in .csv or .parquet")


def _read_csv(path: Path) -> tuple[list[str], list[_Row]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InvalidInput("path", f"{path} cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "path", f"{path.name} is not UTF-8 text (bad byte at offset {exc.start})"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[_Row] = []
    try:
        header = next(reader, None)
        if header is None:
            raise InvalidInput("path", f"{path.name} is empty; its first line must be the header")
        columns = [name.strip() for name in header]
        last_line = reader.line_num
        for cells in reader:
            line, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # a blank line
            if len(cells) != len(columns):
                problem = f"row: has {len(cells)} fields, the header has {len(columns)}"
                rows.append(_Row(line, {}, problem))
                continue
            rows.append(_Row(line, _values(zip(columns, cells, strict=True))))
    except csv.Error as exc:
        raise InvalidInput("path", f"{path.name} line {reader.line_num}: {exc}") from None
    return columns, rows


def _read_parquet(path: Path) -> tuple[list[str], list[_Row]]:
    try:
        table = pyarrow.parquet.read_table(path)
        records: list[dict[str, Any]] = table.to_pylist()
    except (OSError, ValueError, pyarrow.ArrowException) as exc:
        raise InvalidInput("path", f"{path} cannot be read as Parquet ({exc})") from None
    columns = [str(name).strip() for name in table.column_names]
    rows = [
        _Row(number + 1, _values((str(k).strip(), v) for k, v in record.items()))
        for number, record in enumerate(records, start=1)
    ]
    return columns, rows


def _values(pairs: Any) -> Values:
    values: Values = {}
    for name, raw in pairs:
        text = _text(raw)
        if text is not None:
            values[name] = text
    return values


def _text(value: object) -> str | None:
    """A cell as the text the schemas validate; ``None`` for an empty cell.

    Parquet cells arrive typed: dates and timestamps at midnight become ``YYYY-MM-DD``, decimals and
    whole floats plain numbers; anything else its ``str`` (which the schemas then judge).
    """
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_columns(columns: list[str], spec: _Kind) -> None:
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


# --------------------------------------------------------------------------------------------
# Reasons, in one line
# --------------------------------------------------------------------------------------------

_PERSONAL = frozenset({"id_number", "phone", "bank_account"})
"""Never echoed back in a reason: a report is printed and may be logged."""

_FORMATS = {
    "customer_no": "letters, digits, '-' and '_'",
    "loan_no": "letters, digits, '-' and '_'",
    "phone": "an 11-digit mainland mobile number starting with 1",
    "bank_account": "12 to 19 digits",
    "email": "an email address",
    "principal": "an amount in yuan such as 1234.56 (no sign, at most 2 decimals)",
    "amount": "an amount in yuan such as 1234.56 (no sign, at most 2 decimals)",
    "annual_rate": "a rate such as 10% or 0.10",
    "reference": "letters, digits and - _ . / :",
}


def _pydantic_reason(exc: ValidationError) -> str:
    """The first problem pydantic found, as ``field: reason``."""
    error = exc.errors(include_url=False)[0]
    name = ".".join(str(part) for part in error["loc"]) or "row"
    kind, message, given = error["type"], error["msg"], error.get("input")
    if kind == "missing":
        reason = "is required"
    elif kind == "value_error":
        reason = message.removeprefix("Value error, ")
    elif kind == "string_pattern_mismatch" and name in _FORMATS:
        reason = f"must be {_FORMATS[name]}"
    else:
        reason = message[:1].lower() + message[1:]
    if kind not in ("missing", "value_error") and name not in _PERSONAL and given is not None:
        shown = repr(given) if len(repr(given)) <= 40 else repr(given)[:37] + "..."
        reason = f"{reason} (got {shown})"
    return _one_line(f"{name}: {reason}")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
