"""Application adjustment (贷款申请的审批与调整): the best limit, rate and term the bank can offer,
from a transparent scorecard and the policy's risk bands, with adverse-action reasons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from xieshang.domain.credit import Reason as CreditReason
from xieshang.domain.credit import Scorecard, adverse_reasons, probability_of_default, score
from xieshang.domain.errors import InvalidInput
from xieshang.domain.money import Fen, apply_rate
from xieshang.domain.negotiation.assess import affordable
from xieshang.domain.negotiation.case import Finances
from xieshang.domain.negotiation.policy import CreditBand, Policy
from xieshang.domain.negotiation.reasons import Reason, money
from xieshang.domain.rates import apr, format_rate
from xieshang.domain.schedule import LoanTerms, Schedule, build_schedule, level_payment


@dataclass(frozen=True)
class Application:
    applicant: Mapping[str, str | int]
    requested_amount: Fen
    requested_months: int
    finances: Finances
    as_of: date

    def __post_init__(self) -> None:
        if self.requested_amount <= 0:
            raise InvalidInput("application.requested_amount", "must be more than zero")
        if not 1 <= self.requested_months <= 600:
            raise InvalidInput("application.requested_months", "must be between 1 and 600")


@dataclass(frozen=True)
class ApplicationDecision:
    score: int
    probability_of_default: float
    approved: bool
    amount: Fen
    annual_rate: Decimal
    months: int
    monthly_payment: Fen
    apr: Decimal
    schedule: Schedule | None
    reasons: tuple[Reason, ...]


def decide(application: Application, card: Scorecard, policy: Policy) -> ApplicationDecision:
    """Score the applicant, take the policy's risk band for the probability of default, and offer
    the most that the band, the applicant's income and an affordable installment allow; declined
    when no band takes the applicant or nothing is left to lend."""
    result = score(card, application.applicant)
    pd = probability_of_default(card, result.score)
    reasons = [
        Reason(
            "APP_SCORE",
            {"score": str(result.score), "pd": f"{pd:.1%}", "card": f"{card.name} {card.version}"},
        )
    ]
    adverse = [_adverse(r) for r in adverse_reasons(result, card)]
    band = next((b for b in policy.credit.bands if pd <= b.max_pd), None)
    if band is None:
        last = policy.credit.bands[-1]
        return _declined(result.score, pd, last.max_pd, Decimal(0), 0, reasons, adverse)
    rate = min(band.annual_rate, policy.regulatory.apr_cap)
    months = min(application.requested_months, band.max_months)
    amount, limited = _limit(application, band, policy, rate, months)
    reasons += limited
    if amount <= 0:
        return _declined(result.score, pd, band.max_pd, rate, months, reasons, adverse)
    schedule = build_schedule(
        LoanTerms(principal=amount, annual_rate=rate, months=months, start_date=application.as_of)
    )
    payment = schedule.installments[0].payment
    plan_apr = apr(schedule.cash_flows(), schedule.start_date)
    reasons.append(
        Reason(
            "APP_OFFER",
            {
                "amount": money(amount),
                "rate": format_rate(rate),
                "months": str(months),
                "payment": money(payment),
            },
        )
    )
    if amount == application.requested_amount and months == application.requested_months:
        reasons.append(Reason("APP_AS_REQUESTED"))
    else:
        reasons += adverse
    return ApplicationDecision(
        result.score, pd, True, amount, rate, months, payment, plan_apr, schedule, tuple(reasons)
    )


def _adverse(reason: CreditReason) -> Reason:
    """An adverse-action reason: an attribute that cost the applicant points, and how many."""
    return Reason(
        "APP_ADVERSE",
        {
            "reason": reason.reason,
            "attribute": reason.attribute,
            "attribute_en": reason.attribute.replace("_", " "),
            "label": reason.label,
            "points_lost": str(reason.points_lost),
        },
    )


def _limit(
    application: Application, band: CreditBand, policy: Policy, rate: Decimal, months: int
) -> tuple[Fen, list[Reason]]:
    """The most the bank lends — what was asked, at most the band's multiple of counted income and
    the principal an affordable installment repays, rounded down — and what limited it."""
    income, _, target = affordable(application.finances, policy)
    step = policy.credit.limit_rounding
    by_income = apply_rate(income, band.max_income_multiple)
    by_payment = _most_principal(target, rate, months)
    amount = min(application.requested_amount, by_income, by_payment) // step * step
    reasons = []
    if months < application.requested_months:
        reasons.append(Reason("APP_TERM_CAP", {"months": str(band.max_months)}))
    if amount < application.requested_amount:
        if by_income <= by_payment:
            reasons.append(
                Reason(
                    "APP_LIMIT_INCOME",
                    {"multiple": str(band.max_income_multiple), "limit": money(amount)},
                )
            )
        else:
            reasons.append(
                Reason("APP_LIMIT_AFFORDABILITY", {"target": money(target), "limit": money(amount)})
            )
    return amount, reasons


def _declined(
    card_score: int,
    pd: float,
    max_pd: Decimal,
    rate: Decimal,
    months: int,
    reasons: list[Reason],
    adverse: list[Reason],
) -> ApplicationDecision:
    """A decline: the probability of default and the limit it is above, then the adverse reasons."""
    why = Reason("APP_DECLINED", {"pd": f"{pd:.1%}", "limit": format_rate(max_pd, 0)})
    return ApplicationDecision(
        card_score, pd, False, 0, rate, months, 0, Decimal(0), None, (*reasons, why, *adverse)
    )


def _most_principal(payment: Fen, rate: Decimal, months: int) -> Fen:
    """The largest principal whose level installment is at most ``payment``."""
    if payment <= 0:
        return 0
    one = level_payment(1_000_000, rate / 12, months)  # the installment per 10 000 yuan
    return int(Decimal(payment) * 1_000_000 / one)
