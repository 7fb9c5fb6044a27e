"""Payment allocation: which dues a payment settles, in a configurable order.

The default order is penalty interest (罚息), compound interest (复利), fees, interest, principal, oldest
installment first — the order most Chinese loan contracts state and Fineract's
``PENALTIES_FEES_INTEREST_PRINCIPAL_ORDER``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from xieshang.domain.errors import InvalidInput
from xieshang.domain.money import Fen


class Component(enum.StrEnum):
    """A part of what an installment owes."""

    PENALTY = "penalty"
    COMPOUND = "compound"
    FEE = "fee"
    INTEREST = "interest"
    PRINCIPAL = "principal"


DEFAULT_COMPONENT_ORDER = (
    Component.PENALTY,
    Component.COMPOUND,
    Component.FEE,
    Component.INTEREST,
    Component.PRINCIPAL,
)


@dataclass(frozen=True, slots=True)
class AllocationOrder:
    """``by_installment``: settle the oldest installment fully (in component order) before the next.

    Otherwise settle each component across all installments, oldest first, before the next component
    (Fineract's "vertical" strategies).
    """

    components: tuple[Component, ...] = DEFAULT_COMPONENT_ORDER
    by_installment: bool = True

    def __post_init__(self) -> None:
        if sorted(self.components) != sorted(Component) or len(self.components) != len(Component):
            names = ", ".join(c.value for c in Component)
            raise InvalidInput("allocation_order", f"must list each of {names} exactly once")

    @classmethod
    def parse(cls, text: str, *, by_installment: bool = True) -> AllocationOrder:
        """``"penalty,compound,fee,interest,principal"`` → an order."""
        try:
            parts = tuple(Component(part.strip()) for part in text.split(","))
        except ValueError:
            names = ", ".join(c.value for c in Component)
            raise InvalidInput("allocation_order", f"{text!r}: components are {names}") from None
        return cls(parts, by_installment)


@dataclass(frozen=True, slots=True)
class Due:
    installment: int
    component: Component
    amount: Fen


@dataclass(frozen=True, slots=True)
class Allocation:
    installment: int
    component: Component
    amount: Fen


def allocate(
    amount: Fen, dues: Iterable[Due], order: AllocationOrder
) -> tuple[list[Allocation], Fen]:
    """Spread ``amount`` over ``dues`` in ``order``; returns the allocations and what is left over.

    Never pays a due more than it owes and never loses a fen: allocations + leftover == amount.
    """
    if amount < 0:
        raise InvalidInput("amount", "a payment cannot be negative")
    rank = {component: index for index, component in enumerate(order.components)}

    def key(due: Due) -> tuple[int, int]:
        if order.by_installment:
            return due.installment, rank[due.component]
        return rank[due.component], due.installment

    left = amount
    allocations: list[Allocation] = []
    for due in sorted(dues, key=key):
        if left == 0:
            break
        if due.amount <= 0:
            continue
        paid = min(left, due.amount)
        allocations.append(Allocation(due.installment, due.component, paid))
        left -= paid
    return allocations, left
