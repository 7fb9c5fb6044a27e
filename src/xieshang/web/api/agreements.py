from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from xieshang.agreements import service as agreements_service
from xieshang.agreements.schemas import AgreementDetailRead, AgreementPage
from xieshang.web.deps import UserContext
from xieshang.web.routing import Router

router = Router(prefix="/agreements", tags=["agreements"])
Id = Annotated[int, Path(ge=1, le=2**62)]


@router.get("", name="agreements.list")
def list_agreements(
    ctx: UserContext,
    customer_id: Annotated[
        int | None, Query(ge=1, le=2**62, description="staff: one customer's agreements")
    ] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> AgreementPage:
    """Agreements, newest first, with their standing, what was waived on condition, the next
    installment and the progress (a customer sees their own)."""
    return agreements_service.list_agreements(
        ctx, customer_id=customer_id, page=page, page_size=page_size
    )


@router.get("/{agreement_id}", name="agreements.get")
def get_agreement(ctx: UserContext, agreement_id: Id) -> AgreementDetailRead:
    """One agreement: the schedule it installed with paid / due / overdue marks, and the terms the
    customer consented to (the text, its SHA-256, the channel and time of consent)."""
    return agreements_service.get_agreement(ctx, agreement_id)
