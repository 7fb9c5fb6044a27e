from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class InboxItem(BaseModel):
    id: int
    subject: str
    body: str
    language: str = Field(description="zh or en: the language it was written in")
    created_at: datetime
    read_at: datetime | None


class InboxPage(BaseModel):
    items: list[InboxItem]
    total: int
    page: int
    page_size: int
    any_unread: bool


class DeliveryRead(BaseModel):
    channel: str = Field(description="email or sms")
    status: str = Field(description="queued, sent, failed or skipped")
    attempts: int
    recipient: str | None = Field(description="masked address")
    outcome: str = Field(description="the server's answer, or why it failed or was skipped")
    last_attempt_at: datetime | None
    finished_at: datetime | None


class StaffNotification(InboxItem):
    template: str
    deliveries: list[DeliveryRead]


class StaffNotificationPage(BaseModel):
    items: list[StaffNotification]
    total: int
    page: int
    page_size: int
