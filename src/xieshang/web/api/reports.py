from __future__ import annotations

from fastapi import APIRouter

from xieshang.loans.portfolio import PortfolioRead, portfolio
from xieshang.web.deps import UserContext

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("/portfolio", name="reports.portfolio")
def portfolio_report(ctx: UserContext) -> PortfolioRead:
    """Loans by days-past-due bucket and classification, and agreements by standing, as of the
    latest close of business."""
    return portfolio(ctx)
