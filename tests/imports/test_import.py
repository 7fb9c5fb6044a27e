"""Importing core-banking exports: CSV and Parquet, idempotent re-imports, bad rows, bad files."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

import pyarrow
import pyarrow.parquet
import pytest
from sqlalchemy import func, select

from tests.factories import id_number, product
from xieshang.domain.errors import InvalidInput
from xieshang.imports.schemas import ImportKind, ImportReport
from xieshang.imports.service import import_file
from xieshang.kit.context import Context
from xieshang.models.audit import AuditEntry
from xieshang.models.customer import Customer
from xieshang.models.loan import Installment, Loan, LoanTransaction

Format = Literal["csv", "parquet"]
Row = dict[str, object]

CUSTOMER_COLUMNS = [
    "customer_no",
    "name",
    "id_number",
    "phone",
    "bank_account",
    "province",
    "city",
    "address",
    "email",
    "since",
]
LOAN_COLUMNS = [
    "loan_no",
    "customer_no",
    "product_code",
    "principal",
    "annual_rate",
    "months",
    "start_date",
    "first_due_date",
]
PAYMENT_COLUMNS = ["loan_no", "reference", "value_date", "amount", "channel"]


def a_customer(n: int, **overrides: object) -> Row:
    return {
        "customer_no": f"C90000{n}",
        "name": "李娜",
        "id_number": id_number(f"11010519850301{n:03d}"),
        "phone": f"1390000000{n}",
        "bank_account": f"622202000000000{n}" if n % 2 else None,
        "province": "北京市",
        "city": "北京市",
        "address": f"朝阳区建国路 {n} 号",
        "email": f"user{n}@example.cn" if n % 2 else None,
        "since": date(2021, 3, n),
        **overrides,
    }


CUSTOMERS = [a_customer(1), a_customer(2), a_customer(3)]
LOANS: list[Row] = [
    {
        "loan_no": "L900001",
        "customer_no": "C900001",
        "product_code": "CONSUMER-36",
        "principal": Decimal("10000.00"),
        "annual_rate": "10%",
        "months": 12,
        "start_date": date(2026, 1, 15),
        "first_due_date": None,
    },
    {
        "loan_no": "L900002",
        "customer_no": "C900002",
        "product_code": "CONSUMER-36",
        "principal": Decimal("5000"),
        "annual_rate": "0.10",
        "months": 6,
        "start_date": date(2026, 2, 1),
        "first_due_date": date(2026, 3, 10),
    },
    {
        "loan_no": "L900003",
        "customer_no": "C900003",
        "product_code": "CONSUMER-36",
        "principal": Decimal("20000.50"),
        "annual_rate": "7.2%",
        "months": 24,
        "start_date": date(2026, 3, 1),
        "first_due_date": None,
    },
]
PAYMENTS: list[Row] = [
    {
        "loan_no": "L900001",
        "reference": "CB-2026-0001",
        "value_date": date(2026, 2, 15),
        "amount": Decimal("879.16"),
        "channel": None,
    },
    {
        "loan_no": "L900001",
        "reference": "CB-2026-0002",
        "value_date": date(2026, 3, 15),
        "amount": Decimal("879.16"),
        "channel": "transfer",
    },
    {
        "loan_no": "L900002",
        "reference": "CB-2026-0003",
        "value_date": date(2026, 3, 10),
        "amount": Decimal("100.00"),
        "channel": None,
    },
]


def write(
    directory: Path,
    name: str,
    fmt: Format,
    rows: list[Row],
    columns: list[str] | None = None,
    *,
    encoding: str = "utf-8",
) -> Path:
    """Write ``rows`` as an export file: CSV cells are ``str()`` of the values, Parquet keeps types."""
    names = columns if columns is not None else list(rows[0])
    path = directory / f"{name}.{fmt}"
    if fmt == "csv":
        with path.open("w", encoding=encoding, newline="") as out:
            writer = csv.writer(out)
            writer.writerow(names)
            for row in rows:
                writer.writerow(["" if row.get(c) is None else str(row.get(c)) for c in names])
    else:
        if rows:
            table = pyarrow.Table.from_pylist([{c: row.get(c) for c in names} for row in rows])
        else:
            table = pyarrow.table({c: pyarrow.array([], pyarrow.string()) for c in names})
        pyarrow.parquet.write_table(table, path)
    return path


def counts(ctx: Context) -> dict[str, int]:
    return {
        model.__name__: ctx.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Customer, Loan, Installment, LoanTransaction, AuditEntry)
    }


def assert_clean(report: ImportReport, rows: int) -> None:
    assert report.errors == []
    assert (report.rows, report.created, report.unchanged) == (rows, rows, 0)


@pytest.fixture
def with_product(ctx: Context) -> None:
    product(ctx)
    ctx.session.commit()


def import_all(ctx: Context, directory: Path, fmt: Format) -> list[Path]:
    files = [
        write(directory, "customers", fmt, CUSTOMERS, CUSTOMER_COLUMNS),
        write(directory, "loans", fmt, LOANS, LOAN_COLUMNS),
        write(directory, "payments", fmt, PAYMENTS, PAYMENT_COLUMNS),
    ]
    assert_clean(import_file(ctx, "customers", files[0]), 3)
    assert_clean(import_file(ctx, "loans", files[1]), 3)
    assert_clean(import_file(ctx, "payments", files[2]), 3)
    return files


# --------------------------------------------------------------------------------------------
# Happy path and re-import
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.usefixtures("with_product")
def test_customers_then_loans_then_payments(ctx: Context, tmp_path: Path, fmt: Format) -> None:
    before = counts(ctx)
    import_all(ctx, tmp_path, fmt)
    after = counts(ctx)
    assert after["Customer"] - before["Customer"] == 3
    assert after["Loan"] - before["Loan"] == 3
    assert after["Installment"] - before["Installment"] == 12 + 6 + 24
    assert after["LoanTransaction"] - before["LoanTransaction"] == 3
    assert after["AuditEntry"] - before["AuditEntry"] == 9  # one per object, through the services

    first = ctx.session.scalars(select(Customer).where(Customer.customer_no == "C900001")).one()
    assert ctx.cipher.decrypt(first.phone_enc) == "13900000001"
    assert ctx.cipher.decrypt(first.id_number_enc) == CUSTOMERS[0]["id_number"]
    assert first.id_number_digest == ctx.cipher.digest(str(CUSTOMERS[0]["id_number"]))
    assert first.bank_account_enc is not None
    assert (first.email, first.since) == ("user1@example.cn", date(2021, 3, 1))
    second = ctx.session.scalars(select(Customer).where(Customer.customer_no == "C900002")).one()
    assert (second.bank_account_enc, second.email) == (None, None)

    loans = {loan.loan_no: loan for loan in ctx.session.scalars(select(Loan))}
    assert loans["L900001"].principal == 1_000_000
    assert Decimal(loans["L900001"].annual_rate) == Decimal("0.1")
    assert Decimal(loans["L900002"].annual_rate) == Decimal("0.1")
    assert loans["L900002"].first_due_date == date(2026, 3, 10)
    assert loans["L900003"].principal == 2_000_050
    assert loans["L900003"].first_due_date is None

    payments = {t.reference: t for t in ctx.session.scalars(select(LoanTransaction))}
    assert payments["CB-2026-0001"].amount == 87_916
    assert payments["CB-2026-0001"].channel == "import"
    assert payments["CB-2026-0002"].channel == "transfer"
    assert payments["CB-2026-0003"].loan_id == loans["L900002"].id


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.usefixtures("with_product")
def test_importing_the_same_files_again_changes_nothing(
    ctx: Context, tmp_path: Path, fmt: Format
) -> None:
    files = import_all(ctx, tmp_path, fmt)
    before = counts(ctx)
    kinds: tuple[ImportKind, ...] = ("customers", "loans", "payments")
    for kind, path in zip(kinds, files, strict=True):
        report = import_file(ctx, kind, path)
        assert report.errors == []
        assert (report.rows, report.created, report.unchanged) == (3, 0, 3)
        assert report.summary() == f"{kind}: 3 rows, 0 created, 3 unchanged, 0 errors"
    assert counts(ctx) == before


@pytest.mark.usefixtures("with_product")
def test_a_row_repeated_in_the_same_file_is_unchanged_the_second_time(
    ctx: Context, tmp_path: Path
) -> None:
    path = write(tmp_path, "customers", "csv", [CUSTOMERS[0], CUSTOMERS[0]], CUSTOMER_COLUMNS)
    report = import_file(ctx, "customers", path)
    assert (report.rows, report.created, report.unchanged, report.errors) == (2, 1, 1, [])


@pytest.mark.usefixtures("with_product")
def test_an_existing_key_with_different_data_is_a_bad_row_and_changes_nothing(
    ctx: Context, tmp_path: Path
) -> None:
    import_all(ctx, tmp_path, "csv")
    before = counts(ctx)
    changed = tmp_path / "changed"
    changed.mkdir()
    customers = [
        CUSTOMERS[0] | {"address": "海淀区中关村大街 1 号", "phone": "13911112222"},
        CUSTOMERS[1],
        CUSTOMERS[2] | {"id_number": id_number("11010519850301999")},
    ]
    report = import_file(
        ctx, "customers", write(changed, "customers", "csv", customers, CUSTOMER_COLUMNS)
    )
    assert report.errors == [
        (2, "customer_no: C900001 exists with different data (differs: phone, address)"),
        (4, "customer_no: C900003 exists with different data (differs: id_number)"),
    ]
    assert (report.created, report.unchanged) == (0, 1)

    loans = [LOANS[0] | {"months": 24}, LOANS[1] | {"annual_rate": "10.5%"}, LOANS[2]]
    report = import_file(ctx, "loans", write(changed, "loans", "csv", loans, LOAN_COLUMNS))
    assert report.errors == [
        (2, "loan_no: L900001 exists with different data (differs: months)"),
        (3, "loan_no: L900002 exists with different data (differs: annual_rate)"),
    ]

    payments = [PAYMENTS[0] | {"amount": Decimal("879.17")}, PAYMENTS[1], PAYMENTS[2]]
    report = import_file(
        ctx, "payments", write(changed, "payments", "csv", payments, PAYMENT_COLUMNS)
    )
    assert report.errors == [
        (
            2,
            "reference: CB-2026-0001 on loan L900001 exists with different data (differs: amount)",
        )
    ]
    assert (report.created, report.unchanged) == (0, 2)

    assert counts(ctx) == before
    first = ctx.session.scalars(select(Customer).where(Customer.customer_no == "C900001")).one()
    assert first.address == CUSTOMERS[0]["address"]
    assert ctx.cipher.decrypt(first.phone_enc) == CUSTOMERS[0]["phone"]


# --------------------------------------------------------------------------------------------
# Bad rows
# --------------------------------------------------------------------------------------------


def reasons(report: ImportReport) -> list[tuple[int, str]]:
    """Each error as (line, field)."""
    return [(line, message.split(":", 1)[0]) for line, message in report.errors]


@pytest.mark.usefixtures("with_product")
def test_bad_customer_rows_are_reported_by_line_and_the_rest_imported(
    ctx: Context, tmp_path: Path
) -> None:
    bad_id = str(CUSTOMERS[1]["id_number"])
    bad_id = bad_id[:17] + ("0" if bad_id[17] != "0" else "1")
    rows = [
        CUSTOMERS[0],
        CUSTOMERS[1] | {"id_number": bad_id},
        CUSTOMERS[2],
        a_customer(4, since="2024-02-30"),
        a_customer(5),
        a_customer(6, id_number=CUSTOMERS[0]["id_number"]),
    ]
    before = counts(ctx)
    report = import_file(ctx, "customers", write(tmp_path, "c", "csv", rows, CUSTOMER_COLUMNS))
    assert reasons(report) == [(3, "id_number"), (5, "since"), (7, "id_number")]
    assert report.errors[0][1] == "id_number: is not a valid 18-character resident ID number"
    assert "2024-02-30" in report.errors[1][1]
    assert report.errors[2][1] == "id_number: already belongs to customer C900001"
    assert bad_id not in " ".join(message for _, message in report.errors)
    assert (report.rows, report.created, report.unchanged) == (6, 3, 0)
    assert report.summary() == "customers: 6 rows, 3 created, 0 unchanged, 3 errors"

    after = counts(ctx)
    assert after["Customer"] - before["Customer"] == 3
    assert after["AuditEntry"] - before["AuditEntry"] == 3
    imported = set(ctx.session.scalars(select(Customer.customer_no)))
    assert {"C900001", "C900003", "C900005"} <= imported
    assert not {"C900002", "C900004", "C900006"} & imported


@pytest.mark.usefixtures("with_product")
def test_bad_loan_rows_are_reported_by_line_and_leave_no_partial_loan(
    ctx: Context, tmp_path: Path
) -> None:
    import_file(ctx, "customers", write(tmp_path, "c", "csv", CUSTOMERS, CUSTOMER_COLUMNS))
    rows = [
        LOANS[0],
        LOANS[1] | {"customer_no": "C999999"},
        LOANS[0] | {"principal": Decimal("12000.00")},
        LOANS[2] | {"start_date": "2024-02-30"},
        LOANS[2] | {"first_due_date": date(2026, 9, 1)},  # more than two months after the start
        LOANS[2],
    ]
    before = counts(ctx)
    report = import_file(ctx, "loans", write(tmp_path, "l", "csv", rows, LOAN_COLUMNS))
    assert reasons(report) == [
        (3, "customer_no"),
        (4, "loan_no"),
        (5, "start_date"),
        (6, "first_due_date"),
    ]
    assert report.errors[0][1] == "customer_no: no customer C999999"
    assert report.errors[1][1] == (
        "loan_no: L900001 exists with different data (differs: principal)"
    )
    assert (report.rows, report.created, report.unchanged) == (6, 2, 0)

    after = counts(ctx)
    assert after["Loan"] - before["Loan"] == 2
    assert after["Installment"] - before["Installment"] == 12 + 24
    assert after["AuditEntry"] - before["AuditEntry"] == 2
    assert set(ctx.session.scalars(select(Loan.loan_no))) == {"L900001", "L900003"}
    assert ctx.session.scalar(select(Loan.principal).where(Loan.loan_no == "L900001")) == 1_000_000


@pytest.mark.usefixtures("with_product")
def test_bad_payment_rows_are_reported_by_line(ctx: Context, tmp_path: Path) -> None:
    import_file(ctx, "customers", write(tmp_path, "c", "csv", CUSTOMERS, CUSTOMER_COLUMNS))
    import_file(ctx, "loans", write(tmp_path, "l", "csv", LOANS, LOAN_COLUMNS))
    rows = [
        PAYMENTS[0],
        PAYMENTS[1] | {"amount": "-100.00"},
        PAYMENTS[1] | {"loan_no": "L000404"},
        PAYMENTS[1] | {"reference": None},
        PAYMENTS[1] | {"value_date": date(2026, 7, 1)},  # after today (2026-06-20)
        PAYMENTS[1] | {"channel": "pigeon"},
        PAYMENTS[2],
    ]
    before = counts(ctx)
    report = import_file(ctx, "payments", write(tmp_path, "p", "csv", rows, PAYMENT_COLUMNS))
    assert reasons(report) == [
        (3, "amount"),
        (4, "loan_no"),
        (5, "reference"),
        (6, "value_date"),
        (7, "channel"),
    ]
    assert "'-100.00'" in report.errors[0][1]
    assert report.errors[1][1] == "loan_no: no loan L000404"
    assert (report.rows, report.created, report.unchanged) == (7, 2, 0)
    after = counts(ctx)
    assert after["LoanTransaction"] - before["LoanTransaction"] == 2
    assert after["AuditEntry"] - before["AuditEntry"] == 2


@pytest.mark.usefixtures("with_product")
def test_parquet_rows_are_numbered_like_csv_lines(ctx: Context, tmp_path: Path) -> None:
    rows = [CUSTOMERS[0], CUSTOMERS[1] | {"phone": "2390000000"}, CUSTOMERS[2]]
    report = import_file(ctx, "customers", write(tmp_path, "c", "parquet", rows, CUSTOMER_COLUMNS))
    assert reasons(report) == [(3, "phone")]
    assert "2390000000" not in report.errors[0][1]  # personal data is never echoed
    assert report.created == 2


@pytest.mark.usefixtures("with_product")
def test_blank_lines_are_skipped_and_line_numbers_stay_true(ctx: Context, tmp_path: Path) -> None:
    path = write(tmp_path, "c", "csv", [CUSTOMERS[0]], CUSTOMER_COLUMNS)
    bad = write(tmp_path, "bad", "csv", [CUSTOMERS[1] | {"name": ""}], CUSTOMER_COLUMNS)
    text = (
        path.read_text(encoding="utf-8")
        + "\n,,,,,,,,,\n"
        + bad.read_text(encoding="utf-8").splitlines()[1]
    )
    path.write_text(text + "\n" + "C900009,short,row\n", encoding="utf-8")
    report = import_file(ctx, "customers", path)
    assert report.rows == 3
    assert report.errors == [
        (5, "name: is required"),
        (6, "row: has 3 fields, the header has 10"),
    ]


# --------------------------------------------------------------------------------------------
# Bad files: refused before anything is written
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_missing_column_refuses_the_file(ctx: Context, tmp_path: Path, fmt: Format) -> None:
    columns = [c for c in CUSTOMER_COLUMNS if c != "phone"]
    before = counts(ctx)
    with pytest.raises(InvalidInput) as caught:
        import_file(ctx, "customers", write(tmp_path, "c", fmt, CUSTOMERS, columns))
    assert caught.value.field == "columns"
    assert "phone" in caught.value.problem
    assert counts(ctx) == before


def test_an_unknown_column_refuses_the_file(ctx: Context, tmp_path: Path) -> None:
    rows = [row | {"credit_score": 700} for row in CUSTOMERS]
    before = counts(ctx)
    with pytest.raises(InvalidInput) as caught:
        import_file(
            ctx, "customers", write(tmp_path, "c", "csv", rows, [*CUSTOMER_COLUMNS, "credit_score"])
        )
    assert caught.value.field == "columns"
    assert "credit_score" in caught.value.problem
    assert counts(ctx) == before


def test_optional_columns_may_be_left_out(ctx: Context, tmp_path: Path) -> None:
    columns = [c for c in CUSTOMER_COLUMNS if c not in ("bank_account", "email")]
    report = import_file(ctx, "customers", write(tmp_path, "c", "csv", CUSTOMERS, columns))
    assert_clean(report, 3)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("customers.xlsx", b"customer_no\n"),
        ("customers", b"customer_no\n"),
        ("customers.csv", b"customer_no,name\n\xff\xfe,x\n"),
        ("customers.csv", b""),
        ("customers.parquet", b"customer_no,name\n"),
    ],
)
def test_unreadable_files_are_refused(
    ctx: Context, tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InvalidInput) as caught:
        import_file(ctx, "customers", path)
    assert caught.value.field == "path"


def test_a_missing_file_is_refused(ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        import_file(ctx, "customers", tmp_path / "nowhere.csv")
    assert caught.value.field == "path"


def test_an_unknown_kind_is_refused(ctx: Context, tmp_path: Path) -> None:
    path = write(tmp_path, "c", "csv", CUSTOMERS, CUSTOMER_COLUMNS)
    with pytest.raises(InvalidInput) as caught:
        import_file(ctx, "surveys", path)  # type: ignore[arg-type]
    assert caught.value.field == "kind"


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_header_only_file_has_no_rows(ctx: Context, tmp_path: Path, fmt: Format) -> None:
    before = counts(ctx)
    report = import_file(ctx, "loans", write(tmp_path, "l", fmt, [], LOAN_COLUMNS))
    assert (report.kind, report.rows, report.created, report.unchanged) == ("loans", 0, 0, 0)
    assert report.errors == []
    assert report.summary() == "loans: 0 rows, 0 created, 0 unchanged, 0 errors"
    assert counts(ctx) == before


def test_a_csv_with_a_byte_order_mark_works(ctx: Context, tmp_path: Path) -> None:
    path = write(tmp_path, "c", "csv", CUSTOMERS, CUSTOMER_COLUMNS, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert_clean(import_file(ctx, "customers", path), 3)


def test_the_summary_reads_as_one_line() -> None:
    report = ImportReport("payments", Path("p.csv"), 1, 0, 0, [(2, "amount: must be more")])
    assert report.summary() == "payments: 1 row, 0 created, 0 unchanged, 1 error"


@pytest.mark.usefixtures("with_product")
def test_parquet_floats_and_timestamps_are_read_as_yuan_and_dates(
    ctx: Context, tmp_path: Path
) -> None:
    import_file(ctx, "customers", write(tmp_path, "c", "csv", CUSTOMERS, CUSTOMER_COLUMNS))
    import_file(ctx, "loans", write(tmp_path, "l", "csv", LOANS, LOAN_COLUMNS))
    table = pyarrow.table(
        {
            "loan_no": ["L900001", "L900001", "L900002", "L900002"],
            "reference": ["F-1", "F-2", "F-3", "F-4"],
            "value_date": pyarrow.array(
                [
                    "2026-02-15 00:00:00",
                    "2026-03-15 00:00:00",
                    "2026-03-10 00:00:00",
                    "2026-03-10 09:30:00",
                ]
            ).cast(pyarrow.timestamp("s")),  # naive timestamps, as exports write them
            "amount": [879.16, 500.0, 0.001, 100.0],
        }
    )
    path = tmp_path / "payments.parquet"
    pyarrow.parquet.write_table(table, path)
    report = import_file(ctx, "payments", path)
    assert report.created == 2
    assert reasons(report) == [(4, "amount"), (5, "value_date")]
    rows = ctx.session.execute(select(LoanTransaction.reference, LoanTransaction.amount))
    amounts = dict(list(rows))
    assert amounts == {"F-1": 87_916, "F-2": 50_000}
