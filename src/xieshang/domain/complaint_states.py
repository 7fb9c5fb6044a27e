"""The states of a complaint (投诉) from receipt to closing, and which moves are allowed.

received (收到) → acknowledged (受理) → investigating (调查核实) → decided (处理决定) → notified (告知)
→ closed, or → review_requested (申请核查) → review_decided (核查决定) → closed. Until a decision is
made the complainant may withdraw (撤回, 第十五条: the procedure ends the day the withdrawal is
received). Pausing the clock (external assessment, mediation) is not a state: the complaint stays
where it is and only its clock stops.
"""

from __future__ import annotations

import enum

from xieshang.domain.errors import TransitionRefused


class Status(enum.StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    INVESTIGATING = "investigating"
    DECIDED = "decided"
    NOTIFIED = "notified"
    REVIEW_REQUESTED = "review_requested"
    REVIEW_DECIDED = "review_decided"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


S = Status
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.RECEIVED: frozenset({S.ACKNOWLEDGED, S.WITHDRAWN}),
    S.ACKNOWLEDGED: frozenset({S.INVESTIGATING, S.DECIDED, S.WITHDRAWN}),
    S.INVESTIGATING: frozenset({S.DECIDED, S.WITHDRAWN}),
    S.DECIDED: frozenset({S.NOTIFIED}),
    S.NOTIFIED: frozenset({S.REVIEW_REQUESTED, S.CLOSED}),
    S.REVIEW_REQUESTED: frozenset({S.REVIEW_DECIDED}),
    S.REVIEW_DECIDED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

OPEN = frozenset({S.RECEIVED, S.ACKNOWLEDGED, S.INVESTIGATING})
"""Before the decision: the decision clock runs, it may be extended, paused or restarted."""
AWAITING_NOTICE = frozenset({S.DECIDED})
"""Decided but the complainant not yet told: the deadline still runs (第十八条: decide *and* tell)."""
FINISHED = frozenset({S.CLOSED, S.WITHDRAWN})


def check_move(current: Status, target: Status) -> None:
    """Refuse a move the life cycle does not allow, naming what is allowed."""
    allowed = TRANSITIONS[current]
    if target not in allowed:
        options = ", ".join(sorted(allowed)) or "nothing (it is finished)"
        raise TransitionRefused(str(current), str(target), options)
