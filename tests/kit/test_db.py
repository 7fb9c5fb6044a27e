"""SQLite: writers queue for one slot, then BEGIN; readers (API GETs) begin deferred and never wait
for a writer; a writer kept waiting too long is told it is busy, and no failure keeps the slot.
Both databases: the migrations build exactly what the models declare."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xieshang.kit.db import READ_ONLY, Busy, make_engine
from xieshang.kit.migrate import upgrade
from xieshang.models import Base


def test_a_reader_does_not_wait_for_a_writer_holding_the_lock(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'locks.db'}")
    upgrade(engine)
    seen: dict[str, int | None] = {}

    def read() -> None:
        with Session(engine) as session:
            session.connection(execution_options={READ_ONLY: True})
            seen["rows"] = session.scalar(text("SELECT count(*) FROM login_attempts"))

    with engine.connect() as writer:
        writer.begin()  # BEGIN IMMEDIATE: holds the write lock
        writer.exec_driver_sql(
            "INSERT INTO login_attempts (username, at, succeeded) VALUES ('a', '2026-01-01 00:00:00', 0)"
        )
        reader = threading.Thread(target=read)
        reader.start()
        reader.join(timeout=5)
        assert not reader.is_alive(), "the reader waited for the writer's lock"
        assert seen["rows"] == 0  # and it does not see uncommitted rows
        writer.rollback()
    engine.dispose()


def test_a_second_writer_queues_behind_the_first(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'queue.db'}")
    upgrade(engine)
    finished = threading.Event()

    def write() -> None:
        with Session(engine) as session:
            session.execute(text("SELECT 1"))  # BEGIN IMMEDIATE waits here for the first writer
            finished.set()

    with engine.connect() as first:
        first.begin()
        second = threading.Thread(target=write)
        second.start()
        second.join(timeout=1)
        assert not finished.is_set(), "the second writer did not wait"
        first.rollback()
    second.join(timeout=10)
    assert finished.is_set()
    engine.dispose()


def test_the_migrations_build_exactly_the_models(engine: Engine) -> None:
    """Alembic's autogenerate finds nothing to do: no model change without its migration."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_a_writer_kept_waiting_too_long_is_told_busy_and_the_slot_is_not_lost(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'busy.db'}", write_wait=0.2)
    upgrade(engine)
    with engine.connect() as first:
        first.begin()
        began = time.monotonic()
        with pytest.raises(Busy), Session(engine) as second:
            second.execute(text("SELECT 1"))
        assert 0.15 < time.monotonic() - began < 2
        first.rollback()
    with Session(engine) as third:  # the slot came back with the first connection
        third.execute(text("SELECT 1"))
        third.commit()
    engine.dispose()


def test_a_failed_write_gives_its_slot_back(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'failed.db'}", write_wait=1)
    upgrade(engine)
    with Session(engine) as session, pytest.raises(IntegrityError):
        session.execute(text("INSERT INTO users (id) VALUES (NULL)"))  # NOT NULL columns
    with Session(engine) as session:  # would be Busy after 1 s had the failure kept the slot
        session.execute(text("SELECT 1"))
        session.commit()
    engine.dispose()
