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

from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from xieshang.domain.errors import Conflict, InvalidInput, NotFound
from xieshang.imports.files import read
from xieshang.imports.reasons import one_line, pydantic_reason
from xieshang.imports.rows import SPECS, Outcome, check_columns
from xieshang.imports.schemas import KINDS, ImportKind, ImportReport
from xieshang.kit.access import authorize
from xieshang.kit.context import Context


def import_file(ctx: Context, kind: ImportKind, path: Path) -> ImportReport:
    """Import one export file of ``kind``; see the module docstring and ``docs/import.md``."""
    authorize(ctx, "imports.run")
    if kind not in SPECS:
        raise InvalidInput("kind", f"{kind!r} is not one of: {', '.join(KINDS)}")
    spec = SPECS[kind]
    columns, rows = read(path)
    check_columns(columns, spec)

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
            errors.append((row.line, pydantic_reason(exc)))
        except InvalidInput as exc:
            ctx.session.rollback()
            errors.append((row.line, one_line(f"{exc.field}: {exc.problem}")))
        except (Conflict, NotFound) as exc:
            ctx.session.rollback()
            errors.append((row.line, one_line(f"{spec.key}: {exc}")))
        except IntegrityError:
            ctx.session.rollback()
            errors.append((row.line, f"{spec.key}: collided with a concurrent write; import again"))
        except BaseException:
            ctx.session.rollback()
            raise
        else:
            if outcome is Outcome.CREATED:
                created += 1
            else:
                ctx.session.rollback()  # only read: end the transaction, write nothing
                unchanged += 1
    return ImportReport(kind, path, len(rows), created, unchanged, errors)
