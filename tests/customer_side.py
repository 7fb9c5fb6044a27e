"""Two customers with logins, loans to dispute and a due-date agreement each: the world of the
customer's side, read by the service tests (tests/negotiations) and the pages (tests/web)."""

from __future__ import annotations

from datetime import date

from tests import factories
from xieshang.agreements import service as agreements
from xieshang.agreements.schemas import AcceptIn
from xieshang.kit.context import Context
from xieshang.models.loan import Loan
from xieshang.models.user import Role
from xieshang.negotiations import service
from xieshang.negotiations.schemas import NegotiationCreate, NegotiationRead

FINANCES = {
    "verified_income": "5000.00",
    "stated_income": "5000.00",
    "essential_expenses": "3300.00",
    "other_debt_service": "600.00",
}


def figures(income: str, essentials: str) -> dict[str, str]:
    """Monthly figures with ``income`` verified and stated alike, and no other debt."""
    return {
        "verified_income": income,
        "stated_income": income,
        "essential_expenses": essentials,
        "other_debt_service": "0",
    }


def open_hardship(
    ctx: Context, loan: Loan, finances: dict[str, str] = FINANCES, hardship: str = "job_loss"
) -> NegotiationRead:
    """A hardship negotiation on ``loan`` with these monthly figures, as the service opens it."""
    return service.open_case(
        ctx,
        NegotiationCreate.model_validate(
            {
                "loan_id": loan.id,
                "finances": finances,
                "request": {"scenario": "hardship", "hardship": hardship},
            }
        ),
    )


def agree(ctx: Context, loan: Loan, day: int = 10) -> int:
    """A due-date change on ``loan``, accepted by the customer on the web: the agreement's id."""
    case = service.open_case(
        ctx,
        NegotiationCreate.model_validate(
            {
                "loan_id": loan.id,
                "finances": FINANCES,
                "request": {"scenario": "hardship", "preferred_due_day": day},
            }
        ),
    )
    offer = next(o for o in case.offers if o.key == "due_date")
    sha = agreements.offer_terms(ctx, case.id, offer.id, "zh").sha256
    agreement = agreements.accept_offer(
        ctx, case.id, offer.id, AcceptIn(consent=True, terms_sha256=sha, channel="web"), None
    ).answer
    return agreement.id


def build_people(ctx: Context) -> dict[str, int]:
    """Two customers with logins; the first has a loan at a lawful penalty markup and one whose
    product charges penalty interest above the legal maximum (contract rate + 80 %); each has a
    due-date agreement on another loan; the first has one more loan, up to date and untouched."""
    factories.product(ctx)
    factories.product(ctx, "OVER-MARKUP", penalty_markup="0.8")
    me, other = factories.customer(ctx), factories.customer(ctx)
    lawful, over = (
        factories.loan(
            ctx,
            me,
            code,
            principal="12000.00",
            annual_rate="12%",
            months=12,
            start_date=date(2026, 1, 1),
        )
        for code in ("CONSUMER-36", "OVER-MARKUP")
    )
    # Up to date (first due 2026-07-01): a due-date change is only for a loan that is not overdue.
    mine = factories.loan(ctx, me, start_date=date(2026, 6, 1))
    theirs = factories.loan(ctx, other, start_date=date(2026, 6, 1))
    fresh = factories.loan(ctx, me, start_date=date(2026, 6, 1))
    factories.user(ctx, Role.CUSTOMER, "cp-me", me.id)
    factories.user(ctx, Role.CUSTOMER, "cp-other", other.id)
    factories.user(ctx, Role.AGENT, "cp-agent")
    ctx.session.commit()
    return {
        "me": me.id,
        "lawful": lawful.id,
        "over": over.id,
        "mine": mine.id,
        "fresh": fresh.id,
        "theirs": theirs.id,
        "my_agreement": agree(ctx, mine),
        "their_agreement": agree(ctx, theirs, day=20),
    }
