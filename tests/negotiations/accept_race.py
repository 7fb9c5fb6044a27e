"""The customer's context on the race and crash tests' database (tests/concurrency/world.py:
ready_to_accept); run as a script it accepts an offer and kills its own process at a chosen point
(the crash test's child).

    python -m tests.negotiations.accept_race URL CASE OFFER SHA256 POINT
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from sqlalchemy import Engine, select

from tests.concurrency.world import CLOCK, CUSTOMER, settings_for
from xieshang.agreements import service as agreements
from xieshang.agreements.schemas import AcceptIn
from xieshang.kit.config import Settings
from xieshang.kit.context import Context, make_cipher
from xieshang.kit.db import make_engine, session_factory
from xieshang.models.user import User


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
    agreements.accept_offer(
        ctx, case_id, offer_id, AcceptIn(consent=True, terms_sha256=sha), "crash-key"
    )
    sys.exit(3)  # not reached: the process was killed


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5])
