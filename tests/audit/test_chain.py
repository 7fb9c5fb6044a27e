"""The audit chain holds, and any altered, deleted or out-of-order row is found and named."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select, text

from tests import factories
from xieshang.audit.service import record, verify
from xieshang.kit.context import Context
from xieshang.models.audit import AuditEntry


@pytest.fixture
def chain(ctx: Context) -> list[AuditEntry]:
    factories.product(ctx)
    owner = factories.customer(ctx)
    factories.loan(ctx, owner)
    for n in range(5):
        record(ctx, "test.event", "thing", n, after={"n": n})
    ctx.session.commit()
    return list(ctx.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def test_an_untouched_chain_verifies(ctx: Context, chain: list[AuditEntry]) -> None:
    report = verify(ctx.session)
    assert report.intact
    assert report.checked == len(chain) >= 8


def test_each_entry_links_to_the_one_before(chain: list[AuditEntry]) -> None:
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.hash
        assert after.seq == before.seq + 1


def test_an_altered_row_is_named(ctx: Context, chain: list[AuditEntry]) -> None:
    target = chain[4]
    ctx.session.execute(
        text("UPDATE audit_log SET actor = 'user:999:mallory' WHERE seq = :seq"),
        {"seq": target.seq},
    )
    ctx.session.expire_all()
    report = verify(ctx.session)
    assert not report.intact
    assert report.first_broken_seq == target.seq
    assert report.reason == "its content does not match its hash"


def test_a_rehashed_forgery_breaks_the_next_link(ctx: Context, chain: list[AuditEntry]) -> None:
    """Someone who recomputes the altered row's own hash still breaks the link to the next row."""
    target = chain[3]
    ctx.session.execute(
        text("UPDATE audit_log SET hash = :forged WHERE seq = :seq"),
        {"forged": "f" * 64, "seq": target.seq},
    )
    ctx.session.expire_all()
    report = verify(ctx.session)
    assert report.first_broken_seq == target.seq


def test_a_deleted_row_is_found_where_the_gap_is(ctx: Context, chain: list[AuditEntry]) -> None:
    gone = chain[2].seq
    ctx.session.execute(text("DELETE FROM audit_log WHERE seq = :seq"), {"seq": gone})
    ctx.session.expire_all()
    report = verify(ctx.session)
    assert not report.intact
    assert report.first_broken_seq == gone + 1
    assert report.reason == f"expected entry {gone}, found {gone + 1}"


def test_rows_swapped_out_of_order_are_found(ctx: Context, chain: list[AuditEntry]) -> None:
    first, second = chain[5].seq, chain[6].seq
    ctx.session.execute(text("UPDATE audit_log SET seq = -1 WHERE seq = :s"), {"s": first})
    ctx.session.execute(
        text("UPDATE audit_log SET seq = :a WHERE seq = :b"), {"a": first, "b": second}
    )
    ctx.session.execute(text("UPDATE audit_log SET seq = :b WHERE seq = -1"), {"b": second})
    ctx.session.expire_all()
    report = verify(ctx.session)
    assert report.first_broken_seq == first
    assert report.reason == "does not link to the entry before it"


def test_a_row_inserted_into_the_middle_is_found(ctx: Context, chain: list[AuditEntry]) -> None:
    """An attacker shifts later rows up by one and slips in a forged entry with a valid-looking link."""
    at = chain[4].seq
    for entry in reversed(chain[4:]):
        ctx.session.execute(
            text("UPDATE audit_log SET seq = seq + 1 WHERE seq = :s"), {"s": entry.seq}
        )
    forged = AuditEntry(
        seq=at,
        at=chain[3].at,
        actor="user:1:admin",
        action="loan.payment",
        subject_type="loan",
        subject_id="1",
        before_digest=None,
        after_digest=None,
        policy_version=None,
        details="{}",
        prev_hash=chain[3].hash,
        hash="0" * 64,
    )
    ctx.session.add(forged)
    ctx.session.flush()
    ctx.session.expire_all()
    report = verify(ctx.session)
    assert not report.intact
    assert report.first_broken_seq == at


def test_every_change_made_through_a_service_is_audited(
    ctx: Context, chain: list[AuditEntry]
) -> None:
    actions = [entry.action for entry in chain]
    assert actions[:3] == ["product.create", "customer.create", "loan.create"]
    assert all(entry.after_digest for entry in chain[:3])
