"""Ability and willingness to pay, and the signals of moral hazard (道德风险)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from xieshang.domain.ledger_state import LedgerState
from xieshang.domain.loan import Loan
from xieshang.domain.money import Fen, apply_rate
from xieshang.domain.negotiation.case import Case, Finances
from xieshang.domain.negotiation.policy import Policy
from xieshang.domain.negotiation.reasons import Reason, money
from xieshang.domain.restructure import Debt
from xieshang.domain.schedule import equal_installment


@dataclass(frozen=True)
class Assessment:
    debt: Debt
    days_past_due: int
    installment: Fen
    """The contract's regular installment, the yardstick for payment reductions."""
    remaining_months: int
    income: Fen
    disposable: Fen
    target_payment: Fen
    willingness: int
    flags: tuple[Reason, ...]
    reasons: tuple[Reason, ...]
    lump_sum: Fen = 0
    """The savings the customer can pay now, or this loan's share of them."""
    bearable: Fen = 0
    """The most the customer can meet in one month: the affordable target and their lump sum."""
    largest_payment: Fen = 0
    """The largest payment still to come (a balloon, on a loan that ends with one)."""

    @property
    def may_be_automatic(self) -> bool:
        return not self.flags

    @property
    def shows_hardship(self) -> bool:
        """Income left after essentials and other debts does not cover the installment, or a
        payment still to come (a balloon) is beyond income and savings together: the hardship that
        forgiveness, waivers and settlements need (a customer who can pay gets none)."""
        balloon = self.largest_payment > self.installment
        return self.disposable < self.installment or (
            balloon and self.largest_payment > self.bearable
        )

    @property
    def may_waive(self) -> bool:
        """A conditional waiver may be part of a plan: hardship shown, and not able-but-not-paying."""
        able = any(flag.code == "MH_ABLE_BUT_NOT_PAYING" for flag in self.flags)
        return self.shows_hardship and not able


def assess(case: Case, state: LedgerState, policy: Policy) -> Assessment:
    """The customer's ability to pay (counted income, disposable income, an affordable target
    payment) against the contract's installment, their willingness, and any moral-hazard flags."""
    fin = case.finances
    income, household_disposable, household_target = affordable(fin, policy)
    future = [s.installment for s in state.installments if s.installment.due_date > case.as_of]
    regular = future[:-1] or future or [state.installments[-1].installment]  # not a final balloon
    installment = regular[0].payment
    others = (monthly_cost(o) for o in case.other_loans if _running(o, case.as_of))
    budget = Budget(monthly_cost(case.loan), tuple(others))
    disposable, target = budget.share(household_disposable), budget.share(household_target)
    dpd = state.days_past_due
    willingness = willingness_score(case)
    flags = moral_hazard_flags(case, policy, dpd, disposable, installment, willingness)
    essentials = counted_essentials(fin, policy)
    reasons = (
        *_essentials_floor(fin, essentials),
        Reason(
            "ASSESS_DISPOSABLE",
            {
                "income": money(income),
                "essentials": money(essentials),
                "other_debt": money(fin.other_debt_service),
                "disposable": money(household_disposable),
            },
        ),
        *budget.reasons(household_target),
        Reason("ASSESS_TARGET", {"target": money(target), "installment": money(installment)}),
    )
    return Assessment(
        debt=Debt.of(state),
        days_past_due=dpd,
        installment=installment,
        remaining_months=max(1, len(future)),
        income=income,
        disposable=disposable,
        target_payment=target,
        willingness=willingness,
        flags=tuple(flags),
        reasons=reasons,
        lump_sum=budget.share(fin.lump_sum_available),
        bearable=target + budget.share(fin.lump_sum_available),
        largest_payment=max((i.payment for i in future), default=0),
    )


def monthly_cost(loan: Loan) -> Fen:
    """What the loan costs a month spread evenly over its contract: its installment for an
    equal-installment loan, and the same measure for an interest-first or bullet loan, whose
    principal falls due at the end (its last payment is not its monthly burden)."""
    terms = loan.terms
    return equal_installment(terms.principal, terms.annual_rate, terms.months)


def _running(loan: Loan, as_of: date) -> bool:
    """Still being repaid month by month after ``as_of`` (a loan past its last due date has no
    monthly payment left to share: its arrears are a case of their own)."""
    return loan.schedule.installments[-1].due_date > as_of


@dataclass(frozen=True)
class Budget:
    """One affordability budget for the customer's loans with the bank: each loan's share is in
    proportion to its monthly cost (:func:`monthly_cost`), so loans of the same kind are cut by the
    same fraction of their payment, and the shares never add up to more than the whole (each is
    rounded down to the fen)."""

    own: Fen
    others: tuple[Fen, ...]

    def share(self, amount: Fen) -> Fen:
        total = self.own + sum(self.others)
        return amount * self.own // total if self.others and total else amount

    def reasons(self, whole: Fen) -> list[Reason]:
        if not self.others:
            return []
        params = {
            "loans": str(1 + len(self.others)),
            "payments": money(self.own + sum(self.others)),
            "whole": money(whole),
            "installment": money(self.own),
            "share": money(self.share(whole)),
        }
        return [Reason("ASSESS_HOUSEHOLD", params)]


def moral_hazard_flags(
    case: Case, policy: Policy, dpd: int, disposable: Fen, installment: Fen, willingness: int
) -> list[Reason]:
    """The signals of moral hazard (道德风险) the policy names: able to pay but not paying, a recent
    or a broken plan, many new debts, low willingness. Any flag keeps a plan from automatic
    approval."""
    hazard = policy.moral_hazard
    flags: list[Reason] = []
    if dpd > 0 and disposable >= installment * hazard.able_to_pay_ratio:
        flags.append(
            Reason(
                "MH_ABLE_BUT_NOT_PAYING",
                {"disposable": money(disposable), "installment": money(installment)},
            )
        )
    hist = case.history
    if (
        hist.months_since_last_plan is not None
        and hist.months_since_last_plan < hazard.restructure_cooloff_months
    ):
        flags.append(
            Reason(
                "MH_RECENT_RESTRUCTURE",
                {
                    "months_ago": str(hist.months_since_last_plan),
                    "cooloff": str(hazard.restructure_cooloff_months),
                },
            )
        )
    if (
        hist.months_since_broken_plan is not None
        and hist.months_since_broken_plan <= hazard.broken_plan_lookback_months
    ):
        flags.append(Reason("MH_BROKEN_PLAN", {"months_ago": str(hist.months_since_broken_plan)}))
    if hist.new_debts_recent > hazard.max_recent_new_debts:
        flags.append(
            Reason(
                "MH_MANY_NEW_DEBTS",
                {
                    "count": str(hist.new_debts_recent),
                    "months": str(hazard.recent_new_debt_months),
                    "limit": str(hazard.max_recent_new_debts),
                },
            )
        )
    if willingness < hazard.min_willingness_for_automatic:
        flags.append(
            Reason(
                "MH_LOW_WILLINGNESS",
                {"score": str(willingness), "minimum": str(hazard.min_willingness_for_automatic)},
            )
        )
    return flags


def _essentials_floor(fin: Finances, essentials: Fen) -> list[Reason]:
    """Said when the essentials stated were below the minimum for the household."""
    if essentials <= fin.essential_expenses:
        return []
    people = 1 + fin.dependants
    return [
        Reason(
            "ASSESS_ESSENTIALS_FLOOR",
            {
                "stated": money(fin.essential_expenses),
                "people": str(people),
                "essentials": money(essentials),
            },
        )
    ]


def counted_essentials(fin: Finances, policy: Policy) -> Fen:
    """The essentials stated, but never less than the policy's minimum for the customer and each
    dependant."""
    floor = policy.affordability.essentials_per_person * (1 + fin.dependants)
    return max(fin.essential_expenses, floor)


def affordable(fin: Finances, policy: Policy) -> tuple[Fen, Fen, Fen]:
    """(income counted, disposable income, affordable payment target), monthly, in fen."""
    afford = policy.affordability
    unverified = max(0, fin.stated_income - fin.verified_income)
    income = fin.verified_income + apply_rate(unverified, afford.unverified_income_weight)
    essentials = counted_essentials(fin, policy)
    disposable = max(0, income - essentials - fin.other_debt_service)
    by_dti = apply_rate(income, afford.max_debt_to_income) - fin.other_debt_service
    return (
        income,
        disposable,
        max(0, min(by_dti, apply_rate(disposable, afford.max_share_of_disposable))),
    )


def willingness_score(case: Case) -> int:
    """0–100 from the record: on-time share (50), tenure (20), plans kept or broken (±), contact (20)."""
    hist = case.history
    on_time = hist.installments_on_time / hist.installments_due if hist.installments_due else 1.0
    score = 50 * on_time + 20 * min(hist.tenure_months, 36) / 36 + 20 * hist.contact_response_rate
    score += 10 if hist.plans_kept and not hist.plans_broken else 0
    score -= 20 * hist.plans_broken
    return max(0, min(100, round(score)))
