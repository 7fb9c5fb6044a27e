"""What docs/ publishes about the engine matches what the code does, and the CLI speaks clearly."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from xieshang.cli import main
from xieshang.policy.document import default_text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import negotiation_examples as published  # noqa: E402

EXAMPLES = sorted(p for p in published.EXAMPLES.glob("*.json") if not p.name.endswith(".out.json"))


def test_there_are_worked_examples_for_every_scenario() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("case_file", EXAMPLES, ids=lambda p: p.stem)
def test_each_worked_example_gives_the_published_answer(case_file: Path) -> None:
    expected = case_file.with_suffix(".out.json").read_text(encoding="utf-8")
    assert published.example_output(case_file) == expected, "run scripts/negotiation_examples.py"


def test_the_published_json_schemas_are_current() -> None:
    for name, text in published.schemas().items():
        assert (published.SCHEMAS / name).read_text(encoding="utf-8") == text, name


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_prints_the_documented_json(capsys: pytest.CaptureFixture[str]) -> None:
    case_file = EXAMPLES[0]
    code, out, _ = run(capsys, "negotiate", "evaluate", "--input", str(case_file), "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {
        "scenario", "policy_version", "policy_digest", "as_of", "assessment", "baseline", "offers",
        "counter_offer", "dispute", "application", "reasons",
    }  # fmt: skip
    offer = data["offers"][0]
    assert {"id", "type", "monthly_payment", "term_months", "apr", "total_cost", "npv", "concessions",
            "approval", "checks", "schedule", "reasons"} <= set(offer)  # fmt: skip
    assert set(offer["reasons"][0]) == {"code", "params", "text_zh", "text_en"}


def test_a_bad_case_is_one_line_naming_the_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    data["finances"]["essential_expenses"] = "-5"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run(capsys, "negotiate", "evaluate", "--input", str(bad))
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert err.startswith("xieshang: error: finances.essential_expenses: ")
    data = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    data["loan"]["terms"]["annual_rate"] = "12"
    bad.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run(capsys, "negotiate", "evaluate", "--input", str(bad))
    assert code == 2
    assert "loan.terms.annual_rate: bare rate 12 is ambiguous" in err


def test_policy_check_accepts_the_default_and_names_every_bad_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = tmp_path / "policy.yaml"
    good.write_text(default_text(), encoding="utf-8")
    code, out, _ = run(capsys, "policy", "check", str(good))
    assert code == 0
    assert out.startswith("policy 2026.1 (effective 2026-01-01) is valid; sha256 ")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        default_text()
        .replace('apr_cap: "0.24"', 'apr_cap: "2.4"')
        .replace('max_waiver: "10000.00"', 'max_waiver: "lots"')
        .replace("grace_months_max: 3", "grace_months_max: 3\n  grace_month_max: 4"),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "policy", "check", str(bad))
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert "xieshang: error: waterfall.grace_month_max: is not a known field" in lines
    assert "xieshang: error: authority.agent.max_waiver: 'lots' is not an amount in yuan" in lines


def test_policy_check_reports_a_value_out_of_range_with_its_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(default_text().replace('apr_cap: "0.24"', 'apr_cap: "2.4"'), encoding="utf-8")
    code, _, err = run(capsys, "policy", "check", str(bad))
    assert code == 2
    assert err.strip() == "xieshang: error: regulatory: apr_cap must be between 0 and 100 %"


def test_policy_diff_says_what_changed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_text(
        default_text()
        .replace('version: "2026.1"', 'version: "2026.2"')
        .replace("max_plan_months: 60", "max_plan_months: 48"),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "policy", "diff", "default", str(draft))
    assert code == 0
    assert out.splitlines() == [
        "changed regulatory.max_plan_months: 60 → 48",
        "changed version: 2026.1 → 2026.2",
    ]


def test_a_disputed_penalty_at_a_70_percent_markup_is_refunded_and_flagged(
    capsys: pytest.CaptureFixture[str],
) -> None:
    case_file = published.EXAMPLES / "disputed-penalty.json"
    code, out, _ = run(capsys, "negotiate", "evaluate", "--input", str(case_file), "--json")
    assert code == 0
    dispute = json.loads(out)["dispute"]
    assert dispute["refund_due"] == "0.75"
    assert Decimal(dispute["lawful_markup"]) == Decimal("0.50")
    assert [f["code"] for f in dispute["compliance_flags"]] == ["DISPUTE_PENALTY_MARKUP_ABOVE_MAX"]
    assert dispute["lines"][0]["formula"]


def test_an_application_is_adjusted_to_what_the_policy_allows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    case_file = published.EXAMPLES / "application-adjustment.json"
    code, out, _ = run(capsys, "negotiate", "evaluate", "--input", str(case_file), "--json")
    assert code == 0
    data = json.loads(out)
    application = data["application"]
    assert application["approved"]
    assert application["amount"] == "22900.00"
    assert application["months"] == 12
    codes = [r["code"] for r in data["reasons"]]
    assert codes.count("APP_ADVERSE") == 4
    assert "APP_LIMIT_AFFORDABILITY" in codes


def test_a_scenario_without_what_it_needs_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = json.loads(
        (published.EXAMPLES / "application-adjustment.json").read_text(encoding="utf-8")
    )
    del data["application"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run(capsys, "negotiate", "evaluate", "--input", str(bad))
    assert code == 2
    assert err == "xieshang: error: application: is required for scenario application\n"
