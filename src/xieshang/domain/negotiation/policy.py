"""What a bank tunes, as plain data: the negotiation policy the engine reads.

Loaded from a versioned YAML document by ``xieshang.policy`` (which validates it); every default in
the shipped document names its source. Constraints that make a policy meaningless are checked here,
so an invalid policy can never reach the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise

from xieshang.domain.communication import Communication
from xieshang.domain.complaints import ComplaintRules
from xieshang.domain.conduct import Conduct
from xieshang.domain.money import Fen
from xieshang.domain.validation import require

ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True)
class RegulatoryCaps:
    apr_cap: Decimal
    """All-in annualised cost by IRR; above it courts reduce on the borrower's claim (法发〔2017〕22号 第2条)."""
    penalty_markup_min: Decimal
    penalty_markup_max: Decimal
    """Penalty rate = contract rate × (1 + markup), markup 30–50 % (银发〔2003〕251号 第三条)."""
    max_plan_months: int
    """个性化分期 ≤ 5 years (信用卡办法 第七十条); card workouts ≤ 60 months (FFIEC 2003)."""
    cash_advance_installment_max: Fen
    cash_advance_installment_max_months: int
    interest_on_fees_allowed: bool
    """No interest on 违约金 and fees (银发〔2016〕111号)."""
    observation_period_months: int
    """Restructured-asset observation period ≥ 1 year (风险分类办法 第二十条)."""
    principal_max: dict[str, Fen] = field(default_factory=dict)
    """The largest loan of each product kind the engine evaluates (a kind not listed has no limit):
    单户用于消费的个人信用贷款 ≤ ¥200,000 (互联网贷款办法, 银保监会令2020年第9号)."""

    def __post_init__(self) -> None:
        require(ZERO < self.apr_cap <= ONE, "apr_cap must be between 0 and 100 %")
        require(
            ZERO <= self.penalty_markup_min <= self.penalty_markup_max <= ONE,
            "penalty markups must satisfy 0 ≤ min ≤ max ≤ 100 %",
        )
        require(1 <= self.max_plan_months <= 600, "max_plan_months must be 1–600")
        require(self.observation_period_months >= 0, "observation_period_months cannot be negative")
        require(
            all(v > 0 for v in self.principal_max.values()), "principal_max must be more than zero"
        )


@dataclass(frozen=True)
class Affordability:
    max_debt_to_income: Decimal
    """All debt service, the plan included, as a share of monthly income."""
    max_share_of_disposable: Decimal
    """The plan payment as a share of income left after essentials and other debts."""
    unverified_income_weight: Decimal
    """How much of income the customer states but has not evidenced counts (0–1)."""
    target_payment_reduction: Decimal
    """A plan should cut the payment at least this much (GSE Flex: 20 %)."""
    essentials_per_person: Fen = 0
    """The least a month's essentials can be for the customer and each dependant: a budget stated
    below it is counted at it."""

    def __post_init__(self) -> None:
        for name in ("max_debt_to_income", "max_share_of_disposable", "unverified_income_weight"):
            require(ZERO <= getattr(self, name) <= ONE, f"{name} must be between 0 and 1")
        require(ZERO <= self.target_payment_reduction < ONE, "target_payment_reduction must be 0–1")


@dataclass(frozen=True)
class MoralHazard:
    able_to_pay_ratio: Decimal
    """Overdue although disposable income ≥ this × the contractual installment → able but not paying."""
    restructure_cooloff_months: int
    broken_plan_lookback_months: int
    max_recent_new_debts: int
    recent_new_debt_months: int
    min_willingness_for_automatic: int
    """Willingness score (0–100) below which no plan is automatic."""

    def __post_init__(self) -> None:
        require(self.able_to_pay_ratio > ZERO, "able_to_pay_ratio must be positive")
        require(
            0 <= self.min_willingness_for_automatic <= 100, "min_willingness_for_automatic is 0–100"
        )


@dataclass(frozen=True)
class Waterfall:
    waive_penalty_and_fees: bool
    capitalise_arrears: bool
    grace_months_max: int
    extension_months_max: int
    rate_step: Decimal
    rate_floor: Decimal
    allow_interest_suspension: bool
    """停息: the rate may go to 0 only where this is true."""
    forbearance_max_share: Decimal
    """Principal forbearance ≤ this share of the balance (HAMP: 30 %)."""
    holiday_months: int = 0
    """A payment holiday (interest only) of this many months for a temporary hardship the customer
    cannot meet now; always decided by a person. 0: none."""

    def __post_init__(self) -> None:
        require(self.rate_step > ZERO, "rate_step must be positive")
        require(ZERO <= self.rate_floor < ONE, "rate_floor must be 0–100 %")
        require(
            ZERO <= self.forbearance_max_share <= Decimal("0.5"), "forbearance_max_share is 0–50 %"
        )
        require(0 <= self.grace_months_max <= 12, "grace_months_max is 0–12")
        require(0 <= self.holiday_months <= 12, "holiday_months is 0–12")


@dataclass(frozen=True)
class CurvePoint:
    x: Decimal
    y: Decimal


@dataclass(frozen=True)
class Roll:
    """How a loan ``behind`` installments behind moves in a month with no concession: the shares
    that pay everything owed (cure), more than the month's installment but not all (catch up, one
    fewer behind), the month's installment (keep) or nothing (roll, one more behind)."""

    behind: int
    cure: Decimal
    catch_up: Decimal
    keep: Decimal
    roll: Decimal

    def __post_init__(self) -> None:
        shares = (self.cure, self.catch_up, self.keep, self.roll)
        require(all(ZERO <= s <= ONE for s in shares), "roll shares must be 0–1")
        require(abs(sum(shares) - ONE) <= Decimal("0.0005"), "roll shares must add up to 1")
        require(
            self.behind > 0 or self.cure == self.catch_up == ZERO,
            "a current loan has nothing to cure or catch up",
        )


@dataclass(frozen=True)
class Redefault:
    """A modified loan's monthly hazard of going 60+ days delinquent again, ``t`` months in:
    ``level(cut) · decay^(t−1) + floor`` — high at first, decaying to an unmodified loan's."""

    decay: Decimal
    floor: Decimal
    by_cut: tuple[CurvePoint, ...]
    """The first month's excess hazard by payment cut (a share of the contract payment)."""

    def __post_init__(self) -> None:
        require(ZERO < self.decay < ONE, "redefault decay must be between 0 and 1")
        require(ZERO <= self.floor < Decimal("0.1"), "redefault floor must be 0–10 %")
        points = self.by_cut
        require(len(points) >= 2, "redefault by_cut needs at least two points")
        require(
            all(a.x < b.x for a, b in pairwise(points)), "redefault by_cut must be in increasing x"
        )
        require(all(ZERO <= p.y <= ONE for p in points), "redefault by_cut values must be 0–1")
        require(
            all(a.y >= b.y for a, b in pairwise(points)),
            "redefault by_cut must not rise with the cut (a bigger cut never re-defaults more)",
        )


@dataclass(frozen=True)
class Valuation:
    discount_rate: Decimal
    """Annual rate for present values (HAMP: at most the market rate + 2.5 points)."""
    roll: tuple[Roll, ...]
    """One row for 0, 1, 2… installments behind; the last row holds for every row after it."""
    charge_off_behind: int
    """A loan this many installments behind is charged off and goes to recovery."""
    redefault: Redefault
    recovery_rate: Decimal
    recovery_delay_months: int
    collection_cost_rate: Decimal
    settlement_payment_probability: Decimal

    def __post_init__(self) -> None:
        require(ZERO <= self.discount_rate < ONE, "discount_rate must be 0–100 %")
        require(
            [r.behind for r in self.roll] == list(range(len(self.roll))) and len(self.roll) >= 2,
            "roll rows must be for 0, 1, 2… installments behind, in order",
        )
        require(len(self.roll) <= self.charge_off_behind <= 12, "charge_off_behind must be rows–12")
        require(ZERO <= self.recovery_rate <= ONE, "recovery_rate must be 0–1")


@dataclass(frozen=True)
class Settlement:
    min_share_of_debt: Decimal
    max_share_of_debt: Decimal
    """Settlements typically close at 40–60 % of the balance (NEGOTIATION.md §4, S)."""

    def __post_init__(self) -> None:
        require(
            ZERO < self.min_share_of_debt <= self.max_share_of_debt <= ONE,
            "settlement shares 0 < min ≤ max ≤ 1",
        )


@dataclass(frozen=True)
class Agreements:
    """How an accepted offer is held to account."""

    grace_days: int
    """Days an installment may be overdue before the agreement counts as broken."""
    reinstatement: str
    """``all`` or ``unpaid_share``: what a broken agreement puts back of its conditional concessions."""
    settlement_pay_within_days: int
    """Days after the offer's date within which a settlement must be paid."""

    def __post_init__(self) -> None:
        require(0 <= self.grace_days <= 90, "agreements.grace_days is 0–90")
        require(
            self.reinstatement in ("all", "unpaid_share"),
            "agreements.reinstatement is all or unpaid_share",
        )
        require(
            1 <= self.settlement_pay_within_days <= 90,
            "agreements.settlement_pay_within_days is 1–90",
        )


@dataclass(frozen=True)
class Authority:
    """What one level may grant without someone above."""

    max_waiver: Fen
    max_extension_months: int
    max_rate_reduction: Decimal
    max_forbearance_share: Decimal
    interest_suspension: bool
    settlement_min_share: Decimal
    """The lowest settlement (share of the debt) this level may agree."""


@dataclass(frozen=True)
class Authorities:
    automatic: Authority
    agent: Authority
    supervisor: Authority


@dataclass(frozen=True)
class CreditBand:
    """Applicants whose probability of default is at most ``max_pd`` get these terms at best."""

    max_pd: Decimal
    annual_rate: Decimal
    max_income_multiple: Decimal
    """The limit is at most this many months of counted income."""
    max_months: int

    def __post_init__(self) -> None:
        require(ZERO < self.max_pd <= ONE, "max_pd must be between 0 and 1")
        require(ZERO <= self.annual_rate < ONE, "annual_rate must be 0–100 %")
        require(self.max_income_multiple > ZERO, "max_income_multiple must be positive")
        require(1 <= self.max_months <= 600, "max_months must be 1–600")


@dataclass(frozen=True)
class Credit:
    """Application adjustment: the score bands the scorecard's PD maps to."""

    bands: tuple[CreditBand, ...]
    limit_rounding: Fen
    """Limits are rounded down to a multiple of this."""

    def __post_init__(self) -> None:
        require(len(self.bands) >= 1, "at least one credit band")
        require(
            all(a.max_pd < b.max_pd for a, b in pairwise(self.bands)),
            "credit bands must be in increasing max_pd",
        )
        require(self.limit_rounding >= 1, "limit_rounding must be at least 0.01 yuan")


@dataclass(frozen=True)
class ReasonText:
    zh: str
    en: str


@dataclass(frozen=True)
class Policy:
    version: str
    effective_from: date
    regulatory: RegulatoryCaps
    affordability: Affordability
    moral_hazard: MoralHazard
    waterfall: Waterfall
    valuation: Valuation
    settlement: Settlement
    authority: Authorities
    credit: Credit
    agreements: Agreements
    offer_valid_days: int
    conduct: Conduct
    """Collection contact rules and the agents' message linter (domain/conduct.py)."""
    communication: Communication
    """Reminders, delivery retries and survey invitations."""
    complaints: ComplaintRules = field(default_factory=ComplaintRules)
    """The complaint clock (投诉办法 第十八、二十条) and reminders."""
    callback_working_days: int = 2
    """When the engine can offer nothing, a person calls the customer within this many working days."""
    reasons: dict[str, ReasonText] = field(default_factory=dict)
    digest: str = ""
    """SHA-256 of the document's text, recorded with every decision (set by the loader)."""

    def __post_init__(self) -> None:
        require(bool(self.version.strip()), "version must not be empty")
        require(1 <= self.offer_valid_days <= 90, "offer_valid_days is 1–90")
        require(1 <= self.callback_working_days <= 10, "callback_working_days is 1–10")
        require(
            self.waterfall.rate_floor > ZERO or self.waterfall.allow_interest_suspension,
            "a rate floor of 0 (停息) needs allow_interest_suspension",
        )
