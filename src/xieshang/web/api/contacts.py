from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from xieshang.contacts.schemas import ContactIn, ContactPage, ContactRead
from xieshang.contacts.service import contact_log, make_contact
from xieshang.web.deps import UserContext
from xieshang.web.routing import Router

router = Router(tags=["collection"])


@router.post(
    "/contacts",
    name="contacts.create",
    status_code=201,
    responses={409: {"description": "the conduct rules forbid this contact: `rule` names which"}},
)
def contact(ctx: UserContext, attempt: ContactIn) -> ContactRead:
    """Check a contact against the conduct rules (hours, attempts per day per channel, third
    parties, a plan being kept, an open harassment complaint, the message linter) and log it."""
    return make_contact(ctx, attempt)


@router.get("/customers/{customer_id}/contacts", name="contacts.list")
def contacts(
    ctx: UserContext,
    customer_id: Annotated[int, Path(ge=1, le=2**62)],
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ContactPage:
    """The contact log of a customer, newest first."""
    return contact_log(ctx, customer_id, page, page_size)
