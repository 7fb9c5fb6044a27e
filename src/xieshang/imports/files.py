"""Reading an export file (CSV or Parquet) into its columns and its rows of text cells.

The whole file is read before anything is written: an unknown extension or an unreadable file is an
``InvalidInput``. A CSV line with the wrong number of fields is kept as a row with its problem, so
that it is reported with its line number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow
import pyarrow.parquet

from xieshang.domain.errors import InvalidInput

Values = dict[str, str]
"""One row: column → the cell as text, stripped; empty cells are left out."""


@dataclass(frozen=True)
class Row:
    line: int
    values: Values
    problem: str | None = None


def read(path: Path) -> tuple[list[str], list[Row]]:
    """The file's columns and rows, by its extension (.csv or .parquet)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".parquet":
        return _read_parquet(path)
    raise InvalidInput("path", f"{path.name} must end in .csv or .parquet")


def _read_csv(path: Path) -> tuple[list[str], list[Row]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InvalidInput("path", f"{path} cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "path", f"{path.name} is not UTF-8 text (bad byte at offset {exc.start})"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
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
                rows.append(Row(line, {}, problem))
                continue
            rows.append(Row(line, _values(zip(columns, cells, strict=True))))
    except csv.Error as exc:
        raise InvalidInput("path", f"{path.name} line {reader.line_num}: {exc}") from None
    return columns, rows


def _read_parquet(path: Path) -> tuple[list[str], list[Row]]:
    try:
        table = pyarrow.parquet.read_table(path)
        records: list[dict[str, Any]] = table.to_pylist()
    except (OSError, ValueError, pyarrow.ArrowException) as exc:
        raise InvalidInput("path", f"{path} cannot be read as Parquet ({exc})") from None
    columns = [str(name).strip() for name in table.column_names]
    rows = [
        Row(number + 1, _values((str(k).strip(), v) for k, v in record.items()))
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
