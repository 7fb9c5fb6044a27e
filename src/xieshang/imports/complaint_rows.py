"""One imported complaint row: a complaint received elsewhere (a branch's register, a regulator's
referral list), keyed by its reference in that system so that importing it again changes nothing."""

from __future__ import annotations

import re
from datetime import datetime
from typing import get_args
from zoneinfo import ZoneInfo

from xieshang.complaints.intake import intake
from xieshang.complaints.schemas import Channel
from xieshang.domain.errors import InvalidInput
from xieshang.imports import reads, repository
from xieshang.kit.context import Context

REQUIRED = ("external_ref", "customer_no", "received_at", "text")
OPTIONAL = ("channel", "loan_no")
_REF = re.compile(r"^[A-Za-z0-9_./:-]{1,64}$")


def complaint_row(ctx: Context, values: dict[str, str]) -> bool:
    """Import the row; True when a complaint was created, False when it was already there."""
    ref = values["external_ref"]
    if not _REF.fullmatch(ref):
        raise InvalidInput("external_ref", "must be 1–64 letters, digits or - _ . / :")
    text = values["text"]
    if "\x00" in text:
        raise InvalidInput("text", "must not contain the NUL character (U+0000)")
    if len(text) > 20_000:
        raise InvalidInput("text", "is longer than 20000 characters")
    channel = values.get("channel", "import")
    if channel not in get_args(Channel):
        raise InvalidInput("channel", f"must be one of {', '.join(get_args(Channel))}")
    received_at = _received_at(ctx, values["received_at"])
    customer_id = repository.customer_id_by_number(ctx, values["customer_no"])
    if customer_id is None:
        raise InvalidInput("customer_no", f"no customer {values['customer_no']}")
    loan_id = None
    if "loan_no" in values:
        loan_id = repository.loan_id_by_number(ctx, values["loan_no"])
        if loan_id is None:
            raise InvalidInput("loan_no", f"no loan {values['loan_no']}")
    existing = repository.complaint_by_external_ref(ctx, ref)
    if existing is not None:
        stored = reads.complaint_as_row(existing)
        given = {
            "customer_no": customer_id,
            "loan_no": loan_id,
            "channel": channel,
            "received_at": received_at,
            "text": text,
        }
        differs = [name for name, value in given.items() if stored[name] != value]
        if differs:
            raise InvalidInput(
                "external_ref", f"{ref} exists with different data (differs: {', '.join(differs)})"
            )
        return False
    intake(
        ctx,
        customer_id=customer_id,
        loan_id=loan_id,
        channel=channel,
        received_at=received_at,
        text=text,
        external_ref=ref,
    )
    ctx.session.commit()
    return True


def _received_at(ctx: Context, text: str) -> datetime:
    """ISO 8601; without an offset, a time in the bank's timezone; never in the future."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            "received_at",
            f"must be an ISO 8601 time such as 2026-03-02T09:30:00+08:00 (got {text!r:.40})",
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(ctx.settings.timezone))
    if not 2000 <= moment.year <= 2100:
        raise InvalidInput("received_at", "must be between the years 2000 and 2100")
    if moment > ctx.now():
        raise InvalidInput("received_at", "is in the future")
    return moment
