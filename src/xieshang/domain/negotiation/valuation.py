"""The NPV test: expected present value of a plan against doing nothing (NEGOTIATION.md §2).

Two models, both read from the policy and fitted to public data (``docs/valuation.md``):

- **Doing nothing** is a monthly state model by installments behind (current, 1, 2, 3… behind,
  charged off): each month the loan cures, catches up, keeps level or rolls one further behind, with
  the shares of :class:`~.policy.Roll`. Each installment paid is worth its present value; a charge-off
  is worth the recovery, after its delay, less the cost of collecting. A customer who cannot afford
  the contract installment instead carries, once cured, the re-default hazard of a modification that
  left the payment unchanged; a balloon beyond what the customer can pay defaults on its date.
- **A plan** starts current, and each month re-defaults (60+ days) with the hazard
  ``level(cut) · decay^(t−1) + floor`` of :class:`~.policy.Redefault`: highest at first, falling with
  time and with the size of the payment cut. A re-defaulted plan goes to recovery: a concession
  has already failed, so it is charged off when it is ``charge_off_behind`` installments behind
  (the FDIC's formula: re-default × (recovery − costs)).

The state model's paths depend only on the policy, so they are computed once per policy; each
valuation is then one pass over the schedule. Expectations are floats reported rounded to the fen:
estimates, never amounts posted to a ledger (decision 0001).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from xieshang.domain.money import Fen
from xieshang.domain.negotiation.policy import CurvePoint, Valuation
from xieshang.domain.schedule import MAX_MONTHS

HORIZON = MAX_MONTHS + 1
"""Months the state model is followed: past the longest loan there is."""
DEFAULTED = 2
"""A re-default is 60+ days delinquent: two installments behind (the OCC's definition)."""


def interpolate(points: Sequence[CurvePoint], x: float) -> float:
    """Piecewise-linear through the points, flat beyond the ends."""
    if x <= float(points[0].x):
        return float(points[0].y)
    for low, high in itertools.pairwise(points):
        if x <= float(high.x):
            span = float(high.x - low.x)
            return float(low.y) + (float(high.y) - float(low.y)) * (x - float(low.x)) / span
    return float(points[-1].y)


@dataclass(frozen=True)
class Paths:
    """The state model followed from each number of installments behind (``[behind][t]``)."""

    df: tuple[float, ...]
    """Discount factor ``t`` months ahead."""
    net_recovery: float
    """What a unit charged off is worth at the charge-off: recovery after its delay, less cost."""
    paid: tuple[tuple[float, ...], ...]
    """Expected installments paid in month ``t`` (``t`` ≥ 1)."""
    charged: tuple[tuple[float, ...], ...]
    """Chance of the charge-off in month ``t``."""
    behind_at: tuple[tuple[tuple[float, ...], ...], ...]
    """Chance of each number of installments behind after month ``t``."""
    cured: tuple[float, ...]
    """Σ chance of curing in month t × df(t): the present value of one unit paid on cure."""
    charged_off: tuple[float, ...]
    """Σ chance of the charge-off in month t × df(t) × net recovery."""

    def worth(self, behind: int) -> float:
        """What a unit owed by a loan this far behind is worth today, if nothing new falls due."""
        return self.cured[behind] + self.charged_off[behind]


def _moves(valuation: Valuation, behind: int) -> list[tuple[int, float, int]]:
    """(to, chance, installments paid) for a month begun ``behind``; to = charge_off_behind is the
    charge-off."""
    row = valuation.roll[min(behind, len(valuation.roll) - 1)]
    moves = [
        (0, float(row.cure), behind + 1),
        (max(behind - 1, 0), float(row.catch_up), 2),
        (behind, float(row.keep), 1),
        (behind + 1, float(row.roll), 0),
    ]
    return [m for m in moves if m[1] > 0]


Moves = list[list[tuple[int, float, int]]]


def _month(moves: Moves, chance: list[float]) -> tuple[list[float], float, float]:
    """One month of the state model: the chances after it, the installments expected to be paid in
    it, and the chance of the charge-off in it."""
    states = len(chance)
    after, pay, off = [0.0] * states, 0.0, 0.0
    for k, p in enumerate(chance):
        for to, q, units in moves[k] if p else ():
            if to >= states:
                off += p * q
            else:
                after[to] += p * q
                pay += p * q * units
    return after, pay, off


def _start(states: int, behind: int) -> list[float]:
    chance = [0.0] * states
    chance[behind] = 1.0
    return chance


@functools.lru_cache(maxsize=16)
def paths(valuation: Valuation) -> Paths:
    """Follow the state model from every starting point, once per policy."""
    monthly = (1 + float(valuation.discount_rate)) ** (1 / 12)
    df = tuple(monthly**-t for t in range(HORIZON + valuation.recovery_delay_months + 1))
    net = float(valuation.recovery_rate) * df[valuation.recovery_delay_months] - float(
        valuation.collection_cost_rate
    )
    states = valuation.charge_off_behind
    moves = [_moves(valuation, k) for k in range(states)]
    paid, charged, behind_at = [], [], []
    for start in range(states):
        chance = _start(states, start)
        pays, offs, dist = [0.0], [0.0], [tuple(chance)]
        for _ in range(HORIZON):
            chance, pay, off = _month(moves, chance)
            pays.append(pay)
            offs.append(off)
            dist.append(tuple(chance))
        paid.append(tuple(pays))
        charged.append(tuple(offs))
        behind_at.append(tuple(dist))
    cured, charged_off = _absorbed(moves, states, df, net)
    return Paths(df, net, tuple(paid), tuple(charged), tuple(behind_at), cured, charged_off)


def _absorbed(
    moves: Moves, states: int, df: Sequence[float], net: float
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """From each number behind, with nothing new falling due: the discounted chance of curing and
    the discounted net recovery of a charge-off (a current loan has nothing to recover). Curing is
    the end of the road here: what reaches current is counted and taken out."""
    cured, charged_off = [1.0], [0.0]
    for start in range(1, states):
        chance = _start(states, start)
        cure = off = 0.0
        for t in range(1, HORIZON):
            chance, _, charged = _month(moves, chance)
            cure += chance[0] * df[t]
            off += charged * df[t] * net
            chance[0] = 0.0
            if sum(chance) < 1e-12:
                break
        cured.append(cure)
        charged_off.append(off)
    return tuple(cured), tuple(charged_off)


@dataclass(frozen=True)
class Valuer:
    valuation: Valuation

    @functools.cached_property
    def paths(self) -> Paths:
        return paths(self.valuation)

    def baseline(
        self,
        owed_now: Fen,
        future_payments: Sequence[Fen],
        future_balances: Sequence[Fen],
        behind: int,
        *,
        affordable: bool,
        balloon_at: int | None = None,
    ) -> float:
        """No concession. ``owed_now`` is overdue (``behind`` installments); ``future_payments``
        fall due monthly (``future_balances`` owed after each). Without ``affordable``, the loan
        cures as the state model says and then carries the unchanged-payment re-default hazard.
        ``balloon_at`` is the index of a payment the customer cannot make: the loan defaults
        there."""
        p = self.paths
        payments = list(future_payments)
        if behind >= self.valuation.charge_off_behind:  # as far behind as a charge-off: recovery
            return (owed_now + sum(payments)) * p.net_recovery
        start = behind
        if not affordable:
            # Catching up does not make the installment affordable: the arrears are paid with the
            # first payment after the cure, under the unchanged payment's re-default hazard.
            due = [owed_now + payments[0], *payments[1:]] if payments else [owed_now]
            cured = self.plan(due, future_balances if payments else [0], 0.0)
            exposure = owed_now + sum(payments)
            return p.cured[start] * cured + p.charged_off[start] * exposure
        end = len(payments) if balloon_at is None else balloon_at
        paid, charged, df = p.paid[start], p.charged[start], p.df
        cob = self.valuation.charge_off_behind
        value, unit = 0.0, owed_now / start if start else 0.0
        for t in range(1, end + 1):
            unit = payments[t - 1]  # what each installment paid this month is worth
            exposure = future_balances[t - 1] + unit * cob
            value += df[t] * (paid[t] * unit + charged[t] * exposure * p.net_recovery)
        left = p.behind_at[start][end]
        value += df[end] * unit * sum(k * c * p.worth(k) for k, c in enumerate(left))
        if balloon_at is not None:
            alive = 1 - sum(charged[: end + 1])
            value += df[end + 1] * alive * sum(payments[end:]) * p.net_recovery
        return value

    def plan(
        self,
        payments: Sequence[Fen],
        balances: Sequence[Fen],
        reduction: float,
        at_signing: Fen = 0,
        reinstated: Fen = 0,
    ) -> float:
        """A plan of monthly ``payments`` (``balances`` owed after each), at a payment ``reduction``
        against the contract. On re-default, conditional waivers (``reinstated``) come back."""
        p = self.paths
        cob = self.valuation.charge_off_behind
        worth = p.net_recovery * p.df[cob - DEFAULTED]  # charged off when it is that far behind
        value, survival, df = float(at_signing), 1.0, p.df
        months = zip(payments, balances, strict=True)
        hazards = zip(months, self.hazards(reduction), strict=False)  # hazards never run out
        for t, ((payment, balance), hazard) in enumerate(hazards, start=1):
            owed = balance + payment + reinstated
            value += survival * hazard * owed * worth * df[t]
            survival *= 1 - hazard
            value += survival * payment * df[t]
        return value

    def redefaulted(self, reduction: float, months: int) -> float:
        """The chance a plan at this payment ``reduction`` has re-defaulted within ``months``."""
        alive = 1.0
        for hazard in itertools.islice(self.hazards(reduction), months):
            alive *= 1 - hazard
        return 1 - alive

    def hazards(self, reduction: float) -> Iterator[float]:
        """A plan's monthly re-default hazard, month after month: ``level(cut) · decay^(t−1)``
        above the floor (a rise in the payment counts as no cut)."""
        redefault = self.valuation.redefault
        excess = interpolate(redefault.by_cut, max(reduction, 0.0))
        decay, floor = float(redefault.decay), float(redefault.floor)
        while True:
            yield min(1.0, excess + floor)
            excess *= decay

    def settlement(self, amount: Fen, baseline: float) -> float:
        p = float(self.valuation.settlement_payment_probability)
        return p * amount + (1 - p) * baseline
