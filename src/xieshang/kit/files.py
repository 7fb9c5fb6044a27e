"""Reading a text file named from outside (a CLI option, a setting): every failure is an
``InvalidInput`` naming the field, so each interface can report it in one line."""

from __future__ import annotations

from pathlib import Path

from xieshang.domain.errors import InvalidInput


def read_text(path: Path, field: str) -> str:
    """The UTF-8 text of ``path``; a missing, unreadable or non-UTF-8 file is invalid input."""
    try:
        return path.read_text(encoding="utf-8-sig")  # a byte-order mark is not text
    except OSError as error:
        raise InvalidInput(field, f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise InvalidInput(field, f"{path} is not UTF-8 text") from None
