"""Reading loan terms and loan files from outside (CLI options, JSON files) into domain objects.

Every problem is an ``InvalidInput`` naming the field by its path (``payments[2].amount``), so each
interface can report it in one line. The JSON format is documented in ``docs/loan-file.md``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from xieshang.domain.allocation import AllocationOrder
from xieshang.domain.disclosure import DisclosureVersion, from_data
from xieshang.domain.errors import InvalidInput
from xieshang.domain.loan import Charge, ChargeKind, Loan, Payment, PenaltyRules
from xieshang.domain.money import to_yuan
from xieshang.domain.rates import DayCount, RateBasis, parse_rate
from xieshang.domain.schedule import InterestBasis, LoanTerms, RepaymentMethod, build_schedule
from xieshang.kit.calendar import ChinaBankCalendar
from xieshang.kit.files import read_text
from xieshang.kit.parse import parse_amount, parse_bool, parse_choice, parse_date, parse_int

_RATE_KEYS = {
    "annual_rate": RateBasis.ANNUAL,
    "monthly_rate": RateBasis.MONTHLY,
    "daily_rate": RateBasis.DAILY,
}
_TERM_KEYS = {
    *_RATE_KEYS,
    "principal",
    "months",
    "method",
    "start_date",
    "first_due_date",
    "interest_basis",
    "day_count",
    "installment_multiple",
    "principal_grace_periods",
    "level_amount",
    "business_days",
}
_PENALTY_KEYS = {
    "markup",
    "grace_days",
    "charge_grace_when_exceeded",
    "penalty",
    "compound",
    "day_count",
    "allocation_order",
    "allocation_by_installment",
}


def parse_terms(data: Mapping[str, Any], prefix: str = "") -> tuple[LoanTerms, bool]:
    """Loan terms from a mapping (JSON object or CLI options); also whether due dates use business days."""
    _refuse_unknown(data, _TERM_KEYS, prefix)
    given = [key for key in _RATE_KEYS if data.get(key) is not None]
    if len(given) != 1:
        raise InvalidInput(
            f"{prefix}annual_rate", "give exactly one of annual_rate, monthly_rate, daily_rate"
        )
    rate_key = given[0]
    rate = parse_rate(str(data[rate_key]), _RATE_KEYS[rate_key], f"{prefix}{rate_key}")
    for required in ("principal", "months", "start_date"):
        if data.get(required) is None:
            raise InvalidInput(f"{prefix}{required}", "is required")
    first_due = data.get("first_due_date")
    terms = LoanTerms(
        principal=parse_amount(data["principal"], f"{prefix}principal"),
        annual_rate=rate,
        months=parse_int(data["months"], f"{prefix}months", 1, 600),
        start_date=parse_date(data["start_date"], f"{prefix}start_date"),
        method=parse_choice(
            data.get("method", "equal_installment"), f"{prefix}method", RepaymentMethod
        ),
        first_due_date=parse_date(first_due, f"{prefix}first_due_date") if first_due else None,
        interest_basis=parse_choice(
            data.get("interest_basis", "periodic"), f"{prefix}interest_basis", InterestBasis
        ),
        day_count=parse_choice(data.get("day_count", "actual/360"), f"{prefix}day_count", DayCount),
        installment_multiple=parse_amount(
            data.get("installment_multiple", "0.01"), f"{prefix}installment_multiple"
        ),
        principal_grace_periods=parse_int(
            data.get("principal_grace_periods", 0), f"{prefix}principal_grace_periods", 0, 599
        ),
        level_amount=parse_amount(data["level_amount"], f"{prefix}level_amount")
        if data.get("level_amount") is not None
        else None,
    )
    return terms, parse_bool(data.get("business_days", False), f"{prefix}business_days")


def terms_file(terms: LoanTerms) -> dict[str, Any]:
    """``terms`` in the loan-file format: :func:`parse_terms` reads it back to the same terms."""
    return {
        "principal": to_yuan(terms.principal),
        "annual_rate": str(terms.annual_rate),
        "months": terms.months,
        "start_date": terms.start_date.isoformat(),
        "first_due_date": terms.first_due_date.isoformat() if terms.first_due_date else None,
        "method": terms.method.value,
        "interest_basis": terms.interest_basis.value,
        "day_count": terms.day_count.value,
        "installment_multiple": to_yuan(terms.installment_multiple),
        "principal_grace_periods": terms.principal_grace_periods,
        "level_amount": to_yuan(terms.level_amount) if terms.level_amount is not None else None,
    }


def parse_penalty_rules(data: Mapping[str, Any]) -> PenaltyRules:
    _refuse_unknown(data, _PENALTY_KEYS, "penalty.")
    order = AllocationOrder.parse(
        str(data.get("allocation_order", "penalty,compound,fee,interest,principal")),
        by_installment=parse_bool(
            data.get("allocation_by_installment", True), "penalty.allocation_by_installment"
        ),
    )
    return PenaltyRules(
        markup=parse_rate(str(data.get("markup", "50%")), field="penalty.markup"),
        penalty_enabled=parse_bool(data.get("penalty", True), "penalty.penalty"),
        compound_enabled=parse_bool(data.get("compound", True), "penalty.compound"),
        grace_days=parse_int(data.get("grace_days", 0), "penalty.grace_days", 0, 30),
        charge_grace_when_exceeded=parse_bool(
            data.get("charge_grace_when_exceeded", True), "penalty.charge_grace_when_exceeded"
        ),
        day_count=parse_choice(data.get("day_count", "actual/360"), "penalty.day_count", DayCount),
        allocation=order,
    )


def parse_loan(data: object, calendar: ChinaBankCalendar | None = None) -> Loan:
    """A whole loan file (terms, penalty rules, payments, charges) → a domain ``Loan``."""
    root = _object(data, "loan")
    _refuse_unknown(root, {"terms", "penalty", "payments", "charges", "disclosures"}, "")
    terms, business_days = parse_terms(_object(root.get("terms"), "terms"), "terms.")
    rules = parse_penalty_rules(_object(root.get("penalty", {}), "penalty"))
    payments = tuple(
        Payment(
            parse_date(item.get("date"), f"payments[{i}].date"),
            parse_amount(item.get("amount"), f"payments[{i}].amount"),
            str(item.get("reference", "")),
        )
        for i, item in enumerate(_objects(root.get("payments", []), "payments"))
    )
    charges = tuple(
        Charge(
            parse_date(item.get("date"), f"charges[{i}].date"),
            parse_amount(item.get("amount"), f"charges[{i}].amount"),
            parse_choice(item.get("kind", "fee"), f"charges[{i}].kind", ChargeKind),
            parse_int(item["installment"], f"charges[{i}].installment", 1, terms.months)
            if item.get("installment") is not None
            else None,
            str(item.get("description", "")),
        )
        for i, item in enumerate(_objects(root.get("charges", []), "charges"))
    )
    cal = (calendar or ChinaBankCalendar()) if business_days else None
    return Loan(terms, build_schedule(terms, cal), rules, payments, charges)


def parse_disclosures(data: object) -> tuple[DisclosureVersion, ...]:
    """The versions of the cost disclosure table a loan file carries (``disclosures``; none when it
    has no such key): what a charge dispute reconciles against (金规〔2026〕2号, UNVERIFIED)."""
    root = _object(data, "loan")
    versions = []
    for i, item in enumerate(_objects(root.get("disclosures", []), "disclosures")):
        field = f"disclosures[{i}]"
        versions.append(
            DisclosureVersion(
                parse_int(item.get("version"), f"{field}.version", 1, 10_000),
                parse_date(item.get("effective_date"), f"{field}.effective_date"),
                from_data(_object(item.get("table"), f"{field}.table"), f"{field}.table"),
            )
        )
    return tuple(versions)


def read_loan_file(path: Path, calendar: ChinaBankCalendar | None = None) -> Loan:
    text = read_text(path, "loan")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            "loan", f"{path} is not valid JSON (line {error.lineno}: {error.msg})"
        ) from None
    return parse_loan(data, calendar)


def _object(value: object, field: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(field, "must be a JSON object")
    return value


def _objects(value: object, field: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        raise InvalidInput(field, "must be a JSON array")
    return [_object(item, f"{field}[{i}]") for i, item in enumerate(value)]


def _refuse_unknown(data: Mapping[str, Any], known: set[str], prefix: str) -> None:
    for key in data:
        if key not in known:
            raise InvalidInput(f"{prefix}{key}", "is not a known field")
