"""The shape of the code (docs/decisions/0004-feature-shape.md): the domain core imports only the
standard library and itself; every feature folder has the same four files; queries live only in
repositories."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "xieshang"
DOMAIN = PACKAGE / "domain"
ALLOWED = {"xieshang.domain", "xieshang.domain.errors"}
FEATURES = (
    "agreements",
    "audit",
    "auth",
    "complaints",
    "contacts",
    "customers",
    "feedback",
    "imports",
    "loans",
    "negotiations",
    "notifications",
    "policy",
)
"""The feature folders: between the adapters (cli, web, jobs, demo) and the kit, models and domain."""
QUERY = re.compile(r"\bselect\(|\bsession\.(get|scalar|scalars|execute|query)\(|\.query\(")
"""A query through SQLAlchemy: a select, or the session asked for rows."""
NOT_QUERIES = {
    "web/api/system.py": "the health check's SELECT 1 is a ping, not a query of any feature",
}
"""Modules outside a repository allowed a statement, and why."""


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


def test_every_feature_folder_has_the_four_files() -> None:
    missing = []
    for feature in FEATURES:
        folder = PACKAGE / feature
        assert folder.is_dir(), f"{feature} is not a folder"
        for name in ("repository.py", "schemas.py", "reads.py"):
            if not (folder / name).is_file():
                missing.append(f"{feature}/{name}")
        if not ((folder / "service.py").is_file() or (folder / "service").is_dir()):
            missing.append(f"{feature}/service.py")
    assert missing == []


def test_every_package_is_a_floor_the_contracts_know() -> None:
    """A new top-level package must be placed on a floor (pyproject's import contracts) and, if it is
    a feature, in FEATURES above."""
    floors = {"cli", "web", "demo", "jobs", "text", "kit", "models", "domain", "migrations"}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages - floors - set(FEATURES) == set()


def queries_outside_repositories(root: Path) -> list[str]:
    """``path:line`` of every query in a module that is not a repository (migrations aside)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(root).as_posix()
        if path.name == "repository.py" or name.startswith("migrations/") or name in NOT_QUERIES:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if QUERY.search(line):
                found.append(f"{name}:{number}")
    return found


def test_queries_live_in_repositories() -> None:
    assert queries_outside_repositories(PACKAGE) == []


def test_every_exemption_is_still_needed() -> None:
    for name in NOT_QUERIES:
        text = (PACKAGE / name).read_text(encoding="utf-8")
        assert QUERY.search(text), f"{name} no longer needs its exemption"


def test_the_query_checker_finds_a_query(tmp_path: Path) -> None:
    (tmp_path / "service.py").write_text(
        "rows = ctx.session.scalars(select(Loan))\nrow = ctx.session.get(Loan, 1)\n", "utf-8"
    )
    (tmp_path / "repository.py").write_text("rows = session.scalars(select(Loan))\n", "utf-8")
    assert queries_outside_repositories(tmp_path) == ["service.py:1", "service.py:2"]
