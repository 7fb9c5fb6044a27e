"""Shared fixtures: a migrated database (SQLite, or PostgreSQL when XIESHANG_TEST_DATABASE_URL is set),
each test in a transaction that is rolled back, a service context with a fixed clock, an API client."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from xieshang.kit.config import Environment, Settings
from xieshang.kit.context import Context, FixedClock, make_cipher
from xieshang.kit.db import make_engine
from xieshang.kit.migrate import upgrade
from xieshang.web.app import create_app

NOW = datetime(2026, 6, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai

# CI (CI=true) runs Hypothesis derandomised, so a landing never depends on the draw; local runs keep
# exploring new examples, and any counterexample they find becomes an explicit @example.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")
# The fast subset (./dev fast: --hypothesis-profile=fast) checks each property with a fifth of its
# examples (tests/strategies.py: examples); the full run keeps every test's own count.
hypothesis_settings.register_profile("fast", max_examples=20)


@contextmanager
def _new_database(folder: Path) -> Iterator[str]:
    """A new empty database: a SQLite file in ``folder``, or one created on the PostgreSQL server
    named by XIESHANG_TEST_DATABASE_URL (dropped afterwards)."""
    server = os.environ.get("XIESHANG_TEST_DATABASE_URL")
    if not server:
        yield f"sqlite:///{folder / 'test.db'}"
        return
    name = f"xieshang_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with _new_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture
def committed_engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated database of the test's own whose commits are real: for tests where several
    connections, threads or processes must see each other's work."""
    with _new_database(tmp_path) as url:
        eng = make_engine(url)
        upgrade(eng)
        try:
            yield eng
        finally:
            eng.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        environment=Environment.DEVELOPMENT,
        argon2_time_cost=1,
        argon2_memory_kib=1024,
    )


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        try:
            yield conn
        finally:
            outer.rollback()


@pytest.fixture
def sessions(connection: Connection) -> sessionmaker[Session]:
    """Sessions whose commits are savepoints inside the test's rolled-back transaction."""
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def ctx(
    sessions: sessionmaker[Session], settings: Settings, clock: FixedClock
) -> Iterator[Context]:
    session = sessions()
    try:
        yield Context(session, settings, make_cipher(settings), clock)
    finally:
        session.close()


@pytest.fixture
def app(settings: Settings, sessions: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    application = create_app(settings, clock)
    application.state.xieshang.sessions = sessions
    application.state.xieshang.readers = sessions
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def pytest_report_header() -> str:
    url = os.environ.get("XIESHANG_TEST_DATABASE_URL")
    return f"database: {'PostgreSQL ' + url if url else 'SQLite (temporary file)'}"
