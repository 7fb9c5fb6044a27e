"""Notify a customer: render a template in their language, keep what was said, deliver it.

Every message lands in the in-app inbox at once (the stored notification is the inbox item). For each
other channel the customer takes (``notify_email``, ``notify_sms``) a delivery is queued; the job
``xieshang jobs run notifications`` sends it (:mod:`xieshang.notifications.delivery`).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import select

from xieshang.domain.errors import InvalidInput, NotFound
from xieshang.kit.context import Context
from xieshang.models.customer import Customer
from xieshang.models.notification import Notification, NotificationDelivery
from xieshang.notifications.channels import EMAIL, INBOX, SMS

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


def outbound_channels(customer: Customer) -> list[str]:
    """The channels besides the inbox this customer takes, in the order they are tried."""
    return [
        c for c, wanted in ((EMAIL, customer.notify_email), (SMS, customer.notify_sms)) if wanted
    ]


def notify(
    ctx: Context,
    customer_id: int,
    template: str,
    params: dict[str, Any],
    *,
    key: str | None = None,
) -> Notification:
    """Put a message in the customer's inbox and queue it on their other channels (flush only: it
    commits with the change it tells of). With ``key``, a message already sent under that key is
    returned instead of a second one."""
    if key is not None:
        earlier = ctx.session.scalar(select(Notification).where(Notification.key == key))
        if earlier is not None:
            return earlier
    customer = ctx.session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("customer", customer_id)
    values = {k: str(v) for k, v in params.items()}
    subject, body = render(template, values, customer.language)
    now = ctx.now()
    row = Notification(
        customer_id=customer_id,
        template=template,
        params=json.dumps(values, ensure_ascii=False, sort_keys=True),
        channel=INBOX,
        subject=subject,
        body=body,
        language=customer.language,
        status="delivered",
        created_at=now,
        read_at=None,
        key=key,
    )
    ctx.session.add(row)
    ctx.session.flush()
    for channel in outbound_channels(customer):
        ctx.session.add(
            NotificationDelivery(
                notification_id=row.id,
                channel=channel,
                status="queued",
                attempts=0,
                next_attempt_at=now,
                last_attempt_at=None,
                recipient=None,
                outcome="",
                created_at=now,
                finished_at=None,
            )
        )
    ctx.session.flush()
    return row
