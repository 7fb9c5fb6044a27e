from __future__ import annotations

from typing import Annotated

from fastapi import Query

from xieshang.jobs.runner import JobRunRead, job_runs
from xieshang.web.deps import UserContext
from xieshang.web.routing import Router

router = Router(prefix="/jobs", tags=["jobs"])


@router.get("/runs", name="jobs.status")
def runs(ctx: UserContext, limit: Annotated[int, Query(ge=1, le=200)] = 20) -> list[JobRunRead]:
    """Recent batch job runs (the nightly close of business): counts and failures."""
    return job_runs(ctx, limit)
