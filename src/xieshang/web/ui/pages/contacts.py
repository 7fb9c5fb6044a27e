"""The contact log: every contact checked against the conduct rules before it is made."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xieshang.contacts.lint import check_message
from xieshang.contacts.schemas import ContactIn
from xieshang.contacts.service import contact_log, make_contact
from xieshang.domain.errors import XieshangError
from xieshang.web.routing import Router
from xieshang.web.ui.pages.common import (
    FormPage,
    Page,
    problem,
    problem_field,
    render,
)

router = Router(include_in_schema=False)


@router.get("/app/customers/{customer_id}/contacts", name="ui.contacts")
def contacts_page(request: Request, ctx: Page, customer_id: int) -> HTMLResponse:
    return _contacts(request, ctx, customer_id)


@router.post("/app/customers/{customer_id}/contacts", name="ui.contacts.make")
def make_contact_page(
    request: Request,
    ctx: FormPage,
    customer_id: int,
    channel: Annotated[str, Form(max_length=16)] = "phone",
    party: Annotated[str, Form(max_length=16)] = "debtor",
    purpose: Annotated[str, Form(max_length=16)] = "collection",
    outcome: Annotated[str, Form(max_length=24)] = "answered",
    message: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Make a contact: the conduct rules are checked first; a refusal names its rule."""
    values = {
        "customer_id": customer_id,
        "channel": channel,
        "party": party,
        "purpose": purpose,
        "outcome": outcome,
        "message": message,
    }
    try:
        make_contact(ctx, ContactIn.model_validate(values))
    except (XieshangError, ValueError) as error:
        return _contacts(
            request,
            ctx,
            customer_id,
            problem=problem(request, error),
            field=problem_field(error),
            values=values,
        )
    return RedirectResponse(f"/app/customers/{customer_id}/contacts", status_code=303)


def _contacts(request: Request, ctx: Page, customer_id: int, **extra: Any) -> HTMLResponse:
    log = contact_log(ctx, customer_id)
    values = {"problem": None, "field": None, "values": {}} | extra
    return render(request, ctx, "contacts.html", customer_id=customer_id, log=log, **values)


@router.post("/app/lint", name="ui.lint")
def lint_fragment(
    request: Request,
    ctx: FormPage,
    note: Annotated[str, Form(max_length=2000)] = "",
    message: Annotated[str, Form(max_length=2000)] = "",
) -> HTMLResponse:
    """The message linter as the agent types a reply or a contact's words (an htmx fragment;
    stores nothing). Sending checks again: this only tells the agent sooner."""
    text = (note or message).strip()
    report = check_message(ctx, text) if text else None
    return render(request, ctx, "_lint.html", report=report)
