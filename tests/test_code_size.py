"""The code stays readable: no module over 400 lines (data tables and migrations aside), no function
over 60.

A function's length runs from its ``def`` line to the last line of its body, docstring included
(``end_lineno - lineno + 1``). Run this file to list the offenders:

    .venv/bin/python tests/test_code_size.py [DIRECTORY]
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "xieshang"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
DATA_TABLES: frozenset[str] = frozenset()
"""Modules (relative to the package) that are data tables, exempt from the module limit."""
GENERATED = ("migrations/",)
"""Alembic's revisions: written once, never read as code is."""


def long_code(root: Path) -> list[str]:
    """Every module over the module limit and every function over the function limit below ``root``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(root).as_posix()
        if name.startswith(GENERATED):
            continue
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES and name not in DATA_TABLES:
            found.append(f"module {name}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"function {name}:{node.lineno} {node.name}: {length} lines")
    return found


def test_no_module_or_function_is_too_long() -> None:
    assert (PACKAGE / "domain").is_dir(), "the package was not found"
    assert long_code(PACKAGE) == []


def test_the_checker_measures_from_def_to_the_last_line(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES - 2))
    fits = f'def fits() -> None:\n    """Doc."""\n{body}\n'
    (tmp_path / "ok.py").write_text(fits, encoding="utf-8")
    assert long_code(tmp_path) == []
    (tmp_path / "long.py").write_text(fits.replace("fits", "spills") + "    y = 0\n", "utf-8")
    filler = "\n" * (MAX_MODULE_LINES - MAX_FUNCTION_LINES)
    (tmp_path / "full.py").write_text(filler + fits, encoding="utf-8")
    (tmp_path / "over.py").write_text("\n" + filler + fits, encoding="utf-8")
    assert long_code(tmp_path) == [
        f"function long.py:1 spills: {MAX_FUNCTION_LINES + 1} lines",
        f"module over.py: {MAX_MODULE_LINES + 1} lines",
    ]


if __name__ == "__main__":
    for finding in long_code(Path(sys.argv[1]) if len(sys.argv) > 1 else PACKAGE):
        sys.stdout.write(finding + "\n")
