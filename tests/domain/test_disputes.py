"""A customer disputes charges: each is recomputed from the contract and the transactions.

The loan throughout: 10 000 yuan at 10 % for 12 months from 15 Jan 2024, installment ¥879.16
(¥795.83 principal + ¥83.33 interest) due 15 Feb; installment 2 (¥802.46 + ¥76.70) due 15 Mar.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import examples, loans_with_review_dates
from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.allocation import Component
from xieshang.domain.disputes import (
    ChargedComponent,
    ChargedItem,
    DisputeLimits,
    FlagKind,
    Verdict,
    infer_markup,
    review_charges,
)
from xieshang.domain.errors import InvalidInput
from xieshang.domain.loan import Charge, ChargeKind, Loan, Payment, PenaltyRules
from xieshang.domain.negotiation.reasons import Reason
from xieshang.domain.schedule import LoanTerms
from xieshang.policy.document import load_policy

TERMS = LoanTerms(
    principal=1_000_000, annual_rate=Decimal("0.10"), months=12, start_date=date(2024, 1, 15)
)
LIMITS = DisputeLimits()
MARCH_1 = date(2024, 3, 1)  # installment 1 unpaid for 15 days
PENALTY, COMPOUND = ChargedComponent.PENALTY, ChargedComponent.COMPOUND


POLICY = load_policy()


def say(reason: Reason, language: str = "zh-CN") -> str:
    zh, en = reason.render(POLICY.reasons)
    return en if language == "en" else zh


def test_a_penalty_charged_at_a_70_percent_markup_is_refunded_down_to_50_percent_and_flagged() -> (
    None
):
    # The contract says 70 %; the law allows at most 50 % (银发〔2003〕251号).
    # Charged at 17 %: 795.83 × 17 % ÷ 360 = 0.3758 → ¥0.38 a day × 15 = ¥5.70.
    # Lawful at 15 %: 795.83 × 15 % ÷ 360 = 0.3316 → ¥0.33 a day × 15 = ¥4.95. Refund ¥0.75.
    loan = Loan.from_terms(TERMS, PenaltyRules(markup=Decimal("0.70")))
    finding = review_charges(loan, [ChargedItem(1, PENALTY, 570)], LIMITS, MARCH_1)

    (line,) = finding.lines
    assert (line.charged, line.lawful, line.difference) == (570, 495, 75)
    assert line.verdict is Verdict.OVERCHARGED
    assert finding.refund_due == 75
    assert finding.lawful_markup == Decimal("0.50")
    assert finding.corrections == (line,)
    assert line.reason == Reason(
        "DISPUTE_OVERCHARGED",
        {
            "installment": "1",
            "component": "penalty",
            "component_zh": "罚息",
            "charged": "5.70",
            "lawful": "4.95",
            "difference": "0.75",
        },
    )
    assert Reason("DISPUTE_CAUSE_MARKUP", {"charged_markup": "0.70", "lawful_markup": "0.50"}) in (
        line.causes
    )
    assert finding.flagged(FlagKind.PENALTY_MARKUP_OUT_OF_RANGE)
    assert [flag.reason for flag in finding.flags] == [
        Reason("DISPUTE_PENALTY_MARKUP_ABOVE_MAX", {"charged_markup": "0.70", "max": "0.50"})
    ]
    assert "罚息年利率 15.00% ÷ 360 = 每日 ¥0.33，× 15 天 = ¥4.95" in line.formula[0].formula_zh


def test_a_70_percent_markup_is_detected_from_the_amounts_when_the_bank_does_not_say() -> None:
    # The contract says 50 %, but the bank billed at 70 %: penalty ¥5.70 and compound interest
    # 83.33 × 17 % ÷ 360 = 0.0394 → ¥0.04 a day × 15 = ¥0.60 instead of ¥0.45.
    loan = Loan.from_terms(TERMS)
    items = [ChargedItem(1, PENALTY, 570), ChargedItem(1, COMPOUND, 60)]
    finding = review_charges(loan, items, LIMITS, MARCH_1)

    assert [line.lawful for line in finding.lines] == [495, 45]
    assert finding.refund_due == 75 + 15
    for line in finding.lines:
        assert Reason(
            "DISPUTE_CAUSE_MARKUP", {"charged_markup": "0.70", "lawful_markup": "0.50"}
        ) in (line.causes)
    assert [flag.reason for flag in finding.flags] == [
        Reason("DISPUTE_PENALTY_MARKUP_ABOVE_MAX", {"charged_markup": "0.70", "max": "0.50"})
    ]


def test_the_markup_is_inferred_from_the_charged_to_lawful_ratio() -> None:
    lawful = ledger_as_of(Loan.from_terms(TERMS), MARCH_1).installments[0].accruals
    penalty = [line for line in lawful if line.component is Component.PENALTY]
    compound = [line for line in lawful if line.component is Component.COMPOUND]
    assert infer_markup(570, penalty, Decimal("0.10")) == Decimal("0.70")
    # ¥0.33 a day is any markup from 48 % to 51 %: the lowest is returned.
    assert infer_markup(495, penalty, Decimal("0.10")) == Decimal("0.48")
    # ¥0.04 a day of compound interest fits any markup from 52 % to 94 %; with the penalty, only 70 %.
    assert infer_markup(60, compound, Decimal("0.10")) == Decimal("0.52")
    assert infer_markup(60, compound, Decimal("0.10"), others=[(570, penalty)]) == Decimal("0.70")
    assert infer_markup(0, [], Decimal("0.10")) is None


def test_a_correct_penalty_and_compound_interest_are_explained_line_by_line() -> None:
    loan = Loan.from_terms(TERMS)
    items = [ChargedItem(1, PENALTY, 495), ChargedItem(1, COMPOUND, 45)]
    finding = review_charges(loan, items, LIMITS, MARCH_1)

    assert [line.verdict for line in finding.lines] == [Verdict.CORRECT, Verdict.CORRECT]
    assert finding.refund_due == 0
    assert finding.flags == ()
    penalty, compound = finding.lines
    assert [f.formula_zh for f in penalty.formula] == [
        "第1期罚息（2024-02-16 至 2024-03-01）= 逾期本金 ¥795.83 × 罚息年利率 15.00% ÷ 360 = "
        "每日 ¥0.33，× 15 天 = ¥4.95"
    ]
    assert [f.formula_zh for f in compound.formula] == [
        "第1期复利（2024-02-16 至 2024-03-01）= 逾期利息 ¥83.33 × 罚息年利率 15.00% ÷ 360 = "
        "每日 ¥0.03，× 15 天 = ¥0.45"
    ]
    assert all(f.formula_en for f in penalty.formula + compound.formula)
    assert penalty.reason.code == "DISPUTE_CHARGE_CORRECT"
    assert say(penalty.reason) == "第1期罚息 ¥4.95 与按合同和交易记录重算的结果一致。"
    assert say(penalty.reason, "en").startswith("Installment 1 penalty of ¥4.95 matches")


def test_a_dispute_of_some_days_is_compared_for_those_days_only() -> None:
    loan = Loan.from_terms(TERMS)
    item = ChargedItem(1, PENALTY, 5 * 33, first_day=date(2024, 2, 20), last_day=date(2024, 2, 24))
    (line,) = review_charges(loan, [item], LIMITS, MARCH_1).lines
    assert line.verdict is Verdict.CORRECT
    assert line.formula[-1].formula_zh == (
        "其中争议期间（2024-02-20 至 2024-02-24）：每日 ¥0.33 × 5 天 = ¥1.65"
    )


def test_compound_interest_charged_on_a_late_fee_is_flagged_and_refunded() -> None:
    # Installment 2 is unpaid; a ¥200 违约金 is put on it on 16 March. Lawful compound interest:
    # 76.70 × 15 % ÷ 360 = 0.032 → ¥0.03 a day × 10 days = ¥0.30. The bank added the fee to the base
    # from 17 March: (76.70 + 200) × 15 % ÷ 360 = 0.1153 → ¥0.12 a day, so ¥0.03 + 9 × ¥0.12 = ¥1.11.
    loan = Loan.from_terms(
        TERMS,
        payments=(Payment(date(2024, 2, 15), 87_916),),
        charges=(Charge(date(2024, 3, 16), 20_000, ChargeKind.LATE_FEE, 2, "逾期违约金"),),
    )
    items = [ChargedItem(2, COMPOUND, 111), ChargedItem(2, ChargedComponent.LATE_FEE, 20_000)]
    finding = review_charges(loan, items, LIMITS, date(2024, 3, 25))

    compound, fee = finding.lines
    assert (compound.lawful, compound.verdict, compound.refund) == (30, Verdict.OVERCHARGED, 81)
    assert compound.causes[0].code == "DISPUTE_CAUSE_INTEREST_ON_FEE"
    assert compound.causes[0].params["amount"] == "0.81"
    assert fee.verdict is Verdict.CORRECT
    assert [f.formula_zh for f in fee.formula] == [
        "违约金（逾期违约金） ¥200.00，按合同约定收取，不计利息"
    ]
    assert finding.refund_due == 81
    assert finding.flag_kinds == {FlagKind.INTEREST_ON_FEES}
    assert finding.flags[0].reason.params["fee"] == "200.00"


def test_fees_that_push_the_all_in_cost_above_24_percent_are_flagged() -> None:
    # A ¥1 500 service fee on a ¥10 000 one-year loan at 10 %, paid with the first installment.
    plain = Loan.from_terms(TERMS)
    payments = tuple(
        Payment(i.due_date, i.payment + (150_000 if i.number == 1 else 0))
        for i in plain.schedule.installments
    )
    fee = Charge(TERMS.start_date, 150_000, ChargeKind.FEE, 1, "服务费")
    loan = Loan.from_terms(TERMS, payments=payments, charges=(fee,))
    finding = review_charges(
        loan, [ChargedItem(1, ChargedComponent.FEE, 150_000)], LIMITS, date(2025, 1, 20)
    )

    assert finding.lines[0].verdict is Verdict.CORRECT  # the contract does say ¥1 500
    assert finding.refund_due == 0
    assert finding.all_in_apr is not None
    assert finding.all_in_apr > Decimal("0.24")
    assert finding.flag_kinds == {FlagKind.TOTAL_COST_ABOVE_CAP}
    assert finding.flags[0].reason.params["cap"] == "24.00%"

    on_time = tuple(Payment(i.due_date, i.payment) for i in plain.schedule.installments)
    without_fee = review_charges(
        Loan.from_terms(TERMS, payments=on_time), [], LIMITS, date(2025, 1, 20)
    )
    assert without_fee.all_in_apr is not None
    assert abs(without_fee.all_in_apr - Decimal("0.10")) < Decimal("0.0001")
    assert not without_fee.flagged(FlagKind.TOTAL_COST_ABOVE_CAP)


def test_an_undercharge_is_noted_and_never_billed() -> None:
    finding = review_charges(
        Loan.from_terms(TERMS), [ChargedItem(1, PENALTY, 400)], LIMITS, MARCH_1
    )
    (line,) = finding.lines
    assert line.verdict is Verdict.UNDERCHARGED
    assert (line.difference, line.refund) == (-95, 0)
    assert finding.refund_due == 0
    assert finding.undercharged == 95
    assert line.reason.code == "DISPUTE_UNDERCHARGED_NOT_BILLED"
    assert "不向客户追收" in say(line.reason)


def test_a_fee_the_contract_does_not_have_is_refunded_in_full() -> None:
    finding = review_charges(
        Loan.from_terms(TERMS), [ChargedItem(1, ChargedComponent.FEE, 5_000)], LIMITS, MARCH_1
    )
    assert finding.refund_due == 5_000
    assert finding.lines[0].causes[0].code == "DISPUTE_CAUSE_NOT_IN_CONTRACT"


def test_a_contract_markup_below_the_minimum_is_flagged_but_kept() -> None:
    loan = Loan.from_terms(TERMS, PenaltyRules(markup=Decimal("0.20")))
    finding = review_charges(loan, [], LIMITS, MARCH_1)
    assert finding.lawful_markup == Decimal("0.20")
    assert [flag.reason for flag in finding.flags] == [
        Reason("DISPUTE_PENALTY_MARKUP_BELOW_MIN", {"charged_markup": "0.20", "min": "0.30"})
    ]


def test_interest_is_explained_even_for_an_installment_not_yet_due() -> None:
    finding = review_charges(
        Loan.from_terms(TERMS), [ChargedItem(5, ChargedComponent.INTEREST, 8_000)], LIMITS, MARCH_1
    )
    (line,) = finding.lines
    assert line.verdict is Verdict.OVERCHARGED
    assert line.formula[0].formula_zh.startswith("第5期利息 = 期初本金余额")
    assert line.formula[0].amount == line.lawful


def test_a_disputed_item_outside_the_loan_or_after_the_review_date_is_refused() -> None:
    loan = Loan.from_terms(TERMS)
    with pytest.raises(InvalidInput, match="installment"):
        review_charges(loan, [ChargedItem(13, PENALTY, 1)], LIMITS, MARCH_1)
    with pytest.raises(InvalidInput, match="last_day"):
        review_charges(
            loan, [ChargedItem(1, PENALTY, 1, last_day=date(2024, 3, 2))], LIMITS, MARCH_1
        )
    with pytest.raises(InvalidInput, match="penalty_markup"):
        DisputeLimits(penalty_markup_min=Decimal("0.6"))


def test_every_reason_code_has_a_default_sentence_in_both_languages() -> None:
    for code, text in POLICY.reasons.items():
        if not code.startswith("DISPUTE_"):
            continue
        zh, en = text.zh, text.en
        assert code.startswith("DISPUTE_")
        assert zh
        assert en
    reason = Reason("DISPUTE_TOTAL_COST_ABOVE_CAP", {"apr": "40.72%", "cap": "24.00%"})
    assert "40.72%" in say(reason)
    assert "24.00%" in say(reason, "en")


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

ACCRUED = {PENALTY: Component.PENALTY, COMPOUND: Component.COMPOUND}


def lawful_amounts(loan: Loan, as_of: date) -> dict[tuple[int, ChargedComponent], int]:
    """What the ledger charges by installment and component, at a markup of at most 50 %."""
    capped = replace(loan, rules=replace(loan.rules, markup=min(loan.rules.markup, Decimal("0.5"))))
    state = ledger_as_of(capped, as_of)
    amounts = {}
    for held in state.due():
        number = held.installment.number
        for component in (PENALTY, COMPOUND, ChargedComponent.INTEREST, ChargedComponent.FEE):
            amounts[number, component] = held.charged[Component(component.value)]
    return amounts


@settings(max_examples=examples(60), deadline=None)
@given(data=st.data(), loan_and_date=loans_with_review_dates())
def test_the_refund_is_exactly_the_sum_of_the_overcharges_and_never_negative(
    data: st.DataObject, loan_and_date: tuple[Loan, date]
) -> None:
    loan, as_of = loan_and_date
    lawful = lawful_amounts(loan, as_of)
    items, overcharges = [], 0
    for (number, component), amount in lawful.items():
        delta = data.draw(st.integers(-amount, 100_000) | st.just(0))
        items.append(ChargedItem(number, component, amount + delta))
        overcharges += max(0, delta)
    finding = review_charges(loan, items, LIMITS, as_of)

    assert finding.refund_due == overcharges
    assert finding.refund_due >= 0
    assert [line.lawful for line in finding.lines] == list(lawful.values())
    for line in finding.lines:
        assert line.refund == max(0, line.charged - line.lawful)
        assert (line.verdict is Verdict.OVERCHARGED) == (line.charged > line.lawful)


@settings(max_examples=examples(60), deadline=None)
@given(loan_and_date=loans_with_review_dates())
def test_recomputing_an_undisputed_ledger_finds_nothing_to_refund(
    loan_and_date: tuple[Loan, date],
) -> None:
    loan, as_of = loan_and_date
    items = [
        ChargedItem(number, component, amount)
        for (number, component), amount in lawful_amounts(loan, as_of).items()
    ]
    finding = review_charges(loan, items, LIMITS, as_of)
    assert finding.refund_due == 0
    assert finding.undercharged == 0
    assert all(line.verdict is Verdict.CORRECT for line in finding.lines)
    assert not finding.flagged(FlagKind.INTEREST_ON_FEES)
    for line in finding.lines:
        if line.item.component in ACCRUED and line.lawful:
            assert sum(f.amount for f in line.formula) == line.lawful
