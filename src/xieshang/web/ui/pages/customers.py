"""Staff find a customer who phones in or walks into a branch, see them whole (masked), unmask their
personal data when their role allows (audited), and record a complaint received by phone, in branch
or by letter. The contact log (``/app/customers/{id}/contacts``) is :mod:`.contacts`'s."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xieshang.complaints import intake
from xieshang.complaints.schemas import ComplaintCreate
from xieshang.contacts import workbench
from xieshang.domain.errors import InvalidInput
from xieshang.kit.context import Context
from xieshang.web.routing import Router
from xieshang.web.ui.pages.common import (
    FormPage,
    Page,
    problem,
    problem_field,
    render,
)

router = Router(include_in_schema=False)
PAGE_SIZE = 20
CHANNELS = ("phone", "visit", "letter", "regulator_referral")
"""How a complaint staff record reached the bank (a customer's own app and web filings are theirs)."""
MINUTE = "%Y-%m-%dT%H:%M"


@router.get("/app/customers", name="ui.customers")
def search_page(
    request: Request,
    ctx: Page,
    q: Annotated[str, Query(max_length=64)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """Look a customer up by name, customer number or (exactly) resident ID number."""
    found = workbench.find_customers(ctx, q, page, PAGE_SIZE)
    return render(request, ctx, "customers.html", found=found)


@router.get("/app/customers/{customer_id}", name="ui.customer")
def customer_page(request: Request, ctx: Page, customer_id: int) -> HTMLResponse:
    return _customer(request, ctx, customer_id)


@router.post("/app/customers/{customer_id}/reveal", name="ui.customer.reveal")
def reveal(request: Request, ctx: FormPage, customer_id: int) -> HTMLResponse:
    """The unmasked ID number, phone and account, shown on this response only (the unmasking is
    audited by the service; like every page, it is not stored by the browser: web/security.py)."""
    revealed = workbench.reveal(ctx, customer_id)
    return _customer(request, ctx, customer_id, revealed=revealed)


@router.post("/app/customers/{customer_id}/complaints", name="ui.customer.complaint")
def record_complaint(
    request: Request,
    ctx: FormPage,
    customer_id: int,
    text: Annotated[str, Form(max_length=20_000)] = "",
    channel: Annotated[str, Form(max_length=24)] = "phone",
    received_at: Annotated[str, Form(max_length=32)] = "",
    loan_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """A complaint received by phone, in branch or by letter, on the clock from its real receipt."""
    values = {"text": text, "channel": channel, "received_at": received_at, "loan_id": loan_id}
    try:
        complaint = workbench.record_complaint(
            ctx,
            ComplaintCreate.model_validate(
                {
                    "text": text,
                    "customer_id": customer_id,
                    "channel": channel,
                    "received_at": _local_time(ctx, received_at),
                    "loan_id": loan_id or None,
                }
            ),
        )
    except (InvalidInput, ValueError) as error:
        ctx.session.rollback()
        # the form again with what was wrong (200: a page, not an API error)
        return _customer(
            request,
            ctx,
            customer_id,
            values=values,
            problem=problem(request, error),
            field=problem_field(error) or "text",
        )
    return RedirectResponse(f"/app/complaints/{complaint.id}", status_code=303)


def _local_time(ctx: Context, given: str) -> datetime | None:
    """The form's date and time, in the bank's timezone (the form has no offset); none: now."""
    if not given.strip():
        return None
    try:
        moment = datetime.fromisoformat(given.strip())
    except ValueError:
        raise InvalidInput("received_at", "is not a date and time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(ctx.settings.timezone))
    return moment


def _customer(
    request: Request, ctx: Context, customer_id: int, status: int = 200, **extra: Any
) -> HTMLResponse:
    picture = workbench.customer_picture(ctx, customer_id)
    now = ctx.local(ctx.now())
    values: dict[str, Any] = {
        "revealed": None,
        "problem": None,
        "field": "",
        "values": {"channel": "phone", "received_at": now.strftime(MINUTE)},
    } | extra
    return render(
        request,
        ctx,
        "customer_staff.html",
        status=status,
        picture=picture,
        channels=CHANNELS,
        latest=now.strftime(MINUTE),
        earliest=ctx.local(ctx.now() - intake.MAX_BACKDATING).strftime(MINUTE),
        backdating_days=intake.MAX_BACKDATING.days,
        **values,
    )
