from __future__ import annotations

from typing import Annotated

from fastapi import Header, Path, Query, Response

from xieshang.customers import service
from xieshang.customers.schemas import CustomerPage, CustomerPii, CustomerRead, CustomerUpdate
from xieshang.domain.errors import InvalidInput
from xieshang.kit.schemas import Text
from xieshang.loans.schemas import LoanPage
from xieshang.loans.service import list_loans
from xieshang.web.deps import UserContext
from xieshang.web.routing import Router

router = Router(prefix="/customers", tags=["customers"])
Id = Annotated[int, Path(ge=1, le=2**62)]
Page = Annotated[int, Query(ge=1, le=100_000)]
PageSize = Annotated[int, Query(ge=1, le=100)]


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(value: str | None) -> int:
    if value is None:
        raise InvalidInput("If-Match", 'required: send the ETag you read, e.g. If-Match: "3"')
    text = value.strip().removeprefix("W/").strip('"')
    if not (text.isascii() and text.isdigit()) or len(text) > 18:  # not "²" or "١"
        raise InvalidInput("If-Match", f"{value!r} is not an ETag from this API")
    return int(text)


@router.get("", name="customers.list")
def list_customers(
    ctx: UserContext,
    q: Annotated[
        Text | None, Query(max_length=64, description="name or customer number contains")
    ] = None,
    province: Annotated[Text | None, Query(max_length=32)] = None,
    page: Page = 1,
    page_size: PageSize = 20,
) -> CustomerPage:
    return service.list_customers(ctx, q=q, province=province, page=page, page_size=page_size)


@router.get("/{customer_id}", name="customers.get")
def get_customer(ctx: UserContext, customer_id: Id, response: Response) -> CustomerRead:
    customer = service.get_customer(ctx, customer_id)
    response.headers["ETag"] = etag(customer.version)
    return customer


@router.patch("/{customer_id}", name="customers.update")
def update_customer(
    ctx: UserContext,
    customer_id: Id,
    changes: CustomerUpdate,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> CustomerRead:
    """Change contact details. Send ``If-Match`` with the ETag you read; a stale one gets 412."""
    customer = service.update_customer(ctx, customer_id, parse_if_match(if_match), changes)
    response.headers["ETag"] = etag(customer.version)
    return customer


@router.get("/{customer_id}/pii", name="customers.pii")
def reveal_pii(ctx: UserContext, customer_id: Id) -> CustomerPii:
    """Unmasked personal data, for roles that need it. Every call is written to the audit log."""
    return service.reveal_pii(ctx, customer_id)


@router.get("/{customer_id}/loans", name="customers.loans")
def customer_loans(
    ctx: UserContext, customer_id: Id, page: Page = 1, page_size: PageSize = 20
) -> LoanPage:
    return list_loans(ctx, customer_id=customer_id, page=page, page_size=page_size)
