"""The complaint commands as an administrator runs them: import a register of complaints (bad rows
reported by line, re-import changes nothing), run the clock job, write the statistics report."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from xieshang.cli import main


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("XIESHANG_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("XIESHANG_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("XIESHANG_ARGON2_MEMORY_KIB", "1024")
    assert main(["db", "upgrade"]) == 0
    assert main(["seed-demo", "--customers", "5"]) == 0
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_run_the_clock_and_report(
    capsys: pytest.CaptureFixture[str], database: Path, tmp_path: Path
) -> None:
    capsys.readouterr()  # what setting up the database printed
    with sqlite3.connect(database) as conn:
        customers = [row[0] for row in conn.execute("SELECT customer_no FROM customers LIMIT 2")]
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()
    received = (today - timedelta(days=20)).isoformat()
    register = tmp_path / "complaints.csv"
    register.write_text(
        "external_ref,customer_no,channel,received_at,text\n"
        f"BR-1,{customers[0]},visit,{received}T09:30:00+08:00,柜台投诉：手续费收取不合理\n"
        f'BR-2,{customers[1]},letter,{received}T10:00:00,"来信：催收员威胁我, 说要起诉"\n'
        f"BR-3,NOBODY,phone,{received}T10:00:00,客户不存在\n"
        f"BR-4,{customers[0]},fax,{received}T10:00:00,渠道不对\n"
        f"BR-5,{customers[0]},phone,2999-01-01T10:00:00,未来的时间\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "import", "complaints", str(register))
    assert code == 1
    assert out.strip() == "complaints: 5 rows, 2 created, 0 unchanged, 3 errors"
    assert err.splitlines() == [
        "  line 4: customer_no: no customer NOBODY",
        "  line 5: channel: must be one of app, web, phone, visit, letter, regulator_referral, "
        "import",
        "  line 6: received_at: must be between the years 2000 and 2100",
    ]
    code, out, _ = run(capsys, "import", "complaints", str(register))
    assert "0 created, 2 unchanged" in out

    code, out, _ = run(capsys, "jobs", "run", "complaints-clock", "--as-of", today.isoformat())
    assert code == 0
    assert "complaints_escalated: 2" in out  # received 20 days ago, nothing decided
    code, out, _ = run(capsys, "jobs", "run", "complaints-clock", "--as-of", today.isoformat())
    assert "complaints_escalated" not in out

    report = tmp_path / "report.xlsx"
    code, out, _ = run(
        capsys, "complaints", "report", "--from", received, "--to", received,
        "--out", str(report),
    )  # fmt: skip
    assert code == 0, out
    summary = dict(load_workbook(report)["summary"].iter_rows(min_row=2, values_only=True))
    assert summary["received"] == 2, "the two imported that day (the demo's own came today)"
    code, _, err = run(
        capsys, "complaints", "report", "--from", received, "--to", received, "--format", "pdf",
        "--out", str(report),
    )  # fmt: skip
    assert code == 2
    assert err == "xieshang: error: format: 'pdf' is not one of: xlsx, csv\n"
