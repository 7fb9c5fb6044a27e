"""Regenerate the published negotiation JSON Schemas and the worked examples' outputs in docs/.

Run after changing the engine, the policy or the I/O models: ``.venv/bin/python scripts/negotiation_examples.py``.
The test suite checks that what is published matches what the code produces.
"""

from __future__ import annotations

import json
from pathlib import Path

from xieshang.negotiations.case_input import CaseIn
from xieshang.negotiations.evaluate import evaluate_input
from xieshang.negotiations.schemas import EvaluationRead
from xieshang.negotiations.scorecard import load_scorecard
from xieshang.policy.document import load_policy

DOCS = Path(__file__).resolve().parents[1] / "docs"
EXAMPLES = DOCS / "examples" / "negotiation"
SCHEMAS = DOCS / "negotiation-schemas"


def dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def example_output(case_file: Path) -> str:
    data = json.loads(case_file.read_text(encoding="utf-8"))
    return dump(evaluate_input(data, load_policy(), load_scorecard()).model_dump(mode="json"))


def schemas() -> dict[str, str]:
    return {
        "case.schema.json": dump(CaseIn.model_json_schema()),
        "evaluation.schema.json": dump(EvaluationRead.model_json_schema()),
    }


def main() -> None:
    for name, text in schemas().items():
        (SCHEMAS / name).write_text(text, encoding="utf-8")
    for case_file in sorted(EXAMPLES.glob("*.json")):
        if case_file.name.endswith(".out.json"):
            continue
        case_file.with_suffix(".out.json").write_text(example_output(case_file), encoding="utf-8")


if __name__ == "__main__":
    main()
