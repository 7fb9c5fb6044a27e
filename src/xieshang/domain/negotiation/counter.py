"""The answer to the customer's own proposal (a monthly amount, a number of months, or both).

A proposal is priced as a plan at the lawful contract rate on the lawful debt, the term being what
changes, and then judged exactly as the engine's own plans are: :func:`.offers.plan_offer` runs the
regulatory checks, the NPV test against doing nothing and the authority routing (moral-hazard flags
included). A payment above the affordable target is not agreed as proposed (a plan the customer
cannot keep re-defaults) — unless none of the engine's own plans reaches the target either: then one
asking no more than the least of them is judged as they are (a person decides). One of the engine's
own plans asking no more than a proposed amount meets it too. When the proposal cannot be agreed,
the answer names what the engine can do instead — the least payment it would agree, never above one
of its own plans, or its quickest plan within the target — with who may approve it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from xieshang.domain.money import Fen
from xieshang.domain.negotiation import waterfall
from xieshang.domain.negotiation.approval import LEVELS
from xieshang.domain.negotiation.offers import Appraisal, Offer, plan_offer
from xieshang.domain.negotiation.reasons import Reason, money
from xieshang.domain.schedule import Schedule

PLAN_TYPES = frozenset({"hardship_plan", "catch_up_plan"})
"""The engine's own offers a proposal is weighed against: level plans paid monthly (a grace period's
first months, a settlement and a new due date are other things)."""


@dataclass(frozen=True)
class CounterOffer:
    accepted: bool
    """The engine can agree the proposal (at the level ``approval`` names)."""
    monthly_payment: Fen
    """The plan the answer names: the proposal as priced when accepted, otherwise what the engine can
    do instead (or, when it can do nothing, the proposal as priced)."""
    months: int
    schedule: Schedule | None
    reasons: tuple[Reason, ...]
    approval: str | None = None
    """Who may approve the plan named (``automatic``, ``agent``, ``supervisor``); None when the
    answer names no plan the engine could agree."""
    offer: Offer | None = None
    """That plan as the engine would offer it — checks, NPV, concessions — made by ``plan_offer``
    (None for the contract as it stands)."""


def counter_offer(appraisal: Appraisal, offers: Sequence[Offer] = ()) -> CounterOffer | None:
    """The answer to the case's proposal, weighed against the engine's ``offers`` in the same
    answer; None when the customer proposed nothing."""
    proposal = appraisal.case.request.proposal
    if proposal is None:
        return None
    pricing = _Pricing(appraisal, tuple(o for o in offers if o.type in PLAN_TYPES))
    wanted, months = proposal.monthly_payment, proposal.months
    if months is None and wanted is not None:
        return pricing.monthly(wanted)
    return pricing.term(months or appraisal.assessment.remaining_months, wanted)


def _said(offer: Offer) -> Offer:
    """The offer as a counter-offer says it: automatic approval means no one else need approve it
    (the customer proposes it; it is not yet an offer to accept)."""
    said = tuple(
        Reason("COUNTER_AUTOMATIC") if r.code == "APPROVAL_AUTOMATIC" else r for r in offer.reasons
    )
    return replace(offer, reasons=said)


def _named(offer: Offer) -> tuple[Reason, ...]:
    """What an answer says of a plan it names: what is due at signing, its last payment when a
    balloon, who approves it."""
    keep = {"FINAL_PAYMENT", "COUNTER_AUTOMATIC", "APPROVAL_AGENT", "APPROVAL_SUPERVISOR"}
    said = tuple(r for r in _said(offer).reasons if r.code in keep)
    return (*_at_signing(offer.due_at_signing), *said)


def _at_signing(amount: Fen) -> tuple[Reason, ...]:
    """The arrears a plan neither carries nor waives are paid when it is signed: said, when any."""
    return (Reason("COUNTER_DUE_AT_SIGNING", {"amount": money(amount)}),) if amount else ()


def _terms(offer: Offer) -> dict[str, str]:
    return {"payment": money(offer.monthly_payment), "months": str(offer.term_months)}


@dataclass(frozen=True)
class _Pricing:
    """A proposal priced at the lawful contract rate on the lawful debt, judged by ``plan_offer``,
    beside the engine's own plans."""

    appraisal: Appraisal
    plans: tuple[Offer, ...]

    @property
    def cap(self) -> int:
        return self.appraisal.policy.regulatory.max_plan_months

    @property
    def ceiling(self) -> Fen:
        """The most a month the engine agrees to: the affordable target — or, when none of its own
        plans can reach the target, the least of them (a plan asking no more is no less affordable
        than what the engine itself offers, and a person decides it as they decide that one)."""
        target = self.appraisal.assessment.target_payment
        return max(target, min((p.monthly_payment for p in self.plans), default=target))

    def shape(self, months: int) -> waterfall.PlanShape:
        return waterfall.PlanShape(
            months=months,
            rate=self.appraisal.contract_rate,
            waive=False,
            capitalise=self.appraisal.policy.waterfall.capitalise_arrears,
        )

    def payment(self, months: int) -> Fen:
        debt, start = self.appraisal.assessment.debt, self.appraisal.case.as_of
        return waterfall.level_payment_of(debt, self.shape(months), start)

    def fewest(self, most: Fen) -> int | None:
        """The fewest months, within the cap, whose payment is at most ``most``."""
        if self.payment(self.cap) > most:
            return None
        return waterfall.smallest_satisfying(1, self.cap, lambda m: self.payment(m) <= most)

    def priced(self, months: int, code: str) -> tuple[waterfall.Plan, Fen]:
        """The plan over ``months`` with the sentence ``code`` that prices it, and its payment."""
        shape = self.shape(months)
        result = waterfall.build(self.appraisal.assessment.debt, shape, self.appraisal.case.as_of)
        payment = waterfall.regular_payment(result, 0)
        said = Reason(code, {"payment": money(payment), "months": str(months)})
        reasons = (said, *_at_signing(result.due_at_signing))
        return waterfall.Plan(shape, result, (), reasons), payment

    def sentence(self, months: int, code: str) -> tuple[Reason, Fen]:
        """The sentence ``code`` that prices the plan over ``months``, and its payment — those of
        :meth:`priced` — without building the plan."""
        debt, start = self.appraisal.assessment.debt, self.appraisal.case.as_of
        payment = waterfall.payment_of(debt, self.shape(months), start)
        return Reason(code, {"payment": money(payment), "months": str(months)}), payment

    def weighed(self, months: int, code: str) -> tuple[Reason, Offer | Reason]:
        """The sentence pricing the plan over ``months``, and that plan as the engine would offer it
        or why it would not. A payment above the ceiling is refused on its own: the plan is built
        only when it can be agreed."""
        said, payment = self.sentence(months, code)
        target = self.appraisal.assessment.target_payment
        above = {"payment": money(payment), "target": money(target)}
        if payment > self.ceiling:  # the customer could not keep it: never agreed as proposed
            return said, Reason("COUNTER_ABOVE_TARGET", above)
        plan = self.priced(months, code)[0]
        if payment > target:  # as is every plan the engine can make: a person decides
            plan = replace(plan, reasons=(*plan.reasons, Reason("COUNTER_BEYOND_TARGET", above)))
        made = plan_offer("counter", "counter_plan", plan, self.appraisal)
        return said, _said(made) if isinstance(made, Offer) else made

    def answer(self, months: int, code: str) -> CounterOffer:
        """The plan over ``months``: agreed at its level, or what the engine can do instead."""
        said, judged = self.weighed(months, code)
        if isinstance(judged, Offer):
            return _accepted(judged)
        least = judged.code != "COUNTER_ABOVE_TARGET"
        return self.instead((said, judged), months, least=least)

    def monthly(self, wanted: Fen) -> CounterOffer:
        """A monthly amount: the contract when it covers the installment and nothing is overdue;
        otherwise the plan at that amount, or one of the engine's own plans asking no more — the one
        the lowest level may approve (the proposal as priced on a tie) — else the least it agrees."""
        a = self.appraisal.assessment
        if wanted >= a.installment and a.days_past_due == 0:
            return self.at_contract(wanted)
        months = self.fewest(wanted)
        judged: Offer | Reason | None = None
        if months is None:
            said = Reason("COUNTER_TERM_CAP", {"payment": money(wanted), "cap": str(self.cap)})
        else:
            said, judged = self.weighed(months, "COUNTER_REPAYS")
            if isinstance(judged, Reason) and judged.code == "COUNTER_ABOVE_TARGET":
                return self.instead((said, judged), months, least=False)
        agreed = [judged] if isinstance(judged, Offer) else []
        agreed += [p for p in self.plans if p.monthly_payment <= wanted]
        if not agreed:
            why = (said, judged) if isinstance(judged, Reason) else (said,)
            return self.instead(why, months or self.cap, least=True)
        best = min(agreed, key=_rank)
        if best is judged:
            return _accepted(best)
        met = Reason("COUNTER_MET_BY_PLAN", _terms(best))
        reasons = (said, met, *_named(best))
        return CounterOffer(
            True,
            best.monthly_payment,
            best.term_months,
            best.schedule,
            reasons,
            best.approval,
            best,
        )

    def at_contract(self, wanted: Fen) -> CounterOffer:
        """At least the installment with nothing overdue: the contract stands, when affordable."""
        a = self.appraisal.assessment
        if a.installment > a.target_payment:
            above = {"payment": money(wanted), "target": money(a.target_payment)}
            return self.instead((Reason("COUNTER_ABOVE_TARGET", above),), None, least=False)
        said = {"payment": money(wanted), "installment": money(a.installment)}
        reasons = (Reason("COUNTER_AT_CONTRACT", said), Reason("COUNTER_AUTOMATIC"))
        return CounterOffer(True, a.installment, a.remaining_months, None, reasons, LEVELS[0])

    def term(self, months: int, wanted: Fen | None) -> CounterOffer:
        """A number of months (and perhaps an amount): priced within the cap; when the amount does
        not cover that term, the answer to the amount alone."""
        if months > self.cap:
            beyond = Reason("COUNTER_MONTHS_CAP", {"months": str(months), "cap": str(self.cap)})
            return self.instead((beyond,), self.cap, least=True)
        if wanted is not None and self.payment(months) > wanted:
            priced = self.sentence(months, "COUNTER_MONTHS")[0]
            alone = self.monthly(wanted)
            return replace(alone, accepted=False, reasons=(priced, *alone.reasons))
        return self.answer(months, "COUNTER_MONTHS")

    def instead(self, said: tuple[Reason, ...], months: int | None, *, least: bool) -> CounterOffer:
        """The proposal is not agreed as it stands: ``said`` why, and name what the engine can do —
        the least it would agree (``least``) or its quickest plan within the target — or, when
        there is nothing, say a person will call (the answer's figures are then the proposal's,
        priced over ``months``, or the contract's when None)."""
        named = self._least() if least else self._within_target()
        if named is None:
            days = str(self.appraisal.policy.callback_working_days)
            reasons = (*said, Reason("COUNTER_NOTHING", {"days": days}))
            a = self.appraisal.assessment
            if months is None:
                return CounterOffer(False, a.installment, a.remaining_months, None, reasons)
            plan, payment = self.priced(months, "COUNTER_MONTHS")
            return CounterOffer(False, payment, months, plan.restructuring.schedule, reasons)
        code = "COUNTER_LEAST" if least else "COUNTER_INSTEAD"
        reasons = (*said, Reason(code, _terms(named)), *_named(named))
        return CounterOffer(
            False,
            named.monthly_payment,
            named.term_months,
            named.schedule,
            reasons,
            named.approval,
            named,
        )

    def _least(self) -> Offer | None:
        """The least payment the engine would agree: the longest plan the cap allows at the contract
        rate, or one of its own plans where that is less."""
        judged = self.weighed(self.cap, "COUNTER_MONTHS")[1]
        candidates = [*self.plans, *([judged] if isinstance(judged, Offer) else [])]
        return min(candidates, key=lambda o: (o.monthly_payment, _rank(o)), default=None)

    def _within_target(self) -> Offer | None:
        """For a payment above what the customer can afford: the quickest plan within the target at
        the contract rate, or the engine's own plan (within the target first, then by level)."""
        candidates = list(self.plans)
        months = self.fewest(self.appraisal.assessment.target_payment)
        if months is not None:
            judged = self.weighed(months, "COUNTER_MONTHS")[1]
            candidates += [judged] if isinstance(judged, Offer) else []
        target = self.appraisal.assessment.target_payment
        return min(
            candidates,
            key=lambda o: (o.monthly_payment > target, _rank(o), -o.monthly_payment),
            default=None,
        )


def _rank(offer: Offer) -> int:
    return LEVELS.index(offer.approval)


def _accepted(offer: Offer) -> CounterOffer:
    return CounterOffer(
        True,
        offer.monthly_payment,
        offer.term_months,
        offer.schedule,
        offer.reasons,
        offer.approval,
        offer,
    )
