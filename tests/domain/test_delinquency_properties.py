"""Property tests of delinquency: classification and buckets never improve as days past due
grow.

Every property is checked against an independent computation (the stdlib calendar, a sum over the
inputs, a threshold table) rather than against the code under test wherever one exists. Properties
that the code does not hold today are kept as strict ``xfail`` tests whose reason starts with
``BUG:``, so that a fix turns them into failures that ask for the marker to be removed. The
strategies are in tests/strategies.py.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import (
    CHEAP,
    thresholds,
)
from xieshang.domain.delinquency import (
    CARD_THRESHOLDS,
    LOAN_THRESHOLDS,
    Buckets,
    Classification,
    ClassificationThresholds,
)

# ---------------------------------------------------------------------------------------------
# 9. Classification and buckets are monotone
# ---------------------------------------------------------------------------------------------

RANK = {c: i for i, c in enumerate(Classification)}


@CHEAP
@given(
    table=thresholds() | st.sampled_from([LOAN_THRESHOLDS, CARD_THRESHOLDS]),
    days=st.lists(st.integers(0, 2_000), min_size=2, max_size=6),
    restructured=st.booleans(),
)
def test_classification_never_improves_as_days_past_due_grow(
    table: ClassificationThresholds, days: list[int], restructured: bool
) -> None:
    days.sort()
    ranks = [RANK[table.classify(d, restructured=restructured)] for d in days]
    assert ranks == sorted(ranks)
    cuts = [0, table.special_mention, table.substandard, table.doubtful, table.loss]
    for d, rank in zip(days, ranks, strict=True):
        expected = max(i for i, cut in enumerate(cuts) if d >= cut)
        if restructured:
            expected = max(expected, RANK[table.restructured_floor])
        assert rank == expected, d


def bucket_rank(name: str) -> int:
    return int(name.removeprefix("M").removesuffix("+")) + name.endswith("+")


@CHEAP
@given(
    width=st.integers(1, 90),
    last=st.integers(1, 12),
    days=st.lists(st.integers(0, 2_000), min_size=2, max_size=6),
)
def test_delinquency_buckets_never_go_down_as_days_past_due_grow(
    width: int, last: int, days: list[int]
) -> None:
    buckets = Buckets(width, last)
    days.sort()
    names = [buckets.bucket(d) for d in days]
    ranks = [bucket_rank(n) for n in names]
    assert ranks == sorted(ranks)
    for d, name in zip(days, names, strict=True):
        months = -(-d // width)  # ceil
        assert name == ("M0" if d == 0 else f"M{last}+" if months > last else f"M{months}")
