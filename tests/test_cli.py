"""The command line as a user meets it: JSON output, tables, and one-line errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from xieshang.cli import main

BASE = [
    "schedule",
    "--principal",
    "10000",
    "--annual-rate",
    "10%",
    "--months",
    "12",
    "--start",
    "2024-01-15",
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_schedule_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *BASE, "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"installments", "total_interest", "total_payment", "apr"}
    assert data["installments"][0] == {
        "n": 1, "due_date": "2024-02-15", "payment": "879.16", "principal": "795.83",
        "interest": "83.33", "balance": "9204.17",
    }  # fmt: skip
    assert data["installments"][-1]["balance"] == "0.00"
    assert data["total_interest"] == "549.89"
    assert data["total_payment"] == "10549.89"
    assert data["apr"] == "0.099997"


def test_schedule_options_reach_the_ledger(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "schedule", "--principal", "5000", "--annual-rate", "12%", "--months", "18",
        "--start", "2022-11-01", "--round-to", "1", "--json",
    )  # fmt: skip
    assert code == 0
    assert {row["payment"] for row in json.loads(out)["installments"][:-1]} == {"305.00"}
    code, out, _ = run(capsys, *BASE, "--method", "equal_principal", "--json")
    assert json.loads(out)["installments"][0]["payment"] == "916.66"
    code, out, _ = run(capsys, *BASE, "--principal-grace", "3", "--json")
    assert json.loads(out)["installments"][2]["principal"] == "0.00"
    code, out, _ = run(
        capsys, "schedule", "--principal", "10000", "--daily-rate", "0.05%", "--months", "12",
        "--start", "2024-01-15", "--json",
    )  # fmt: skip
    assert code == 0
    assert (
        json.loads(out)["installments"][0]["interest"] == "150.00"
    )  # 0.05 % × 360 ÷ 12 = 1.5 % a month


def test_business_days_move_a_national_day_due_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "schedule", "--principal", "1000", "--annual-rate", "10%", "--months", "2",
        "--start", "2025-09-01", "--business-days", "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["installments"][0]["due_date"] == "2025-10-09"


def test_schedule_table_in_chinese_and_english(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, *BASE)
    assert "等额本息" in out
    assert "年化利率（IRR）: 10.00%" in out
    assert "¥879.16" in out
    _, out, _ = run(capsys, *BASE, "--lang", "en")
    assert "equal installment" in out
    assert "APR (IRR): 10.00%" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--annual-rate", "12"], "annual_rate: bare rate 12 is ambiguous; write it as '12%'"),
        (["--annual-rate", "120%"], "annual_rate: 120% per annual is over 100 % a year"),
        (["--principal", "-5"], "principal: must be more than zero"),
        (["--principal", "0"], "principal: must be more than zero"),
        (["--principal", "12.345"], "principal: '12.345' has more than 2 decimal places"),
        (["--months", "0"], "months: must be between 1 and 600"),
        (["--months", "twelve"], "months: 'twelve' is not a whole number"),
        (["--start", "2024-02-30"], "start_date: '2024-02-30' is not a valid date (YYYY-MM-DD)"),
        (
            ["--method", "balloon"],
            "method: 'balloon' is not one of: equal_installment, equal_principal",
        ),
        (["--monthly-rate", "1%"], "give exactly one of annual_rate, monthly_rate, daily_rate"),
        (["--first-due-date", "2024-01-01"], "first_due_date: must be after the start date"),
        (["--lang", "fr"], "lang: 'fr' is not one of: zh-CN, en"),
        (["--no-such-option"], "No such option: --no-such-option"),
    ],
)
def test_bad_schedule_input_is_one_line_and_exit_code_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    argv = list(BASE)
    for flag, value in zip(args[::2], args[1::2], strict=False):
        if flag in argv:
            argv[argv.index(flag) + 1] = value
        else:
            argv += [flag, value]
    if len(args) == 1:
        argv += args
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("xieshang: error: ")
    assert message in err


def write_loan(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "loan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


LOAN: dict[str, Any] = {
    "terms": {
        "principal": "10000.00",
        "annual_rate": "10%",
        "months": 12,
        "start_date": "2024-01-15",
    },
    "payments": [{"date": "2024-02-15", "amount": "879.16"}],
}


def test_statement_json_carries_formulas(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_loan(tmp_path, LOAN)
    code, out, _ = run(capsys, "statement", "--loan", str(path), "--as-of", "2024-03-25", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["days_past_due"] == 10
    assert data["owed_now"]["penalty"] == "3.30"
    assert data["total_owed_now"] == "882.76"
    penalty = next(line for line in data["lines"] if line["kind"] == "penalty")
    assert penalty["amount"] == "3.30"
    assert "× 10 天 = ¥3.30" in penalty["formula_zh"]
    assert "× 10 days = ¥3.30" in penalty["formula_en"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {**LOAN, "payments": [{"date": "2024-02-15", "amount": "-1"}]},
            "payments[0].amount: must be more than zero",
        ),
        (
            {**LOAN, "payments": [{"date": "15/02/2024", "amount": "1"}]},
            "payments[0].date: '15/02/2024' is not a valid date",
        ),
        (
            {**LOAN, "payments": [{"date": "2023-02-15", "amount": "1"}]},
            "payments[0].date: is before the loan started",
        ),
        ({**LOAN, "payments": {}}, "payments: must be a JSON array"),
        (
            {**LOAN, "terms": {**LOAN["terms"], "annual_rate": "12"}},
            "terms.annual_rate: bare rate 12 is ambiguous",
        ),
        (
            {**LOAN, "terms": {**LOAN["terms"], "colour": "red"}},
            "terms.colour: is not a known field",
        ),
        (
            {**LOAN, "penalty": {"markup": "70%", "grace_days": 40}},
            "penalty.grace_days: must be between 0 and 30",
        ),
        ({"payments": []}, "terms: must be a JSON object"),
        ([1, 2], "loan: must be a JSON object"),
    ],
)
def test_a_bad_loan_file_names_the_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: object, message: str
) -> None:
    code, out, err = run(
        capsys, "statement", "--loan", str(write_loan(tmp_path, data)), "--as-of", "2024-03-25"
    )
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert message in err


def test_malformed_or_missing_files_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"terms": ', encoding="utf-8")
    code, _, err = run(capsys, "statement", "--loan", str(broken), "--as-of", "2024-03-25")
    assert code == 2
    assert "is not valid JSON (line 1" in err
    assert err.count("\n") == 1
    code, _, err = run(capsys, "statement", "--loan", str(tmp_path / "missing.json"))
    assert code == 2
    assert "cannot read" in err
    assert err.count("\n") == 1
    code, _, err = run(
        capsys, "statement", "--loan", str(write_loan(tmp_path, LOAN)), "--as-of", "2024-13-01"
    )
    assert code == 2
    assert "as_of: '2024-13-01' is not a valid date" in err


def test_the_tour_prints_a_schedule_and_a_statement(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "tour")
    assert code == 0
    assert "等额本息" in out
    assert "逐项账单 截至 2026-06-20" in out
    assert "罚息" in out
    code, out, _ = run(capsys, "tour", "--lang", "en")
    assert "Itemised statement as of 2026-06-20" in out


def test_the_sample_loan_file_in_the_docs_is_the_demo_loan() -> None:
    packaged = (
        resources.files("xieshang").joinpath("data/demo_loan.json").read_text(encoding="utf-8")
    )
    documented = (
        Path(__file__).resolve().parents[1] / "docs" / "examples" / "loan.json"
    ).read_text(encoding="utf-8")
    assert json.loads(packaged) == json.loads(documented)


@pytest.mark.slow  # two fresh interpreters importing the whole CLI
def test_the_installed_command_exits_2_without_a_traceback() -> None:
    exe = Path(sys.executable).with_name("xieshang")
    assert exe.exists(), "the xieshang console script is not installed beside this Python"
    ok = subprocess.run([exe, *BASE, "--json"], capture_output=True, text=True, check=False)
    assert ok.returncode == 0
    assert json.loads(ok.stdout)["installments"][0]["payment"] == "879.16"
    bad = subprocess.run(
        [exe, *BASE, "--annual-rate", "12"], capture_output=True, text=True, check=False
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert bad.stderr.strip().count("\n") == 0


def test_complaint_deadline_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "complaints", "deadline", "--received", "2025-09-20", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["decision_due"] == "2025-10-09"
    assert data["moved_for_holiday"] is True
    code, out, _ = run(
        capsys,
        "complaints",
        "deadline",
        "--received",
        "2026-03-02",
        "--extension",
        "complex",
        "--json",
    )
    assert json.loads(out)["decision_due"] == "2026-04-01"
    code, _, err = run(capsys, "complaints", "deadline", "--received", "2026-02-30")
    assert code == 2
    assert err == "xieshang: error: received: '2026-02-30' is not a valid date (YYYY-MM-DD)\n"
