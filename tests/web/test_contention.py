"""Contention is answered, not waited out: a request that cannot get a database connection in half a
second is told 503 with Retry-After (problem JSON for the API, the error page in the reader's language
for a page), and nothing was changed."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import sqlalchemy.exc
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, func, select

from tests.concurrency.world import settings_for, url_of
from xieshang.kit.db import POOL_SIZE
from xieshang.models.audit import AuditEntry
from xieshang.web.app import POOL_WAIT_SECONDS, create_app
from xieshang.web.ui.session import LANGUAGE_COOKIE, SESSION_COOKIE


@pytest.fixture
def exhausted(committed_engine: Engine) -> Iterator[TestClient]:
    """The real app on its own database, with every connection of its pool taken."""
    app = create_app(settings_for(url_of(committed_engine)))
    engine: Engine = app.state.xieshang.engine
    held: list[Connection] = []
    with TestClient(app, raise_server_exceptions=False) as client:
        try:
            while len(held) < POOL_SIZE * 3:
                held.append(engine.connect())
        except sqlalchemy.exc.TimeoutError:  # the pool's own limit: every connection is held
            pass
        assert POOL_SIZE <= len(held) < POOL_SIZE * 3
        yield client
        for connection in held:
            connection.close()
    engine.dispose()


def test_no_free_connection_is_a_quick_503_with_retry_after(
    exhausted: TestClient, committed_engine: Engine
) -> None:
    began = time.monotonic()
    response = exhausted.post("/api/v1/auth/token", data={"username": "x", "password": "y"})
    waited = time.monotonic() - began
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/busy")
    assert waited < POOL_WAIT_SECONDS + 2, f"held for {waited:.1f} s"
    with committed_engine.connect() as connection:  # the failed login was not even recorded
        assert connection.scalar(select(func.count()).select_from(AuditEntry)) == 0


@pytest.mark.parametrize(("language", "said"), [("zh", "系统繁忙"), ("en", "the service is busy")])
def test_a_page_says_busy_in_the_readers_language(
    exhausted: TestClient, language: str, said: str
) -> None:
    exhausted.cookies.set(SESSION_COOKIE, "a-session-token")  # looking it up needs the database
    exhausted.cookies.set(LANGUAGE_COOKIE, language)
    response = exhausted.get("/app")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["Retry-After"] == "1"
    assert said in response.text
