"""A bad row's reason, in one line naming the field (never echoing personal data)."""

from __future__ import annotations

from pydantic import ValidationError

_PERSONAL = frozenset({"id_number", "phone", "bank_account"})
"""Never echoed back in a reason: a report is printed and may be logged."""

_FORMATS = {
    "customer_no": "letters, digits, '-' and '_'",
    "loan_no": "letters, digits, '-' and '_'",
    "phone": "an 11-digit mainland mobile number starting with 1",
    "bank_account": "12 to 19 digits",
    "email": "an email address",
    "principal": "an amount in yuan such as 1234.56 (no sign, at most 2 decimals)",
    "amount": "an amount in yuan such as 1234.56 (no sign, at most 2 decimals)",
    "annual_rate": "a rate such as 10% or 0.10",
    "reference": "letters, digits and - _ . / :",
}


def pydantic_reason(exc: ValidationError) -> str:
    """The first problem pydantic found, as ``field: reason``."""
    error = exc.errors(include_url=False)[0]
    name = ".".join(str(part) for part in error["loc"]) or "row"
    kind, message, given = error["type"], error["msg"], error.get("input")
    if kind == "missing":
        reason = "is required"
    elif kind == "value_error":
        reason = message.removeprefix("Value error, ")
    elif kind == "string_pattern_mismatch" and name in _FORMATS:
        reason = f"must be {_FORMATS[name]}"
    else:
        reason = message[:1].lower() + message[1:]
    if kind not in ("missing", "value_error") and name not in _PERSONAL and given is not None:
        shown = repr(given) if len(repr(given)) <= 40 else repr(given)[:37] + "..."
        reason = f"{reason} (got {shown})"
    return one_line(f"{name}: {reason}")


def one_line(text: str) -> str:
    return " ".join(text.split())
