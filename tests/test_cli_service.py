"""The service commands as an administrator runs them: migrate, seed, verify the audit chain, import."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from xieshang.cli import main


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("XIESHANG_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("XIESHANG_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("XIESHANG_ARGON2_MEMORY_KIB", "1024")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_upgrade_seed_and_verify(capsys: pytest.CaptureFixture[str], database: Path) -> None:
    assert run(capsys, "db", "upgrade")[0] == 0
    assert run(capsys, "db", "upgrade")[0] == 0  # idempotent
    code, out, _ = run(capsys, "seed-demo", "--customers", "6")
    assert code == 0
    assert out.startswith("seeded 6 customers")
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 0
    assert out.startswith("audit chain intact: ")
    code, _, err = run(capsys, "seed-demo", "--customers", "6")
    assert code == 2
    assert "already has data" in err


def test_audit_verify_exits_1_naming_the_first_broken_entry(
    capsys: pytest.CaptureFixture[str], database: Path
) -> None:
    run(capsys, "db", "upgrade")
    run(capsys, "seed-demo", "--customers", "5")
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE audit_log SET details = '{\"forged\":true}' WHERE seq = 7")
    code, _, err = run(capsys, "audit", "verify")
    assert code == 1
    assert err.strip() == "audit chain BROKEN at entry 7: its content does not match its hash"


def test_import_reports_bad_rows_and_reimport_changes_nothing(
    capsys: pytest.CaptureFixture[str], database: Path, tmp_path: Path
) -> None:
    run(capsys, "db", "upgrade")
    export = tmp_path / "customers.csv"
    export.write_text(
        "customer_no,name,id_number,phone,bank_account,province,city,address,email,since\n"
        "C1,张伟,11010519491231002X,13800000001,,北京市,北京市,朝阳区 1 号,,2020-01-01\n"
        "C2,李娜,110105194912310021,13800000002,,北京市,北京市,朝阳区 2 号,,2020-01-01\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "import", "customers", str(export))
    assert code == 1
    assert out.strip() == "customers: 2 rows, 1 created, 0 unchanged, 1 error"
    assert err.startswith("  line 3: id_number")
    code, out, _ = run(capsys, "import", "customers", str(export))
    assert "0 created, 1 unchanged" in out


def test_import_refuses_an_unknown_kind_in_one_line(
    capsys: pytest.CaptureFixture[str], database: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "import", "widgets", str(tmp_path / "x.csv"))
    assert code == 2
    assert (
        err
        == "xieshang: error: kind: 'widgets' is not one of: customers, loans, payments, complaints\n"
    )


def test_a_bad_setting_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIESHANG_TOKEN_TTL_MINUTES", "0")
    code, _, err = run(capsys, "db", "upgrade")
    assert code == 2
    assert err.startswith("xieshang: error: XIESHANG_TOKEN_TTL_MINUTES: ")
    assert err.count("\n") == 1


def test_logins_from_the_command_line(
    capsys: pytest.CaptureFixture[str], database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first administrator is made here; passwords come from stdin, never the arguments."""
    assert run(capsys, "db", "upgrade")[0] == 0
    secret = "correct horse battery\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(secret))
    code, out, _ = run(
        capsys,
        "users",
        "create",
        "root.admin",
        "--role",
        "admin",
        "--name",
        "首位管理员",
        "--password-stdin",
    )
    assert (code, out) == (0, "user 1 root.admin (admin) created\n")
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    code, _, err = run(
        capsys, "users", "create", "li.na", "--role", "agent", "--name", "李娜", "--password-stdin"
    )
    assert (code, err) == (2, "xieshang: error: password: must have at least 12 characters\n")
    code, _, err = run(capsys, "users", "disable", "root.admin")
    assert (code, err) == (2, "xieshang: error: this is the last active administrator\n")
    code, _, err = run(capsys, "users", "disable", "nobody")
    assert (code, err) == (2, "xieshang: error: user nobody not found\n")
    monkeypatch.setattr("sys.stdin", io.StringIO("another fine phrase\n"))
    assert run(capsys, "users", "password", "root.admin", "--password-stdin")[0] == 0
    code, out, _ = run(capsys, "users", "list")
    assert code == 0
    assert out.startswith("1\troot.admin\tadmin\tactive\tnever signed in\t首位管理员")
