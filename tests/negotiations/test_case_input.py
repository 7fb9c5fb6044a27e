"""The case file a CLI user or API client sends, read into the engine's case."""

from __future__ import annotations

from typing import Any

import pytest

from xieshang.domain.errors import InvalidInput
from xieshang.domain.negotiation.case import Vulnerability
from xieshang.negotiations.case_input import parse_case


def test_the_case_file_carries_dependants_lasting_and_vulnerability() -> None:
    """The JSON a CLI user or API client sends names them; an unknown vulnerability is refused
    naming its field."""
    base: dict[str, Any] = {
        "as_of": "2026-04-10",
        "loan": {
            "terms": {
                "principal": "60000.00",
                "annual_rate": "12%",
                "months": 36,
                "start_date": "2025-06-01",
            }
        },
        "finances": {
            "verified_income": "5000",
            "stated_income": "5000",
            "essential_expenses": "2000",
            "other_debt_service": "0",
            "dependants": 2,
        },
        "history": {"tenure_months": 10, "installments_due": 10, "installments_on_time": 10},
        "request": {"hardship": "job_loss", "lasting": True, "vulnerability": ["serious_illness"]},
    }
    case = parse_case(base)
    assert case.finances.dependants == 2
    assert case.request.lasting
    assert not case.request.temporary
    assert case.request.vulnerability == (Vulnerability.SERIOUS_ILLNESS,)
    base["request"]["vulnerability"] = ["unlucky"]
    with pytest.raises(InvalidInput) as error:
        parse_case(base)
    assert "vulnerability" in error.value.field
