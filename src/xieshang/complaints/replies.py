"""Reply templates for complaint answers: per stage (acknowledgement, request for information,
decision upheld or not upheld, extension notice), with a category's own wording where it has one, in
zh-CN and en, filled from the complaint. The agent edits the text; the message linter still checks it
before it is sent (the reply page does, and a test checks every template passes it)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

from xieshang.complaints import repository
from xieshang.complaints.records import require_complaint
from xieshang.domain.errors import InvalidInput
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.models.complaint import Complaint
from xieshang.models.customer import Customer

STAGES = ("acknowledgement", "request_info", "upheld", "not_upheld", "extension")
LANGUAGES = ("zh", "en")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@cache
def texts() -> dict[str, dict[str, dict[str, str]]]:
    text = resources.files("xieshang.complaints").joinpath("replies.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def template(stage: str, category: str, language: str) -> str:
    """The raw template: the category's own wording for the stage, else the stage's default."""
    if stage not in STAGES:
        raise InvalidInput("template", f"must be one of {', '.join(STAGES)}")
    if language not in LANGUAGES:
        raise InvalidInput("language", "must be zh or en")
    wordings = texts()[stage]
    return wordings.get(category, wordings["default"])[language]


def address(customer: Customer, language: str) -> str:
    """How a reply addresses the customer: surname and honorific, never the full name."""
    surname = customer.name.strip()[:1]
    return f"{surname}先生/女士" if language == "zh" else f"Mr/Ms {surname}"


def fill(ctx: Context, complaint: Complaint, stage: str, language: str) -> str:
    customer = repository.customer_by_id(ctx, complaint.customer_id)
    assert customer is not None
    decided = complaint.decided_on or ctx.today()
    category = complaint.confirmed_category or complaint.category
    return template(stage, category, language).format(
        name=address(customer, language),
        complaint=complaint.id,
        received_on=complaint.received_on.isoformat(),
        due=complaint.decision_due.isoformat(),
        decided_on=decided.isoformat(),
    )


def reply_template(ctx: Context, complaint_id: int, stage: str) -> str:
    """A stage's reply to this complaint, filled in and in the customer's language, for staff to
    edit before sending."""
    authorize(ctx, "complaints.note")
    complaint = require_complaint(ctx, complaint_id)
    return fill(ctx, complaint, stage, reply_language(ctx, complaint.customer_id))


def reply_language(ctx: Context, customer_id: int) -> str:
    """Replies are written in the language the customer chose for messages."""
    customer = repository.customer_by_id(ctx, customer_id)
    language = customer.language if customer is not None else "zh"
    return language if language in LANGUAGES else "zh"
