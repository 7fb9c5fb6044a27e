"""What an import takes (the kind of file) and gives back (the report of what it did)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

ImportKind = Literal["customers", "loans", "payments", "complaints"]
KINDS: tuple[str, ...] = get_args(ImportKind)


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


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
