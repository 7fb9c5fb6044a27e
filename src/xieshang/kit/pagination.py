"""One way to page a query: the total and the rows of one page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from xieshang.kit.repository import count_of


def page_of(
    session: Session, query: Select[Any], page: int, page_size: int, *order: Any
) -> tuple[int, Sequence[Any]]:
    """The total number of rows ``query`` selects, and the rows of page ``page`` (from 1)."""
    total = count_of(session, query)
    rows = session.scalars(
        query.order_by(*order).offset((page - 1) * page_size).limit(page_size)
    ).all()
    return total, rows
