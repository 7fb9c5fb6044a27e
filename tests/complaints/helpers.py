"""A bank with one customer (and a second one), staff of every role, and an API client whose clock
the test moves: the complaint tests' common ground."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests import factories
from xieshang.kit.config import Settings
from xieshang.kit.context import Context, FixedClock
from xieshang.models.audit import AuditEntry
from xieshang.models.notification import Notification
from xieshang.models.user import Role

USERS = {
    "cp-customer": Role.CUSTOMER,
    "cp-other": Role.CUSTOMER,
    "cp-agent": Role.AGENT,
    "cp-agent2": Role.AGENT,
    "cp-supervisor": Role.SUPERVISOR,
    "cp-supervisor2": Role.SUPERVISOR,
    "cp-compliance": Role.COMPLIANCE,
    "cp-admin": Role.ADMIN,
}


def at(day: date, hour: int = 10) -> datetime:
    """``hour`` o'clock in Shanghai on ``day``."""
    return datetime.combine(day, time(hour - 8), tzinfo=UTC)


@dataclass
class Bank:
    client: TestClient
    clock: FixedClock
    ctx: Context
    sessions: sessionmaker[Session]
    settings: Settings
    customer_id: int
    other_customer_id: int
    loan_id: int
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    def token(self, username: str) -> dict[str, str]:
        if username not in self.tokens:
            response = self.client.post(
                "/api/v1/auth/token", data={"username": username, "password": factories.PASSWORD}
            )
            assert response.status_code == 200, response.text
            self.tokens[username] = {"Authorization": f"Bearer {response.json()['access_token']}"}
        return self.tokens[username]

    def on(self, day: date, hour: int = 10) -> None:
        self.clock.current = at(day, hour)
        self.tokens.clear()  # tokens expire: sign in again on the new day

    def post(self, who: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(
            f"/api/v1/complaints{path}", json=body or {}, headers=self.token(who)
        )

    def get(self, who: str, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1/complaints{path}", params=params, headers=self.token(who))

    def ok(self, who: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.post(who, path, body)
        assert response.status_code in (200, 201), response.text
        data: dict[str, Any] = response.json()
        return data

    def file(
        self, text: str = "贵行重复收取了我的手续费，请退还。", **extra: Any
    ) -> dict[str, Any]:
        return self.ok("cp-customer", "", {"text": text, **extra})

    def notifications(self, template: str) -> list[Notification]:
        self.ctx.session.expire_all()
        return list(
            self.ctx.session.scalars(
                select(Notification)
                .where(
                    Notification.customer_id == self.customer_id, Notification.template == template
                )
                .order_by(Notification.id)
            )
        )

    def audit_actions(self, complaint_id: int) -> list[str]:
        self.ctx.session.expire_all()
        return list(
            self.ctx.session.scalars(
                select(AuditEntry.action)
                .where(
                    AuditEntry.subject_type == "complaint",
                    AuditEntry.subject_id == str(complaint_id),
                )
                .order_by(AuditEntry.seq)
            )
        )

    def audit_count(self) -> int:
        return self.ctx.session.scalar(select(func.count()).select_from(AuditEntry)) or 0
