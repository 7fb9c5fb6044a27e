"""The kit's queries (flush only, never commit): one way to page a query (its size and the rows of
one page), and the idempotency record of a key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from xieshang.models.idempotency import IdempotencyRecord


def count_of(session: Session, query: Select[Any]) -> int:
    """How many rows ``query`` selects."""
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def page_of(
    session: Session, query: Select[Any], page: int, page_size: int, *order: Any
) -> tuple[int, Sequence[Any]]:
    """The total number of rows ``query`` selects, and the rows of page ``page`` (from 1)."""
    total = count_of(session, query)
    rows = session.scalars(
        query.order_by(*order).offset((page - 1) * page_size).limit(page_size)
    ).all()
    return total, rows


def idempotency_record(session: Session, user_id: int, key: str) -> IdempotencyRecord | None:
    return session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key
        )
    )
