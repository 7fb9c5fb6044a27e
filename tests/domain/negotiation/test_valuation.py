"""The NPV model as a loss-mitigation expert would check it (issue 14, class 2): doing nothing is
valued from how far behind the loan is, a plan from a re-default hazard that decays and falls with
the payment cut, and both agree with the data they were fitted to (docs/valuation.md).

Each case says what must hold before the model is asked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.negotiation.test_expert_cases import POLICY, ask, days_after_due, loan
from xieshang.domain.loan import Loan, Payment, PenaltyRules
from xieshang.domain.negotiation.valuation import Valuer
from xieshang.domain.schedule import LoanTerms, RepaymentMethod

VALUER = Valuer(POLICY.valuation)
PAYMENTS = [200_000] * 36
BALANCES = [max(0, 6_000_000 - 170_000 * t) for t in range(1, 37)]
PROPERTY = settings(max_examples=60, deadline=None)


def present(payments: list[int]) -> float:
    return sum(p * VALUER.paths.df[t] for t, p in enumerate(payments, start=1))


def test_a_loan_paid_on_time_is_worth_its_payments_less_a_small_expected_loss() -> None:
    """A current loan the customer can afford, 36 payments to go: worth at least 95 % of what its
    payments are worth today (the loss a current loan expects), and never more."""
    value = VALUER.baseline(0, PAYMENTS, BALANCES, 0, affordable=True)
    assert 0.95 * present(PAYMENTS) <= value < present(PAYMENTS)


def test_the_further_behind_the_less_a_loan_is_worth() -> None:
    """The same loan one to five installments behind, nothing changed: each step behind is worth
    less per yuan owed — roll rates rise and cures fall with arrears."""
    shares = [
        VALUER.baseline(200_000 * k, PAYMENTS, BALANCES, k, affordable=True)
        / (200_000 * k + present(PAYMENTS))
        for k in range(6)
    ]
    assert shares == sorted(shares, reverse=True)
    assert shares[0] - shares[-1] > 0.3, "five behind is close to a charge-off"


def test_a_customer_who_cannot_afford_the_installment_is_worth_less_untouched() -> None:
    """Same loan, same arrears: if the installment is beyond what the customer can pay, doing
    nothing is worth less than if they can — they carry the unchanged-payment re-default risk."""
    able = VALUER.baseline(200_000, PAYMENTS, BALANCES, 1, affordable=True)
    unable = VALUER.baseline(200_000, PAYMENTS, BALANCES, 1, affordable=False)
    assert unable < 0.7 * able


def test_a_balloon_the_customer_cannot_meet_defaults_in_the_valuation() -> None:
    """Eleven small payments then a large final one the customer cannot meet: doing nothing is
    worth much less than if the balloon could be paid."""
    payments = [50_000] * 11 + [5_000_000]
    balances = [5_000_000] * 11 + [0]
    paid = VALUER.baseline(0, payments, balances, 0, affordable=True)
    unpaid = VALUER.baseline(0, payments, balances, 0, affordable=True, balloon_at=11)
    assert unpaid < 0.4 * paid


def test_a_deeper_cut_never_re_defaults_more_and_re_default_slows_with_time() -> None:
    """Re-default within 3/6/12/24 months falls as the cut grows (a rise counts as no cut), and
    each later half-year adds less than the first."""
    cuts = [-0.1, 0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.8]
    for months in (3, 6, 12, 24):
        rates = [VALUER.redefaulted(c, months) for c in cuts]
        assert rates == sorted(rates, reverse=True)
    for cut in cuts:
        first, second = VALUER.redefaulted(cut, 6), VALUER.redefaulted(cut, 12)
        assert second - first < first


def test_the_model_reproduces_the_data_it_was_fitted_to_and_is_near_what_it_was_not() -> None:
    """OCC Mortgage Metrics Q1 2009, 60+ days at 6 months: unchanged 54.4 %, cut < 10 % 36.1 %,
    10–20 % 28.8 %, ≥ 20 % 24.3 % (fitted). Not fitted: unchanged at 12 months 58.8 %, and HAMP's
    24-month rates, 42.8 % for cuts up to 20 % and 16.7 % for cuts above half."""
    for cut, observed in ((0.0, 0.544), (0.05, 0.361), (0.15, 0.288), (0.25, 0.243)):
        assert abs(VALUER.redefaulted(cut, 6) - observed) < 0.005
    assert abs(VALUER.redefaulted(0.0, 12) - 0.588) < 0.05
    assert abs(VALUER.redefaulted(0.15, 24) - 0.428) < 0.05
    assert abs(VALUER.redefaulted(0.55, 24) - 0.167) < 0.005


def test_a_big_cut_re_defaults_within_the_range_hamp_observed() -> None:
    """A payment cut of 20 % or more re-defaults 17–43 % by month 24 (HAMP), never the 58 % a
    model that never decays would give."""
    for cut in (0.2, 0.3, 0.4, 0.5):
        assert 0.167 <= VALUER.redefaulted(cut, 24) <= 0.428


def test_a_small_cut_is_worth_more_than_no_cut_on_the_same_payments() -> None:
    """Two plans with identical payments, one booked as a 5 % cut and one as none: the 5 % cut
    re-defaults less, so it is worth more — never less."""
    assert VALUER.plan(PAYMENTS, BALANCES, 0.05) > VALUER.plan(PAYMENTS, BALANCES, 0.0)


@PROPERTY
@given(
    low=st.floats(-0.2, 0.9),
    step=st.floats(0.001, 0.5),
    payment=st.integers(10_000, 1_000_000),
    months=st.integers(1, 60),
)
def test_plan_value_rises_with_the_cut_for_the_same_payments(
    low: float, step: float, payment: int, months: int
) -> None:
    payments = [payment] * months
    balances = [payment * (months - t) for t in range(1, months + 1)]
    assert VALUER.plan(payments, balances, low + step) >= VALUER.plan(payments, balances, low)


@PROPERTY
@given(behind=st.integers(0, 4), payment=st.integers(10_000, 1_000_000), months=st.integers(1, 60))
def test_one_more_installment_behind_is_never_worth_more_per_yuan_owed(
    behind: int, payment: int, months: int
) -> None:
    payments = [payment] * months
    balances = [payment * (months - t) for t in range(1, months + 1)]

    def share(k: int) -> float:
        owed = payment * k
        return VALUER.baseline(owed, payments, balances, k, affordable=True) / (
            owed + present(payments)
        )

    assert share(behind + 1) <= share(behind) + 1e-9


# -- through the engine ----------------------------------------------------------------------------


def balloon_loan() -> Loan:
    """¥100,000 at 9 % from 1 June 2025, interest only for 24 months and the principal due at the
    end; the first 18 payments made on their due dates."""
    terms = LoanTerms(
        10_000_000, Decimal("0.09"), 24, date(2025, 6, 1), method=RepaymentMethod.INTEREST_FIRST
    )
    rules = PenaltyRules(markup=Decimal("0.5"))
    due = Loan.from_terms(terms, rules).schedule.installments[:18]
    return Loan.from_terms(terms, rules, tuple(Payment(i.due_date, i.payment) for i in due))


def test_a_balloon_loan_in_hardship_can_settle_and_the_settlement_beats_doing_nothing() -> None:
    """Interest-only payments are manageable (¥750) but the ¥100,000 final payment is beyond a
    customer with ¥3,000 left each month and ¥45,000 saved: that is hardship, and settling for the
    savings beats waiting for a balloon that will not be paid."""
    the_loan = balloon_loan()
    result = ask(
        the_loan, date(2026, 12, 10), income=800_000, essentials=500_000, lump_sum=4_500_000
    )
    settlements = [o for o in result.offers if o.type == "settlement"]
    assert settlements, [r.code for r in result.reasons]
    assert settlements[0].npv >= result.baseline_npv


def test_a_plan_that_cuts_an_unaffordable_payment_beats_doing_nothing() -> None:
    """Two months behind, income after essentials well below the installment: the engine's plan,
    which brings the payment within reach, is worth more than leaving the loan as it is."""
    the_loan = loan(paid=10)
    result = ask(the_loan, days_after_due(the_loan, 12, 5), income=700_000, essentials=540_000)
    plans = [o for o in result.offers if o.type in ("hardship_plan", "grace_period")]
    assert plans
    assert max(o.npv for o in plans) > result.baseline_npv


def test_for_a_customer_who_can_pay_a_cut_is_worth_less_than_doing_nothing() -> None:
    """Up to date and able to pay: the same loan re-shaped with a 20 % lower payment over more
    months is worth less to the bank than leaving it alone — the NPV test alone refuses it."""
    baseline = VALUER.baseline(0, PAYMENTS, BALANCES, 0, affordable=True)
    longer = [160_000] * 48
    assert VALUER.plan(longer, [160_000 * (48 - t) for t in range(1, 49)], 0.2) < baseline
