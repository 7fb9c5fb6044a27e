"""The negotiation engine from the customer's side, and the properties every answer keeps."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import ENGINE_TERMS, examples, hardship_cases, loan_paid_for
from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.agreement import rebuild
from xieshang.domain.negotiation.assess import assess
from xieshang.domain.negotiation.case import (
    Case,
    Finances,
    Hardship,
    History,
    Proposal,
    Request,
    Scenario,
)
from xieshang.domain.negotiation.engine import Evaluation, evaluate
from xieshang.domain.negotiation.waterfall import run
from xieshang.policy.document import load_policy

POLICY = load_policy()
TERMS = ENGINE_TERMS


def case(
    *,
    paid: int = 8,
    as_of: date = date(2026, 2, 10),
    income: int = 700_000,
    essentials: int = 400_000,
    other_debt: int = 100_000,
    history: History | None = None,
    hardship: Hardship = Hardship.INCOME_DROP_TEMPORARY,
    proposal: Proposal | None = None,
    lump_sum: int = 0,
) -> Case:
    return Case(
        loan=loan_paid_for(paid),
        finances=Finances(income, income, essentials, other_debt, lump_sum),
        history=history
        or History(tenure_months=30, installments_due=paid, installments_on_time=paid),
        request=Request(Scenario.HARDSHIP, hardship, proposal),
        as_of=as_of,
    )


def texts(result: Evaluation) -> list[str]:
    out = [r.render(POLICY.reasons)[1] for r in result.reasons]
    for offer in result.offers:
        out += [r.render(POLICY.reasons)[1] for r in offer.reasons]
    return out


def test_a_long_good_record_customer_with_a_temporary_income_drop_gets_a_plan_automatically() -> (
    None
):
    result = evaluate(case(), POLICY)
    automatic = [o for o in result.offers if o.approval == "automatic"]
    assert {o.type for o in automatic} >= {"hardship_plan", "grace_period"}
    plan = next(o for o in automatic if o.type == "hardship_plan")
    assert plan.monthly_payment <= result.assessment.target_payment < result.assessment.installment
    assert plan.npv >= result.baseline_npv
    grace = next(o for o in automatic if o.type == "grace_period")
    assert grace.schedule is not None
    assert grace.schedule.installments[0].principal == 0  # interest only while income is down
    assert "Interest only for the first 3 months (grace period): ¥405.04 a month" in texts(result)


def test_an_able_but_unwilling_pattern_gets_no_automatic_waiver_and_is_told_why() -> None:
    # Stopped paying two installments ago although ¥6,000 a month is left after essentials.
    result = evaluate(
        case(
            paid=6,
            income=1_500_000,
            essentials=700_000,
            other_debt=200_000,
            as_of=date(2026, 2, 10),
        ),
        POLICY,
    )
    assert result.assessment.days_past_due > 0
    assert [f.code for f in result.assessment.flags] == ["MH_ABLE_BUT_NOT_PAYING"]
    assert all(o.approval != "automatic" for o in result.offers)
    assert all(o.concessions.waived == 0 for o in result.offers)
    said = texts(result)
    assert any(
        t.startswith("Disposable income ¥6,000.00 covers the installment ¥1,660.72") for t in said
    )


def test_a_customer_who_broke_a_plan_last_quarter_is_routed_to_a_person() -> None:
    history = History(
        tenure_months=30,
        installments_due=8,
        installments_on_time=8,
        plans_broken=1,
        months_since_broken_plan=3,
    )
    result = evaluate(case(history=history), POLICY)
    assert result.offers
    assert all(o.approval in ("agent", "supervisor") for o in result.offers)
    assert "A plan was broken 3 months ago: an agent decides" in texts(result)


def test_a_proposal_below_what_the_cap_allows_gets_the_least_acceptable_amount() -> None:
    result = evaluate(case(proposal=Proposal(monthly_payment=80_000)), POLICY)
    counter = result.counter_offer
    assert counter is not None
    assert not counter.accepted
    assert counter.months == 60
    said = [r.render(POLICY.reasons)[1] for r in counter.reasons]
    least = f"¥{counter.monthly_payment / 100:,.2f}"
    assert said[:2] == [
        "At the contract rate, ¥800.00 a month does not repay the debt within the 60-month cap",
        f"The least we can agree is {least} a month over 60 months",
    ]
    # 60 months is 32 more than the 28 left: beyond automatic authority, said with the level.
    assert counter.approval == "agent"
    assert said[2].startswith("Beyond automatic authority (extension 32 > 24 months)")


def test_a_workable_proposal_is_accepted_with_its_term() -> None:
    result = evaluate(case(proposal=Proposal(monthly_payment=120_000)), POLICY)
    counter = result.counter_offer
    assert counter is not None
    assert counter.accepted
    assert counter.monthly_payment <= 120_000
    assert counter.schedule is not None
    assert len(counter.schedule.installments) == counter.months <= 60


def test_a_customer_who_can_afford_the_installment_needs_no_plan() -> None:
    result = evaluate(case(income=2_000_000), POLICY)
    assert not [o for o in result.offers if o.type == "hardship_plan"]
    assert any(r.code == "NO_PLAN_NEEDED" for r in result.reasons)


def test_a_lump_sum_buys_a_settlement_within_the_policy_bounds() -> None:
    # ¥1,000 a month left after essentials, below the ¥1,660.72 installment: hardship shown.
    hardship = case(paid=2, as_of=date(2026, 3, 20), lump_sum=3_500_000, essentials=500_000)
    result = evaluate(hardship, POLICY)
    settlement = next(o for o in result.offers if o.type == "settlement")
    share = settlement.concessions.settlement_share
    assert share is not None
    assert POLICY.settlement.min_share_of_debt <= share <= POLICY.settlement.max_share_of_debt
    assert settlement.due_at_signing == 3_500_000


# -------------------------------------------------------------------------------------------------
# Properties
# -------------------------------------------------------------------------------------------------


PROPERTY = settings(max_examples=examples(40), deadline=None)


@PROPERTY
@given(c=hardship_cases())
def test_no_offer_exceeds_a_regulatory_cap(c: Case) -> None:
    caps = POLICY.regulatory
    for offer in evaluate(c, POLICY).offers:
        assert offer.apr <= caps.apr_cap
        assert offer.term_months <= caps.max_plan_months
        assert all(check.passed for check in offer.checks)


@PROPERTY
@given(c=hardship_cases())
def test_every_plan_repays_exactly_the_debt_it_claims(c: Case) -> None:
    result = evaluate(c, POLICY)
    debt = result.assessment.debt
    for offer in result.offers:
        plan = offer.installation
        assert plan is not None
        assert plan.schedule == offer.schedule
        assert sum(i.principal for i in plan.schedule.installments) == plan.schedule.principal
        # Every fen of the debt is in the new schedule, forgiven on condition, or carried.
        assert plan.debt == debt
        assert plan.schedule.principal + plan.conditional_total + plan.carried == debt.total
        forgiven = offer.concessions.waived + offer.concessions.forgiven
        assert plan.conditional_total == forgiven
        assert plan.schedule == rebuild(plan.terms, plan.forborne)  # what accept checks


@PROPERTY
@given(c=hardship_cases())
def test_waterfall_steps_never_raise_the_payment(c: Case) -> None:
    state = ledger_as_of(c.loan, c.as_of)
    assessment = assess(c, state, POLICY)
    plan = run(assessment, POLICY, c.loan.terms.annual_rate, c.as_of, waive_allowed=True)
    payments = [step.payment for step in plan.steps]
    assert payments == sorted(payments, reverse=True)


@PROPERTY
@given(c=hardship_cases())
def test_automatic_approval_implies_npv_at_least_the_baseline_and_authority(c: Case) -> None:
    result = evaluate(c, POLICY)
    limit = POLICY.authority.automatic
    for offer in result.offers:
        if offer.approval == "automatic" and offer.type != "due_date_change":
            assert offer.npv >= result.baseline_npv
            assert offer.concessions.exceeds(limit) == []
            assert not result.assessment.flags


@PROPERTY
@given(c=hardship_cases(), extra=st.integers(0, 100_000))
def test_a_proposal_at_or_above_the_installment_is_accepted_when_affordable(
    c: Case, extra: int
) -> None:
    """Nothing overdue: the contract stands when its installment is within the affordable target;
    above the target it is not agreed as proposed, and the answer says so. With arrears to cure,
    when the debt cannot be repaid at that amount within the plan-term cap (the law's, 信用卡办法
    第七十条), it is agreed only when one of the engine's own plans asks no more."""
    result = evaluate(c, POLICY)
    a = result.assessment
    wanted = a.installment + extra
    proposing = replace(c, request=replace(c.request, proposal=Proposal(monthly_payment=wanted)))
    counter = evaluate(proposing, POLICY).counter_offer
    assert counter is not None
    codes = [r.code for r in counter.reasons]
    if a.days_past_due == 0:
        assert counter.accepted == (a.installment <= a.target_payment)
        if not counter.accepted:
            assert codes[0] == "COUNTER_ABOVE_TARGET"
    elif codes[0] == "COUNTER_TERM_CAP":  # agreed only when one of the engine's own plans meets it
        named = counter.approval is not None
        assert counter.accepted == (named and counter.monthly_payment <= wanted)


@PROPERTY
@given(c=hardship_cases())
def test_identical_input_gives_identical_output(c: Case) -> None:
    assert evaluate(c, POLICY) == evaluate(c, POLICY)


def test_a_policy_version_and_digest_come_with_every_answer() -> None:
    result = evaluate(case(), POLICY)
    assert result.policy_version == "2026.1"
    assert len(result.policy_digest) == 64
