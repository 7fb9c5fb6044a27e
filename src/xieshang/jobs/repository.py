"""The jobs' queries of their run records (flush only, never commit); the lock's statements are in
``lock.py``, which commits each as the lock's protocol needs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from xieshang.models.job import JobRun


def recent_runs(session: Session, limit: int = 10) -> list[JobRun]:
    return list(session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(limit)))
