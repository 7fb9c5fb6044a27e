"""Queries of complaints (flush only, never commit). Most still live beside their use cases in
``records.py``, ``deadlines.py`` and ``statistics.py`` (issue 13 moves them here)."""

from __future__ import annotations

from xieshang.kit.context import Context
from xieshang.models.complaint import Complaint


def complaint_by_id(ctx: Context, complaint_id: int) -> Complaint | None:
    """The complaint, for a job that acts for the bank (no caller to check access for)."""
    return ctx.session.get(Complaint, complaint_id)
