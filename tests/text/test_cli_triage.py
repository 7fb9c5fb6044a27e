"""``xieshang triage``: one text, stdin, a CSV file, evaluate — and one-line errors with exit 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from xieshang.cli import main

ARTICLE = Path(__file__).parent / "data" / "article.txt"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "triage", "網(wǎng)商銀行不同意協(xié)商，我要打１２３７８", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert {"category", "scores", "urgency", "flags", "normalized_text"} <= set(data)
    assert data["category"] == "repayment_hardship"
    assert data["flags"] == ["regulator_hotline"]
    assert data["urgency"] == "high"
    assert data["normalized_text"] == "网商银行不同意协商,我要打12378"


def test_text_is_read_from_stdin_when_absent(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(ARTICLE.read_text(encoding="utf-8")))
    code, out, _ = run(capsys, "triage", "--json")
    assert code == 0
    assert json.loads(out)["category"] == "repayment_hardship"


def test_the_plain_output_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "triage", "我已经委托律师起诉你们")
    assert code == 0
    assert "lawyer (律师)" in out
    assert "complaint_escalation" in out


def test_a_file_gets_a_category_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,body\n1,催收天天打电话骂我\n2,我的征信有错误记录\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    code, _, err = run(
        capsys, "triage", "--file", str(source), "--text-column", "body", "--out", str(target)
    )
    assert code == 0
    assert "triaged 2 complaints" in err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["category"] for r in rows] == ["collection_conduct", "credit_report"]
    assert rows[0]["id"] == "1"
    assert rows[0]["body"] == "催收天天打电话骂我"


def test_evaluate_prints_per_category_figures_and_macro_f1_last(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "labelled.csv"
    source.write_text(
        "text,label\n催收天天打电话骂我,collection_conduct\n我的征信有错误记录,credit_report\n"
        "积分没了,other\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "triage", "evaluate", "--file", str(source), "--text-column", "text",
        "--label-column", "label",
    )  # fmt: skip
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].split() == ["category", "precision", "recall", "f1", "support"]
    assert any(line.startswith("credit_report") for line in lines)
    assert lines[-1] == "macro_f1=1.00"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["triage", ""], "xieshang: error: text: is empty"),
        (["triage", "--file", "{missing}", "--text-column", "t"], "file: cannot read"),
        (["triage", "--file", "{csv}", "--text-column", "nope"], "text-column: no column 'nope'"),
        (["triage", "--file", "{csv}"], "text-column: is required with --file"),
        (["triage", "--file", "{csv}", "--text-column", "body"], "row 3: is empty"),
        (
            [
                "triage",
                "evaluate",
                "--file",
                "{csv}",
                "--text-column",
                "body",
                "--label-column",
                "x",
            ],
            "label-column: no column 'x'",
        ),
        (["triage", "evaluate", "--file", "{csv}", "--text-column", "body"], "Missing option"),
        (["triage", "--out", "x.csv"], "file: --text-column and --out need --file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("body,label\n还不上了,repayment_hardship\n  ,other\n", encoding="utf-8")
    paths = {"{missing}": str(tmp_path / "missing.csv"), "{csv}": str(source)}
    code, out, err = run(capsys, *[paths.get(a, a) for a in argv])
    assert code == 2
    assert out == ""
    assert err.startswith("xieshang: error: ")
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_evaluate_can_keep_only_the_held_out_split(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "split.csv"
    source.write_text(
        "text,label,split\n我的征信有错误记录,credit_report,test\n积分没了,credit_report,train\n",
        encoding="utf-8",
    )
    argv = ["triage", "evaluate", "--file", str(source), "--text-column", "text"]
    code, out, _ = run(capsys, *argv, "--label-column", "label", "--split", "test")
    assert code == 0
    assert "rows=1 " in out
    assert out.strip().splitlines()[-1] == "macro_f1=1.00"
