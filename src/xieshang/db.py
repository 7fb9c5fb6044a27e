"""Engine and session factory. SQLite gets WAL and foreign keys; PostgreSQL a modest pool.

Nothing here runs at import time: call :func:`make_engine` with the settings' URL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, **options: Any) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **options
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # No pre-ping (a round trip on every checkout); connections are recycled hourly instead.
    return create_engine(url, pool_size=10, max_overflow=10, pool_recycle=3600, **options)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, manage transactions, so BEGIN is issued explicitly below.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


READ_ONLY = "xieshang_read_only"
"""Execution option for a connection that only reads (an API GET): SQLite then begins deferred."""


def _sqlite_begin(connection: Any) -> None:
    # A writer takes the write lock at BEGIN, so two writers queue instead of failing mid-way;
    # a reader begins deferred and, in WAL mode, never waits for a writer.
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, autoflush=True)
