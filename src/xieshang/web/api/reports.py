from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query

from xieshang.feedback.quality import quality_report
from xieshang.feedback.schemas import QualityReport
from xieshang.loans.portfolio import portfolio
from xieshang.loans.schemas import PortfolioRead
from xieshang.web.deps import UserContext
from xieshang.web.routing import Router

router = Router(prefix="/reports", tags=["reports"])


@router.get("/portfolio", name="reports.portfolio")
def portfolio_report(ctx: UserContext) -> PortfolioRead:
    """Loans by days-past-due bucket and classification, and agreements by standing, as of the
    latest close of business."""
    return portfolio(ctx)


@router.get("/quality", name="reports.quality")
def quality(
    ctx: UserContext,
    start: Annotated[
        date | None, Query(alias="from", description="first day (29 days before to)")
    ] = None,
    end: Annotated[date | None, Query(alias="to", description="last day (today)")] = None,
) -> QualityReport:
    """Quality and outcomes per member of staff for a period: cases handled, offers decided and
    adjusted, agreements from their cases and how they stand now, complaints decided and on time,
    reviews, CSAT and NPS about their work, contacts made and refused by the conduct rules."""
    return quality_report(ctx, start, end)
