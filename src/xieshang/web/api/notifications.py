"""The customer's in-app inbox, and a customer's notifications with their deliveries for staff."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from xieshang.notifications import service
from xieshang.notifications.schemas import InboxItem, InboxPage, StaffNotificationPage
from xieshang.web.deps import UserContext
from xieshang.web.routing import Router

router = Router(tags=["notifications"])
Id = Annotated[int, Path(ge=1, le=2**62)]
Page = Annotated[int, Query(ge=1, le=100_000)]
PageSize = Annotated[int, Query(ge=1, le=100)]


@router.get("/me/notifications", name="notifications.inbox")
def my_notifications(
    ctx: UserContext, unread: bool = False, page: Page = 1, page_size: PageSize = 20
) -> InboxPage:
    """The signed-in customer's messages, newest first (``unread=true``: only those not yet read)."""
    return service.my_inbox(ctx, unread_only=unread, page=page, page_size=page_size)


@router.post("/me/notifications/{notification_id}/read", name="notifications.read")
def mark_read(ctx: UserContext, notification_id: Id) -> InboxItem:
    """Mark a message read; marking it again changes nothing."""
    return service.mark_read(ctx, notification_id)


@router.get("/customers/{customer_id}/notifications", name="notifications.list")
def customer_notifications(
    ctx: UserContext, customer_id: Id, page: Page = 1, page_size: PageSize = 20
) -> StaffNotificationPage:
    """What the customer was told, and each delivery's outcome (sent, failed and why, skipped)."""
    return service.customer_notifications(ctx, customer_id, page=page, page_size=page_size)
