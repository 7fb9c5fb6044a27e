"""The domain core imports only the standard library, itself and the error tree."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[1] / "src" / "xieshang" / "domain"
ALLOWED = {"xieshang.domain", "xieshang.domain.errors"}


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_the_domain_imports_only_the_standard_library() -> None:
    offenders = []
    files = sorted(DOMAIN.rglob("*.py"))
    assert files, "the domain package was not found"
    for path in files:
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in sys.stdlib_module_names or top == "__future__":
                continue
            if any(module == allowed or module.startswith(allowed + ".") for allowed in ALLOWED):
                continue
            offenders.append(f"{path.name}: {module}")
    assert offenders == []


def test_the_checker_catches_a_third_party_import(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("import sqlalchemy\nfrom xieshang.cli import app\n", encoding="utf-8")
    assert imported_modules(sample) == {"sqlalchemy", "xieshang.cli"}
