"""Policy and negotiation commands that need no database: ``policy check|diff``, ``negotiate evaluate``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from xieshang.cli.app import app
from xieshang.domain.errors import InvalidInput
from xieshang.kit.files import read_text
from xieshang.negotiations.evaluate import evaluate_input
from xieshang.negotiations.schemas import EvaluationRead
from xieshang.negotiations.scorecard import load_scorecard
from xieshang.policy.document import PolicyInvalid, default_text, diff_policies, load_policy

policy_app = typer.Typer(help="Negotiation policy documents.", no_args_is_help=True)
negotiate_app = typer.Typer(help="The negotiation engine.", no_args_is_help=True)
app.add_typer(policy_app, name="policy")
app.add_typer(negotiate_app, name="negotiate")


@policy_app.command("check")
def policy_check(file: Annotated[Path, typer.Argument(help="A policy YAML document.")]) -> None:
    """Validate a policy document; exit 2 listing the path of every bad field."""
    try:
        policy = load_policy(file)
    except PolicyInvalid as error:
        for where, problem in error.problems:
            typer.echo(f"xieshang: error: {where}: {problem}", err=True)
        raise typer.Exit(2) from None
    typer.echo(
        f"policy {policy.version} (effective {policy.effective_from}) is valid; sha256 {policy.digest}"
    )


@policy_app.command("diff")
def policy_diff(
    old: Annotated[Path, typer.Argument(help="The policy in force (or 'default').")],
    new: Annotated[Path, typer.Argument(help="The draft.")],
) -> None:
    """What changed between two policy documents, one line per field."""
    old_text, new_text = _read(old), _read(new)
    lines = diff_policies(old_text, new_text)
    typer.echo("\n".join(lines) if lines else "no differences")


def _read(path: Path) -> str:
    if str(path) == "default":
        return default_text()
    return read_text(path, "policy")


@negotiate_app.command("evaluate")
def negotiate_evaluate(
    input: Annotated[
        Path, typer.Option("--input", help="The case (JSON; see docs/negotiation.md).")
    ],
    policy: Annotated[
        Path | None, typer.Option(help="A policy document; default: the shipped one.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="zh-CN (default) or en.")] = "zh-CN",
) -> None:
    """Evaluate a negotiation case: assessment, offers with NPV test, checks, approval and reasons."""
    if lang not in ("zh-CN", "en"):
        raise InvalidInput("lang", f"{lang!r} is not one of: zh-CN, en")
    rules = load_policy(policy)
    try:
        data = json.loads(input.read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidInput("input", f"cannot read {input}: {error.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput("input", f"{input} is not valid JSON ({error})") from None
    result = evaluate_input(data, rules, load_scorecard())
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    typer.echo(_text(result, lang == "zh-CN"))


def _text(result: EvaluationRead, zh: bool) -> str:
    def say(reason: object) -> str:
        return getattr(reason, "text_zh" if zh else "text_en")  # type: ignore[no-any-return]

    out = [
        ("协商评估" if zh else "Negotiation")
        + f" · {result.as_of} · policy {result.policy_version}"
    ]
    out += [f"  {say(r)}" for r in result.reasons]
    levels = {
        "automatic": "自动" if zh else "automatic",
        "agent": "专员" if zh else "agent",
        "supervisor": "主管" if zh else "supervisor",
    }
    for offer in result.offers:
        label = levels[offer.approval]
        terms = (
            f"¥{offer.due_at_signing} once"
            if offer.type == "settlement"
            else f"¥{offer.monthly_payment} × {offer.term_months}, APR {offer.apr}"
        )
        out.append(f"[{offer.id}] {offer.type}: {terms}, NPV ¥{offer.npv} — {label}")
        out += [f"    {say(r)}" for r in offer.reasons]
    counter = result.counter_offer
    if counter:
        verdict = ("可以同意" if zh else "can be agreed") if counter.accepted else ""
        verdict = verdict or ("不按提议同意" if zh else "not agreed as proposed")
        level = levels[counter.approval] if counter.approval else "—"
        named = f"¥{counter.monthly_payment} × {counter.months}"
        said = f"还款提议：{verdict}；" if zh else f"Your proposal: {verdict}; "
        out.append(f"{said}{named} — {level}")
        out += [f"    {say(r)}" for r in counter.reasons]
    return "\n".join(out)
