from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from xieshang.negotiations import service
from xieshang.negotiations.schemas import NegotiationCreate, NegotiationRead
from xieshang.web.deps import UserContext

router = APIRouter(prefix="/negotiations", tags=["negotiations"])
Id = Annotated[int, Path(ge=1, le=2**62)]


@router.post("", name="negotiations.create", status_code=201)
def open_case(ctx: UserContext, case: NegotiationCreate) -> NegotiationRead:
    """Ask to negotiate on a loan: the engine answers at once with offers and their reasons."""
    return service.open_case(ctx, case)


@router.get("/{case_id}", name="negotiations.get")
def get_case(ctx: UserContext, case_id: Id) -> NegotiationRead:
    return service.get_case(ctx, case_id)


@router.post("/{case_id}/evaluate", name="negotiations.reevaluate")
def reevaluate(ctx: UserContext, case_id: Id) -> NegotiationRead:
    """Evaluate the stored case again with the policy in force now."""
    return service.reevaluate(ctx, case_id)
