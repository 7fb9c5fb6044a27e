"""The complaint tests' bank (see :mod:`tests.complaints.helpers`)."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests import factories
from tests.complaints.helpers import USERS, Bank, at
from xieshang.kit.config import Settings
from xieshang.kit.context import Context, FixedClock


@pytest.fixture
def bank(
    client: TestClient,
    clock: FixedClock,
    ctx: Context,
    sessions: sessionmaker[Session],
    settings: Settings,
) -> Bank:
    clock.current = at(date(2025, 9, 1))
    factories.product(ctx)
    owner = factories.customer(ctx, name="王芳", province="广东省")
    other = factories.customer(ctx, name="赵强", province="四川省")
    loan = factories.loan(ctx, owner, start_date=date(2025, 3, 15))
    for username, role in USERS.items():
        customer = {"cp-customer": owner.id, "cp-other": other.id}.get(username)
        factories.user(ctx, role, username, customer)
    ctx.session.commit()
    return Bank(client, clock, ctx, sessions, settings, owner.id, other.id, loan.id)
