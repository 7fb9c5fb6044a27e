"""How the policy's settings check themselves: a constraint that does not hold is a ``ValueError``
with its message, so an invalid policy can never reach the engine."""

from __future__ import annotations


def require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)
