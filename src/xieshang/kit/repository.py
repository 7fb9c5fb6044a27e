"""The kit's queries (flush only, never commit): the size of any query, for paging, and the
idempotency record of a key."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from xieshang.models.idempotency import IdempotencyRecord


def count_of(session: Session, query: Select[Any]) -> int:
    """How many rows ``query`` selects."""
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def idempotency_record(session: Session, user_id: int, key: str) -> IdempotencyRecord | None:
    return session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key
        )
    )
