"""Loading, validating and comparing policy documents.

A document is YAML. Amounts of money are yuan strings (``"2000.00"``), rates fractions as strings
(``"0.24"``). Validation is pydantic over the domain's own dataclasses (so there is one definition of
the policy), plus a check that no key is unknown, so a typo never passes silently. Every problem is
reported with the path of its field (``authority.agent.max_waiver``).
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import functools
import hashlib
import typing
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from xieshang.domain.errors import InvalidInput
from xieshang.domain.money import yuan
from xieshang.domain.negotiation.policy import Policy
from xieshang.kit.files import read_text

DEFAULT = "default.yaml"
_MONEY = {
    ("regulatory", "cash_advance_installment_max"),
    ("regulatory", "principal_max", "*"),
    ("authority", "*", "max_waiver"),
    ("credit", "limit_rounding"),
    ("affordability", "essentials_per_person"),
}
_ADAPTER = TypeAdapter(Policy)


class PolicyInvalid(InvalidInput):
    """A policy document with one or more bad fields; ``problems`` lists (path, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems[0][0], problems[0][1])
        self.problems = problems


def default_text() -> str:
    return (
        resources.files("xieshang.policy")
        .joinpath("documents", DEFAULT)
        .read_text(encoding="utf-8")
    )


def load_policy(path: Path | None = None) -> Policy:
    """The policy in ``path``, or the default shipped with xieshang."""
    if path is None:
        return _default_policy()
    return parse_policy(read_text(path, "policy"))


@functools.cache
def _default_policy() -> Policy:
    """The shipped document never changes while the process runs: parse it once."""
    return parse_policy(default_text(), shipped=True)


def parse_policy(text: str, *, shipped: bool = False) -> Policy:
    """The policy in ``text``. A version written before an upgrade keeps its own figures and
    wording; the texts of reasons the engine has learnt to give since come from the shipped
    document, so no customer ever reads a bare reason code."""
    data = _yaml(text)
    problems = list(_unknown_keys(Policy, data, ""))
    problems += _convert_money(data)
    if problems:
        raise PolicyInvalid(problems)
    try:
        policy = _ADAPTER.validate_python(data)
    except ValidationError as error:
        raise PolicyInvalid(
            [
                (".".join(str(p) for p in e["loc"]) or "policy", _message(e["msg"]))
                for e in error.errors()
            ]
        ) from None
    reasons = policy.reasons if shipped else _default_policy().reasons | policy.reasons
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return dataclasses.replace(policy, digest=digest, reasons=reasons)


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML was built with it (about ten times faster), else PyYAML's."""


def _yaml(text: str) -> dict[str, Any]:
    """The document as data: a fresh copy each call (callers convert values in place), parsed once
    per text (pages compare the same versions on every request)."""
    return copy.deepcopy(_parsed(text))


@functools.lru_cache(maxsize=64)
def _parsed(text: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise PolicyInvalid([("policy", f"is not valid YAML{where}")]) from None
    if not isinstance(data, dict):
        raise PolicyInvalid([("policy", "must be a YAML mapping")])
    return data


def _message(text: str) -> str:
    return text.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _convert_money(data: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for path in _MONEY:
        for parent, key, where in _walk(data, path):
            try:
                parent[key] = yuan(str(parent[key]), where)
            except InvalidInput as error:
                problems.append((where, error.problem))
    return problems


def _walk(
    data: Any, path: tuple[str, ...], prefix: str = ""
) -> Iterator[tuple[dict[str, Any], str, str]]:
    if not isinstance(data, dict):
        return
    head, rest = path[0], path[1:]
    keys = list(data) if head == "*" else [head] if head in data else []
    for key in keys:
        where = f"{prefix}{key}"
        if rest:
            yield from _walk(data[key], rest, where + ".")
        else:
            yield data, key, where


def _unknown_keys(cls: Any, data: Any, prefix: str) -> Iterator[tuple[str, str]]:
    """Keys the dataclass ``cls`` does not have, recursively."""
    if not (dataclasses.is_dataclass(cls) and isinstance(data, dict)):
        return
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls) if f.init and f.name != "digest"}
    for key, value in data.items():
        where = f"{prefix}{key}"
        if key not in names:
            yield where, "is not a known field"
            continue
        hint = hints[key]
        if typing.get_origin(hint) is dict and isinstance(value, dict):
            item = typing.get_args(hint)[1]
            for sub_key, sub_value in value.items():
                yield from _unknown_keys(item, sub_value, f"{where}.{sub_key}.")
        elif typing.get_origin(hint) is tuple and isinstance(value, list):
            for index, element in enumerate(value):
                yield from _unknown_keys(typing.get_args(hint)[0], element, f"{where}[{index}].")
        else:
            yield from _unknown_keys(hint, value, where + ".")


def diff_policies(old_text: str, new_text: str) -> list[str]:
    """What changed from ``old`` to ``new``, one line per field, in words."""
    old, new = _flatten(_yaml(old_text)), _flatten(_yaml(new_text))
    lines = []
    for key in sorted(old.keys() | new.keys()):
        if key not in new:
            lines.append(f"removed {key} (was {old[key]})")
        elif key not in old:
            lines.append(f"added {key} = {new[key]}")
        elif old[key] != new[key]:
            lines.append(f"changed {key}: {old[key]} → {new[key]}")
    return lines


def _flatten(data: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(data, dict):
        out: dict[str, str] = {}
        for key, value in data.items():
            out |= _flatten(value, f"{prefix}{key}.")
        return out
    if isinstance(data, list):
        out = {}
        for index, value in enumerate(data):
            out |= _flatten(value, f"{prefix.rstrip('.')}[{index}].")
        return out
    return {prefix.rstrip("."): str(data)}


@dataclasses.dataclass(frozen=True)
class DiffLine:
    """One line of a line diff: ``kind`` is ``same``, ``removed``, ``added`` or ``gap`` (unchanged
    lines left out); line numbers are 1-based in the old and the new text."""

    kind: str
    old_no: int | None
    new_no: int | None
    text: str


def diff_lines(old_text: str, new_text: str, context: int = 2) -> list[DiffLine]:
    """The lines that differ between two documents, with ``context`` unchanged lines around each
    change (difflib); an empty list when the texts are the same."""
    old, new = old_text.splitlines(), new_text.splitlines()
    out: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for number, group in enumerate(matcher.get_grouped_opcodes(context)):
        if number or group[0][1] > 0:
            out.append(DiffLine("gap", None, None, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [DiffLine("same", i + 1, j1 + i - i1 + 1, old[i]) for i in range(i1, i2)]
                continue
            out += [DiffLine("removed", i + 1, None, old[i]) for i in range(i1, i2)]
            out += [DiffLine("added", None, j + 1, new[j]) for j in range(j1, j2)]
    shown = max((line.old_no or 0 for line in out), default=len(old))
    if shown < len(old):
        out.append(DiffLine("gap", None, None, ""))
    return out
