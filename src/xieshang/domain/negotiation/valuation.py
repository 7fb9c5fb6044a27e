"""The NPV test: expected present value of a plan against doing nothing.

``value = Σ_t DF_t · [S_t · payment_t + d_t · (recovery_t − cost_t)]`` (NEGOTIATION.md §2), with a
monthly default hazard taken from the re-default curve for the plan's payment reduction, survival
``S``, and recovery after a delay on default. The baseline either cures (the customer catches up and
pays as contracted) or defaults and is recovered. Expectations are computed in floats and reported
rounded to the fen: they are estimates, never amounts posted to a ledger (decision 0001).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from xieshang.domain.money import Fen
from xieshang.domain.negotiation.policy import CurvePoint, Valuation


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
class Valuer:
    valuation: Valuation

    @property
    def monthly_discount(self) -> float:
        return float((1 + float(self.valuation.discount_rate)) ** (1 / 12) - 1)

    def df(self, months: float) -> float:
        return float((1 + self.monthly_discount) ** -months)

    def default_value(self, exposure: Fen, at_month: int) -> float:
        """What a default at ``at_month`` on ``exposure`` is worth today: recovery after the delay,
        less collection cost."""
        v = self.valuation
        recovery = float(v.recovery_rate) * exposure * self.df(at_month + v.recovery_delay_months)
        cost = float(v.collection_cost_rate) * exposure * self.df(at_month)
        return recovery - cost

    def baseline(
        self,
        owed_now: Fen,
        future_payments: Sequence[Fen],
        future_balances: Sequence[Fen],
        exposure: Fen,
        days_past_due: int,
        *,
        affordable: bool,
    ) -> float:
        """No concession. An overdue loan cures (the customer catches up next month) or defaults
        now. A cured loan then pays as contracted — with, when the installment is beyond what the
        customer can afford, the re-default hazard of an unchanged payment (the same OCC data)."""
        cure = interpolate(self.valuation.cure_by_dpd, days_past_due)
        if affordable:
            cured = sum(p * self.df(t) for t, p in enumerate(future_payments, start=1))
        else:
            cured = self.plan(future_payments, future_balances, 0.0)
        cured += owed_now * self.df(1)
        return cure * cured + (1 - cure) * self.default_value(exposure, 0)

    def plan(
        self,
        payments: Sequence[Fen],
        balances: Sequence[Fen],
        reduction: float,
        at_signing: Fen = 0,
        reinstated: Fen = 0,
    ) -> float:
        """A plan of monthly ``payments`` (``balances`` owed after each), at a payment ``reduction``
        against the contract. On default, conditional waivers (``reinstated``) come back."""
        early, late = self.hazards(reduction)
        value, survival = float(at_signing), 1.0
        for t, (payment, balance) in enumerate(zip(payments, balances, strict=True), start=1):
            hazard = early if t <= 6 else late
            owed = balance + payment + reinstated
            value += survival * hazard * self.default_value(owed, t - 1)
            survival *= 1 - hazard
            value += survival * payment * self.df(t)
        return value

    def hazards(self, reduction: float) -> tuple[float, float]:
        """Monthly re-default hazards: months 1–6 from the 6-month curve, later months from the
        conditional 6→12-month rate (plans that survive half a year default far less)."""
        r6 = interpolate(self.valuation.redefault_6m, reduction)
        r12 = max(r6, interpolate(self.valuation.redefault_12m, reduction))
        early = 1 - (1 - r6) ** (1 / 6)
        late = 1 - ((1 - r12) / (1 - r6)) ** (1 / 6) if r6 < 1 else early
        return early, late

    def settlement(self, amount: Fen, baseline: float) -> float:
        p = float(self.valuation.settlement_payment_probability)
        return p * amount + (1 - p) * baseline
