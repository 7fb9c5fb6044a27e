"""Notify a customer: render a template, keep what was said, deliver through the in-app inbox.

The inbox is the channel every customer has; other channels (e-mail, SMS) deliver the same stored
message. The text is kept as rendered, in zh-CN, with its parameters so it can be shown in English.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import yaml

from xieshang.context import Context
from xieshang.errors import InvalidInput
from xieshang.models.notification import Notification

LANGUAGES = ("zh", "en")


@cache
def templates() -> dict[str, dict[str, dict[str, str]]]:
    text = resources.files("xieshang.notifications").joinpath("templates.yaml").read_text("utf-8")
    data: dict[str, dict[str, dict[str, str]]] = yaml.safe_load(text)
    return data


def render(template: str, params: dict[str, str], language: str = "zh") -> tuple[str, str]:
    """The subject and body of ``template`` in ``language`` with ``params`` filled in."""
    found = templates().get(template)
    if found is None:
        raise InvalidInput("template", f"no notification template {template!r}")
    if language not in LANGUAGES:
        raise InvalidInput("language", f"must be one of {', '.join(LANGUAGES)}")
    text = found[language]
    try:
        return text["subject"].format(**params), text["body"].format(**params)
    except KeyError as missing:
        raise InvalidInput("params", f"template {template} needs {missing}") from None


def notify(ctx: Context, customer_id: int, template: str, params: dict[str, Any]) -> Notification:
    """Queue a message for the customer in their inbox (flush only: it commits with the change)."""
    values = {k: str(v) for k, v in params.items()}
    subject, body = render(template, values)
    row = Notification(
        customer_id=customer_id,
        template=template,
        params=json.dumps(values, ensure_ascii=False, sort_keys=True),
        channel="inbox",
        subject=subject,
        body=body,
        status="delivered",
        created_at=ctx.now(),
        read_at=None,
    )
    ctx.session.add(row)
    ctx.session.flush()
    return row
