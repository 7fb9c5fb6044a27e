"""Problems with a form, said in the reader's language through the catalogues.

A problem comes to a page in one of two shapes; each becomes a catalogue message with its
parameters, said as ``problem.field`` says (``{field}：{problem}``), the field by its label on the
form in Chinese:

- pydantic's errors, when a page's form is validated by the API's models or FastAPI checks a
  page's parameters: the error's ``type`` names the message (``greater_than`` → ``invalid.
  greater_than``, 必须大于 {gt}) and its ``ctx`` gives the parameters;
- a service's words, ``field: problem`` in English (the API and the command line show them as
  they are): PATTERNS recognise them and name the message, their named groups giving the
  parameters. pydantic's own words, when a service passes them on as text, are recognised too.

The English catalogue says what the service said, word for word. A service's words nothing here
recognises are shown as said, never dropped (tests/web/test_problems.py tries the web forms)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from xieshang.web.ui import i18n
from xieshang.web.ui.message_keys import N_
from xieshang.web.ui.problem_patterns import PATTERNS, TYPES


def said(problem: BaseException | str | None, language: str) -> str | None:
    """``problem`` (pydantic's errors, a service's refusal or its words) for a page in
    ``language``."""
    if problem is None:
        return None
    errors = getattr(problem, "errors", None)
    if callable(errors) and errors():
        return _pydantic(errors()[0], language)
    return in_language(str(problem), language)


def in_language(text: str | None, language: str) -> str | None:
    """``text`` (a service's ``field: problem``) for a page in ``language``."""
    if not text:
        return text
    field, colon, problem = text.partition(": ")
    if not colon:
        return _service(text, language) or text
    message = _service(problem, language)
    return text if message is None else _with_field(field, message, language)


def _pydantic(error: Mapping[str, Any], language: str) -> str:
    parts = [str(p) for p in error.get("loc", ()) if not isinstance(p, int)]
    field = ".".join(parts[1:] if parts[:1] == ["body"] else parts)
    kind = str(error.get("type", ""))
    context = dict(error.get("ctx") or {})
    if kind in ("value_error", "assertion_error"):  # a model's own check, worded by us
        words = str(context.get("error", error.get("msg", "")))
        message = _service(words, language)
        if message is None:
            return f"{field}: {words}" if field else words
    else:
        if kind in ("too_short", "too_long") and isinstance(error.get("input"), str):
            kind = f"string_{kind}"  # text checked after a validator: pydantic says "Value"
        key = TYPES.get(kind, N_("invalid.other"))
        if kind in ("string_too_short", "too_short") and context.get("min_length") == 1:
            key = N_("invalid.empty") if kind == "string_too_short" else N_("invalid.choose_one")
        if "expected" in context:
            context["expected"] = str(context["expected"])
        message = _format(i18n.translate(key, language), context)
    return _with_field(field, message, language) if field else message


def _service(words: str, language: str) -> str | None:
    words = words.removeprefix("Value error, ")  # a model's own check, worded by us
    for pattern, key, _ in PATTERNS:
        found = pattern.match(words)
        if found:
            return _format(i18n.translate(key, language), found.groupdict())
    return None


def _with_field(field: str, message: str, language: str) -> str:
    label = field if language == "en" else _label(field)
    return _format(i18n.translate("problem.field", language), {"field": label, "problem": message})


class _Parameters(dict[str, Any]):
    def __missing__(self, name: str) -> str:
        return "{" + name + "}"  # a message naming a parameter the problem lacks keeps the name


def _format(text: str, parameters: Mapping[str, Any]) -> str:
    return text.format_map(_Parameters(parameters))


def _label(field: str) -> str:
    """The form's label for a field path (``finances.verified_income`` → 可证明的月收入（元））."""
    name = re.sub(r"\[\d+\]", "", field).rpartition(".")[2]
    return i18n.translate(name, "zh") if i18n.known(name) else field
