"""Facts about a schedule computed from its rows, not from the code that built it, for the
property tests of schedules and restructuring."""

from __future__ import annotations

from collections.abc import Callable

from xieshang.domain.errors import ScheduleError
from xieshang.domain.schedule import Schedule


def refusal(call: Callable[..., object], *args: object) -> ScheduleError | None:
    """The ScheduleError ``call(*args)`` raises, or None if it succeeds."""
    try:
        call(*args)
    except ScheduleError as error:
        return error
    return None


def assert_amortises(schedule: Schedule) -> None:
    """Parts sum to the principal; balances step down by each part, never rise and end at zero."""
    rows = schedule.installments
    assert rows, "a schedule has at least one installment"
    assert sum(i.principal for i in rows) == schedule.principal
    previous = schedule.principal
    for row in rows:
        assert row.principal >= 0, row
        assert row.interest >= 0, row
        assert row.balance >= 0, row
        assert row.balance == previous - row.principal, row
        assert row.balance <= previous, row
        previous = row.balance
    assert rows[-1].balance == 0
    assert [i.number for i in rows] == list(range(1, len(rows) + 1))
