"""The portfolio as the nightly close of business left it: loans by days-past-due bucket and by
five-category classification, outstanding principal in each, and agreements by how they stand."""

from __future__ import annotations

from xieshang.domain.delinquency import Classification
from xieshang.domain.money import to_yuan
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.loans import repository
from xieshang.loans.schemas import PortfolioRead, Row
from xieshang.models.loan import Loan
from xieshang.models.negotiation import AgreementStatus

BUCKETS = ("M0", "M1", "M2", "M3", "M4", "M5", "M6", "M6+")


def portfolio(ctx: Context) -> PortfolioRead:
    authorize(ctx, "reports.portfolio")
    by_bucket = repository.active_loans_by(ctx, Loan.bucket)
    by_class = repository.active_loans_by(ctx, Loan.classification)
    agreements = repository.agreements_by_status(ctx)
    return PortfolioRead(
        closed_through=repository.latest_close(ctx),
        active_loans=sum(n for n, _ in by_bucket.values()),
        buckets=[_row(key, by_bucket) for key in BUCKETS],
        classification=[_row(c.value, by_class) for c in Classification],
        agreements={state.value: agreements.get(state, 0) for state in AgreementStatus},
    )


def _row(key: str, found: dict[str, tuple[int, int]]) -> Row:
    count, total = found.get(key, (0, 0))
    return Row(key=key, loans=count, principal=to_yuan(total))
