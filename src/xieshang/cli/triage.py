"""``xieshang triage``: triage one complaint, a CSV file of them, or evaluate against labels.

    xieshang triage [TEXT] [--json]                       one text (stdin when TEXT is absent)
    xieshang triage --file F.csv --text-column C [--out OUT.csv]
    xieshang triage evaluate --file F.csv --text-column C --label-column L

``triage`` is a group whose default command is ``classify``: any first argument that is not a
subcommand name goes to ``classify`` (so ``xieshang triage 我要投诉`` works). To triage the literal
text ``evaluate``, write ``xieshang triage classify evaluate``.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from xieshang.cli.app import app
from xieshang.domain.errors import InvalidInput
from xieshang.kit.files import read_text
from xieshang.text.evaluation import evaluate as evaluate_labels
from xieshang.text.rules import load_rules
from xieshang.text.triage import Triager, TriageResult, default_triager

DEFAULT_COMMAND = "classify"
ADDED_COLUMNS = ("category", "urgency", "flags", "group")


class DefaultCommandGroup(TyperGroup):
    """A group that sends any arguments not naming a subcommand to ``classify``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # ctx: Typer's vendored Context
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


triage_app = typer.Typer(
    cls=DefaultCommandGroup,
    help="Complaint triage: category, urgency, regulatory-risk flags, sentiment, group.",
)
app.add_typer(triage_app, name="triage")

RulesOption = Annotated[
    Path | None, typer.Option("--rules", help="A triage rules YAML instead of the shipped one.")
]


def _triager(rules: Path | None, *, rules_only: bool = False) -> Triager:
    if rules is None:
        return default_triager(not rules_only)
    shipped = default_triager(True)
    return Triager(
        load_rules(rules), {} if rules_only else shipped.models, use_model=not rules_only
    )


@triage_app.command(DEFAULT_COMMAND)
def classify(
    text: Annotated[
        str | None, typer.Argument(help="The complaint; read from stdin if absent.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    file: Annotated[Path | None, typer.Option("--file", help="A CSV file of complaints.")] = None,
    text_column: Annotated[
        str | None, typer.Option("--text-column", help="The column holding the text.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Where to write the CSV (default: stdout).")
    ] = None,
    rules: RulesOption = None,
) -> None:
    """Triage one complaint (TEXT or stdin), or every row of --file into --out."""
    triager = _triager(rules)
    if file is not None:
        if text is not None:
            raise InvalidInput("text", "give either TEXT or --file, not both")
        _triage_file(triager, file, _required(text_column, "text-column"), out)
        return
    if text_column is not None or out is not None:
        raise InvalidInput("file", "--text-column and --out need --file")
    result = triager.triage(sys.stdin.read() if text is None else text)
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo(_summary(result))


@triage_app.command("evaluate")
def evaluate(
    file: Annotated[Path, typer.Option("--file", help="A CSV file of labelled complaints.")],
    text_column: Annotated[str, typer.Option("--text-column", help="The column with the text.")],
    label_column: Annotated[
        str, typer.Option("--label-column", help="The column with the true category.")
    ],
    rules_only: Annotated[
        bool, typer.Option("--rules-only", help="Evaluate the rule layer alone (the baseline).")
    ] = False,
    split: Annotated[
        str | None, typer.Option("--split", help="Only rows whose 'split' column is this (test).")
    ] = None,
    rules: RulesOption = None,
) -> None:
    """Per-category precision and recall against --label-column; the last line is macro_f1=0.xx."""
    triager = _triager(rules, rules_only=rules_only)
    columns = (text_column, label_column) + (("split",) if split is not None else ())
    options = ("text-column", "label-column", "split")[: len(columns)]
    _, rows = _read_csv(file, columns, options)
    gold: list[str] = []
    predicted: list[str] = []
    for number, row in rows:
        if split is not None and row["split"] != split:
            continue
        label = row[label_column].strip()
        if not label:
            raise InvalidInput(f"{file}: row {number}", f"column {label_column!r} is empty")
        gold.append(label)
        predicted.append(_triage_row(triager, row[text_column], file, number).category)
    for line in evaluate_labels(gold, predicted).lines():
        typer.echo(line)


def _triage_file(triager: Triager, file: Path, text_column: str, out: Path | None) -> None:
    header, rows = _read_csv(file, (text_column,), ("text-column",))
    added = [c if c not in header else f"triage_{c}" for c in ADDED_COLUMNS]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*header, *added])
    count = 0
    for number, row in rows:
        result = _triage_row(triager, row[text_column], file, number)
        flags = ";".join(f.name for f in result.flags)
        writer.writerow(
            [row[c] for c in header] + [result.category, result.urgency, flags, result.group]
        )
        count += 1
    if out is None:
        typer.echo(buffer.getvalue(), nl=False)
        return
    try:
        out.write_text(buffer.getvalue(), encoding="utf-8")
    except OSError as error:
        raise InvalidInput("out", f"cannot write {out}: {error.strerror or error}") from None
    typer.echo(f"triaged {count} complaints into {out}", err=True)


def _triage_row(triager: Triager, text: str, file: Path, number: int) -> TriageResult:
    try:
        return triager.triage(text)
    except InvalidInput as error:
        raise InvalidInput(f"{file}: row {number}", error.problem) from None


def _read_csv(
    file: Path, columns: tuple[str, ...], options: tuple[str, ...]
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    text = read_text(file, "file")
    reader = csv.DictReader(io.StringIO(text))
    header = list(reader.fieldnames or [])
    if not header:
        raise InvalidInput("file", f"{file} is empty (no header row)")
    for column, option in zip(columns, options, strict=True):
        if column not in header:
            raise InvalidInput(
                option, f"no column {column!r} in {file} (columns: {', '.join(header)})"
            )

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for number, row in enumerate(reader, start=2):  # line numbers as a spreadsheet shows them
            if None in row or any(row[c] is None for c in header):
                raise InvalidInput(
                    f"{file}: row {number}", "has a different number of fields than the header"
                )
            yield number, row

    return header, rows()


def _required(value: str | None, option: str) -> str:
    if value is None:
        raise InvalidInput(option, "is required with --file")
    return value


def _summary(result: TriageResult) -> str:
    flags = ", ".join(f"{f.name} ({f.matched})" for f in result.flags) or "none"
    top = sorted(result.scores.items(), key=lambda kv: -kv[1])[:3]
    return "\n".join(
        [
            f"category   {result.category}  ({', '.join(f'{c} {s:.2f}' for c, s in top)})",
            f"urgency    {result.urgency}  ({'; '.join(result.urgency_reasons)})",
            f"flags      {flags}",
            f"sentiment  {result.sentiment.label} ({result.sentiment.score:+g})",
            f"group      {result.group}",
        ]
    )
