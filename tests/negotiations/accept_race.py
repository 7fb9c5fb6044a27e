"""A committed database with one case ready to accept, shared by the race and crash tests; run as a
script it accepts an offer and kills its own process at a chosen point (the crash test's child).

    python -m tests.negotiations.accept_race URL CASE OFFER SHA256 POINT
"""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Engine, select

from tests import factories
from xieshang.config import Environment, Settings
from xieshang.context import Context, FixedClock, make_cipher
from xieshang.db import make_engine, session_factory
from xieshang.loans.schemas import PaymentCreate
from xieshang.loans.service import record_payment
from xieshang.models.user import Role, User
from xieshang.negotiations import agreements, service
from xieshang.negotiations.schemas import AcceptIn, NegotiationCreate

TODAY = date(2025, 11, 20)
CLOCK = FixedClock(datetime.combine(TODAY, time(2, 0), tzinfo=UTC))
CUSTOMER = "race-customer"


def settings_for(url: str) -> Settings:
    return Settings(
        database_url=url,
        environment=Environment.DEVELOPMENT,
        argon2_time_cost=1,
        argon2_memory_kib=1024,
    )


@dataclass(frozen=True)
class Ready:
    case_id: int
    loan_id: int
    offers: dict[int, str]
    """Offer id → the SHA-256 of its terms (zh), every offer already acceptable."""


def prepare(engine: Engine, settings: Settings) -> Ready:
    """An overdue loan, its customer, and a case whose offers may all be accepted now."""
    with session_factory(engine)() as session:
        ctx = Context(session, settings, make_cipher(settings), CLOCK)
        factories.product(ctx)
        owner = factories.customer(ctx, name="王芳")
        loan = factories.loan(
            ctx,
            owner,
            principal="12000.00",
            annual_rate="12%",
            months=12,
            start_date=date(2025, 6, 1),
        )
        for n, due in enumerate([date(2025, 7, 1), date(2025, 8, 1), date(2025, 9, 1)]):
            record_payment(
                ctx, loan.id, PaymentCreate(amount="1066.19", value_date=due, reference=f"p{n}")
            )
        customer = factories.user(ctx, Role.CUSTOMER, CUSTOMER, owner.id)
        supervisor = factories.user(ctx, Role.SUPERVISOR, "race-supervisor")
        session.commit()
        ctx.user = customer
        case = service.open_case(
            ctx,
            NegotiationCreate.model_validate(
                {
                    "loan_id": loan.id,
                    "finances": {
                        "verified_income": "5000.00",
                        "stated_income": "5000.00",
                        "essential_expenses": "3300.00",
                        "other_debt_service": "600.00",
                    },
                    "request": {"scenario": "hardship", "hardship": "income_drop_temporary"},
                }
            ),
        )
        ctx.user = supervisor
        for offer in case.offers:
            if offer.status == "pending_approval":
                service.decide(ctx, case.id, offer.id, approve=True, note="race test")
        ctx.user = customer
        shas = {}
        for offer in service.get_case(ctx, case.id).offers:
            shas[offer.id] = service.offer_terms(ctx, case.id, offer.id, "zh").sha256
        return Ready(case.id, loan.id, shas)


def customer_context(engine: Engine, settings: Settings) -> Context:
    session = session_factory(engine)()
    ctx = Context(session, settings, make_cipher(settings), CLOCK)
    ctx.user = session.scalars(select(User).where(User.username == CUSTOMER)).one()
    return ctx


def _die(*_: Any, **__: Any) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main(url: str, case_id: int, offer_id: int, sha: str, point: str) -> None:
    settings = settings_for(url)
    engine = make_engine(url)
    ctx = customer_context(engine, settings)
    if point == "after-install":  # the loan's new schedule is flushed, nothing committed
        original = getattr(agreements, "install_schedule")  # noqa: B009  (patched below)

        def install_then_die(*args: Any, **kwargs: Any) -> None:
            original(*args, **kwargs)
            _die()

        setattr(agreements, "install_schedule", install_then_die)  # noqa: B010
    elif point == "before-commit":  # everything flushed: agreement, audit, notice, idempotency
        ctx.session.commit = _die  # type: ignore[method-assign]
    elif point == "after-commit":
        commit = ctx.session.commit

        def commit_then_die() -> None:
            commit()
            _die()

        ctx.session.commit = commit_then_die  # type: ignore[method-assign]
    service.accept_offer(
        ctx, case_id, offer_id, AcceptIn(consent=True, terms_sha256=sha), "crash-key"
    )
    sys.exit(3)  # not reached: the process was killed


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5])
