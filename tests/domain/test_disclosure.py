"""The cost disclosure table (明示表, 金规〔2026〕2号 — UNVERIFIED): every line the ledger can charge, the
all-in cost by IRR, the total cost, the overdue rules; kept as JSON with a digest; the version in
force on a day. The all-in rate is checked against a present value computed here, not by the IRR
solver under test."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import APR_MIN_PRINCIPAL, CHEAP, MAX_PRINCIPAL, rates, start_dates
from xieshang.domain.calendar import months_between
from xieshang.domain.disclosure import (
    CostDisclosure,
    DisclosureVersion,
    LineKind,
    disclose,
    from_data,
    in_force,
    to_data,
)
from xieshang.domain.disclosure_text import line_text
from xieshang.domain.errors import InvalidInput
from xieshang.domain.loan import Charge, ChargeKind, PenaltyRules
from xieshang.domain.money import Fen
from xieshang.domain.schedule import LoanTerms, RepaymentMethod, Schedule, build_schedule

TERMS = LoanTerms(1_000_000, Decimal("0.10"), 12, date(2026, 1, 15))
INSTALLMENT_METHODS = (
    RepaymentMethod.EQUAL_INSTALLMENT,
    RepaymentMethod.EQUAL_PRINCIPAL,
    RepaymentMethod.FLAT,
)


def table(
    terms: LoanTerms = TERMS, rules: PenaltyRules | None = None, **extra: object
) -> CostDisclosure:
    return disclose(terms, build_schedule(terms), rules or PenaltyRules(), **extra)  # type: ignore[arg-type]


def present_value(flows: list[tuple[date, Fen]], start: date, annual: Decimal) -> float:
    """Σ amount ÷ (1 + annual/12)^months, months as the disclosure measures them (whole calendar
    months, then days ÷ 30): zero at the IRR."""
    monthly = float(annual) / 12
    return float(sum(a / (1 + monthly) ** months_between(start, d) for d, a in flows))


def flows_of(schedule: Schedule, fees: list[tuple[date, Fen]] = []) -> list[tuple[date, Fen]]:  # noqa: B006
    return (
        [(schedule.start_date, -schedule.principal)]
        + [(i.due_date, i.payment) for i in schedule.installments]
        + fees
    )


def test_a_plain_loan_discloses_its_interest_overdue_rules_and_no_fees() -> None:
    """10 000 yuan at 10 % over 12 equal installments: ¥879.16 a month (the figure
    tests/web/test_api_basics.py checks), the last one ¥879.13 after the fen rounding of each
    month's interest, so ¥549.89 of interest in all; the all-in cost is the contract rate less
    that rounding (PBoC 公告〔2021〕第3号: monthly IRR × 12)."""
    found = table()
    assert found.total_cost == 11 * 87_916 + 87_913 - 1_000_000 == 54_989
    assert abs(found.all_in_rate - Decimal("0.10")) <= Decimal("0.0001")
    interest = found.line(LineKind.INTEREST)
    assert interest is not None
    assert (interest.annual_rate, interest.method, interest.total) == (
        Decimal("0.10"),
        "equal_installment",
        54_989,
    )
    penalty = found.line(LineKind.PENALTY)
    assert penalty is not None
    assert penalty.annual_rate == Decimal("0.15"), "contract rate × (1 + 50 %)"
    assert penalty.charged
    assert penalty.day_count == "actual/360"
    assert not found.charges(LineKind.FEE)
    assert not found.charges(LineKind.LATE_FEE)
    assert {line.collector.value for line in found.lines} == {"bank"}


def test_each_line_says_how_it_is_charged_in_both_languages() -> None:
    found = table()
    texts = {line.kind: line_text(line, found) for line in found.lines}
    assert "年利率 10.00%" in texts[LineKind.INTEREST].how_zh
    assert "合同利率 ×（1 + 50%）= 年利率 15.00%" in texts[LineKind.PENALTY].how_zh
    assert "contract rate × (1 + 50%) = 15.00% a year" in texts[LineKind.PENALTY].how_en
    assert texts[LineKind.FEE].how_zh == "不收取"
    assert texts[LineKind.LATE_FEE].how_en == "not charged"


def test_a_product_without_penalty_or_compound_interest_says_so() -> None:
    found = table(rules=PenaltyRules(penalty_enabled=False, compound_enabled=False))
    assert not found.charges(LineKind.PENALTY)
    assert not found.charges(LineKind.COMPOUND)
    assert found.markup == 0


def test_a_contract_fee_counts_in_the_all_in_cost_and_the_total() -> None:
    schedule = build_schedule(TERMS)
    fee = Charge(TERMS.start_date, 20_000, ChargeKind.FEE)
    found = disclose(TERMS, schedule, PenaltyRules(), fees=[fee])
    assert found.total_cost == schedule.total_interest + 20_000
    assert found.all_in_rate > Decimal("0.13")
    first_due = schedule.installments[0].due_date
    flows = flows_of(schedule, [(first_due, 20_000)])
    assert abs(present_value(flows, TERMS.start_date, found.all_in_rate)) < 1.0


def test_a_late_fee_is_not_a_cost_of_credit() -> None:
    with pytest.raises(InvalidInput):
        table(fees=[Charge(TERMS.start_date, 100, ChargeKind.LATE_FEE)])


def test_an_agreement_table_lists_arrears_carried_outside_the_all_in_cost() -> None:
    plain, carried = table(), table(carried=50_000, reinstatable=3_000)
    assert carried.all_in_rate == plain.all_in_rate
    assert carried.total_cost == plain.total_cost
    line = carried.line(LineKind.CARRIED)
    assert line is not None
    assert (line.amount, line.installment) == (50_000, 1)
    assert carried.charges(LineKind.REINSTATED)


def test_the_table_reads_back_from_its_json_with_the_same_digest() -> None:
    found = table(carried=50_000)
    again = from_data(to_data(found))
    assert again == found
    version = DisclosureVersion(1, TERMS.start_date, found)
    assert version.digest == DisclosureVersion(1, TERMS.start_date, again).digest
    assert len(version.digest) == 64


def test_a_malformed_table_is_refused_naming_its_field() -> None:
    with pytest.raises(InvalidInput) as raised:
        from_data({"principal": 1}, "disclosures[0].table")
    assert raised.value.field == "disclosures[0].table"


def test_the_version_in_force_is_the_latest_effective_on_the_day() -> None:
    v1 = DisclosureVersion(1, date(2026, 1, 15), table())
    v2 = DisclosureVersion(2, date(2026, 5, 1), table())
    assert in_force([v2, v1], date(2026, 4, 30)) is v1
    assert in_force([v1, v2], date(2026, 5, 1)) is v2
    assert in_force([v1, v2], date(2025, 12, 1)) is v1, "before every version: the first"
    assert in_force([], date(2026, 5, 1)) is None


@st.composite
def installment_terms(draw: st.DrawFn) -> LoanTerms:
    """Installment loans from one month after the start, large enough for a fine IRR
    (tests/strategies.py: APR_MIN_PRINCIPAL)."""
    return LoanTerms(
        principal=draw(st.integers(APR_MIN_PRINCIPAL, MAX_PRINCIPAL)),
        annual_rate=draw(rates),
        months=draw(st.integers(1, 360)),
        start_date=draw(start_dates),
        method=draw(st.sampled_from(INSTALLMENT_METHODS)),
    )


@CHEAP
@given(terms=installment_terms(), fee=st.integers(0, 50_000))
def test_the_all_in_rate_is_the_irr_of_the_disclosed_flows_and_never_below_the_contract_rate(
    terms: LoanTerms, fee: Fen
) -> None:
    schedule = build_schedule(terms)
    fees = [Charge(terms.start_date, fee, ChargeKind.FEE)] if fee else []
    found = disclose(terms, schedule, PenaltyRules(), fees=fees)
    # fen rounding moves the IRR by up to 1e-4 below the contract rate (tests/strategies.py)
    assert found.all_in_rate >= terms.annual_rate - Decimal("0.0001")
    assert found.total_cost == schedule.total_interest + fee
    extra = [(schedule.installments[0].due_date, fee)] if fee else []
    pv = present_value(flows_of(schedule, extra), terms.start_date, found.all_in_rate)
    assert abs(pv) <= terms.principal * 1e-5, "the rate is the IRR, to its 1e-6 rounding"
