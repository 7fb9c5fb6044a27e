"""Engine and session factory. SQLite gets WAL, foreign keys and one writer at a time; PostgreSQL a
pool sized to the threads that use it.

Nothing here runs at import time: call :func:`make_engine` with the settings' URL.

Concurrency (docs/decisions/0003-one-writer-per-loan.md):

- **SQLite** allows one writer. Writers of one engine queue on a lock in this process before they
  ``BEGIN IMMEDIATE``, so the next writer starts the moment the previous one ends. Left to SQLite's
  busy handler instead, waiting writers poll with sleeps of up to 100 ms: 60 concurrent writes took
  30 s and most timed out. Other processes (a CLI job beside the server) still meet SQLite's own
  busy timeout. A writer that cannot start within ``write_wait`` seconds gets :class:`Busy`.
- **PostgreSQL**: ``pool_size`` connections, a short ``pool_timeout`` (a request that cannot get a
  connection is told so at once, not after 30 s), and ``lock_timeout`` so that no statement waits
  for a row lock for ever.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

POOL_SIZE = 40
"""Connections kept per engine: as many as the web server's worker threads (``web.app.THREADS``),
so a worker never waits for a connection held by a request that waits for a worker."""


class Busy(Exception):
    """The database could not take this write in time; nothing was changed, retry shortly."""


def make_engine(
    url: str,
    *,
    pool_timeout: float = 30.0,
    write_wait: float = 30.0,
    lock_timeout_ms: int | None = None,
    **options: Any,
) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    pool = {"pool_size": POOL_SIZE, "max_overflow": 10, "pool_timeout": pool_timeout}
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **pool, **options
        )
        _one_writer_at_a_time(engine, write_wait)
        return engine
    if lock_timeout_ms is not None:
        options.setdefault("connect_args", {})["options"] = f"-c lock_timeout={lock_timeout_ms}"
    # No pre-ping (a round trip on every checkout); connections are recycled hourly instead.
    return create_engine(url, pool_recycle=3600, **pool, **options)


READ_ONLY = "xieshang_read_only"
"""Execution option for a connection that only reads (an API GET): SQLite then begins deferred."""

_HOLDS = "xieshang_holds_write_lock"


def _one_writer_at_a_time(engine: Engine, wait: float) -> None:
    gate = threading.Lock()

    def connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, manage transactions, so BEGIN is issued explicitly below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    def begin(connection: Any) -> None:
        # A reader begins deferred and, in WAL mode, never waits for a writer. A writer takes the
        # engine's gate (once per checkout), then the write lock at BEGIN, so writers queue here
        # instead of polling SQLite. The gate is given back when the connection returns to the
        # pool, after its COMMIT or ROLLBACK has run (a session returns it at each transaction's end).
        if connection.get_execution_options().get(READ_ONLY, False):
            connection.exec_driver_sql("BEGIN")
            return
        held = connection.connection.record_info  # survives an invalidated connection
        if not held.get(_HOLDS):
            if not gate.acquire(timeout=wait):
                raise Busy(f"no write slot on the database within {wait:g} s")
            held[_HOLDS] = True
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    def checkin(_dbapi_connection: Any, record: Any) -> None:
        if record is not None and record.record_info.pop(_HOLDS, False):
            gate.release()

    event.listen(engine, "connect", connect)
    event.listen(engine, "begin", begin)
    event.listen(engine.pool, "checkin", checkin)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, autoflush=True)
