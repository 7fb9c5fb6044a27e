"""The policy in force: the latest approved version whose effective date has come, else the
document shipped with xieshang (the baseline, which is never stored: nobody in the bank approved it
here, so it has no proposer or approver to show).

Every service asks :func:`policy_in_force` instead of loading a file. The answer is cached on the
session for each day (``Session.info``), so a nightly job over 100,000 loans asks the database once,
and each text is parsed once per process (cached by its SHA-256). A web request has a session of its
own, so it sees a version the moment it takes effect; a job keeps the policy it started the day with.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from xieshang.domain.negotiation.policy import Policy
from xieshang.kit.context import Context
from xieshang.policy import repository
from xieshang.policy.document import default_text, load_policy, parse_policy

_SESSION_KEY = "xieshang.policy_in_force"
_PARSED: OrderedDict[str, Policy] = OrderedDict()
_PARSED_MAX = 16
_LOCK = threading.Lock()


@dataclass(frozen=True)
class InForce:
    policy: Policy
    version_id: int | None
    """The stored version, or None for the baseline shipped with xieshang."""


def policy_in_force(ctx: Context) -> Policy:
    """The policy that governs what happens today (in the bank's timezone)."""
    return in_force(ctx).policy


def in_force(ctx: Context, day: date | None = None) -> InForce:
    """The policy in force on ``day`` (today by default) and where it comes from."""
    day = day or ctx.today()
    cache: dict[date, InForce] = ctx.session.info.setdefault(_SESSION_KEY, {})
    if day in cache:
        return cache[day]
    stored = repository.version_in_force(ctx, day)
    found = (
        InForce(load_policy(), None) if stored is None else InForce(parsed(ctx, *stored), stored[0])
    )
    cache[day] = found
    return found


def forget(ctx: Context) -> None:
    """Drop the session's cached answer (after a decision in this session)."""
    ctx.session.info.pop(_SESSION_KEY, None)


def parsed(ctx: Context, version_id: int, digest: str) -> Policy:
    """The stored version's policy, parsed once per process."""
    with _LOCK:
        policy = _PARSED.get(digest)
        if policy is not None:
            _PARSED.move_to_end(digest)
            return policy
    policy = parse_policy(repository.version_text(ctx, version_id))
    with _LOCK:
        _PARSED[digest] = policy
        while len(_PARSED) > _PARSED_MAX:
            _PARSED.popitem(last=False)
    return policy


def baseline_text() -> str:
    return default_text()
