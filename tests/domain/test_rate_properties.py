"""Property tests of rates: percentages parse exactly, a bare rate above one is refused, and the
APR is the contract rate unless a fee raises it.

Every property is checked against an independent computation (the stdlib calendar, a sum over the
inputs, a threshold table) rather than against the code under test wherever one exists. Properties
that the code does not hold today are kept as strict ``xfail`` tests whose reason starts with
``BUG:``, so that a fix turns them into failures that ask for the marker to be removed. The
strategies are in tests/strategies.py.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.strategies import (
    CHEAP,
    bare_above_one,
    examples,
    plain_terms,
)
from xieshang.domain.errors import InvalidInput
from xieshang.domain.rates import apr, parse_rate
from xieshang.domain.schedule import (
    LoanTerms,
    build_schedule,
)

# ---------------------------------------------------------------------------------------------
# 10. Rates parse exactly
# ---------------------------------------------------------------------------------------------


@CHEAP
@given(p=st.decimals(min_value=0, max_value=100, places=4))
def test_a_percentage_parses_to_exactly_its_hundredth(p: Decimal) -> None:
    assert parse_rate(f"{p}%") == p / 100
    assert parse_rate(f" {p} % ") == p / 100


@CHEAP
@given(text=bare_above_one)
def test_a_bare_rate_above_one_is_always_refused(text: str) -> None:
    assert Decimal(text) > 1
    with pytest.raises(InvalidInput) as raised:
        parse_rate(text)
    assert raised.value.field == "rate"


@settings(max_examples=examples(10), deadline=None)
@given(zeros=st.integers(27, 60))
@example(zeros=27)
def test_a_bare_rate_just_above_one_written_with_many_digits_is_refused(zeros: int) -> None:
    text = "1." + "0" * zeros + "1"
    assert Decimal(text) > 1
    with pytest.raises(InvalidInput):
        parse_rate(text)


# ---------------------------------------------------------------------------------------------
# 11. APR
# ---------------------------------------------------------------------------------------------


@CHEAP
@given(terms=plain_terms())
def test_the_apr_of_a_plain_equal_installment_loan_is_its_contract_rate(terms: LoanTerms) -> None:
    schedule = build_schedule(terms)
    assert abs(apr(schedule.cash_flows(), terms.start_date) - terms.annual_rate) <= Decimal(
        "0.0001"
    )


@CHEAP
@given(terms=plain_terms(), data=st.data())
def test_an_upfront_fee_makes_the_apr_strictly_higher(
    terms: LoanTerms, data: st.DataObject
) -> None:
    schedule = build_schedule(terms)
    fee = data.draw(
        st.integers(max(1, terms.principal // 1_000), terms.principal // 10), label="fee"
    )
    flows = schedule.cash_flows()
    with_fee = [(terms.start_date, -(terms.principal - fee)), *flows[1:]]
    assert apr(with_fee, terms.start_date) > apr(flows, terms.start_date)
