"""A loan's cost disclosure table (明示表, 金规〔2026〕2号 — UNVERIFIED) through the service and the API:
version 1 at booking, the next when an agreement changes the terms, a backfill for loans booked
before tables were kept; a customer reads only their own; a dispute reconciles against it."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from tests import factories
from tests.customer_side import agree
from tests.web.test_api_basics import World, token
from xieshang.kit.context import Context
from xieshang.loans import service
from xieshang.loans.service import require_loan
from xieshang.models.negotiation import NegotiationCase
from xieshang.models.user import Role
from xieshang.negotiations import disputes


@pytest.fixture
def world(ctx: Context) -> World:
    factories.product(ctx)
    owner, other = factories.customer(ctx), factories.customer(ctx)
    loan, other_loan = factories.loan(ctx, owner), factories.loan(ctx, other)
    users = {role: factories.user(ctx, role) for role in (Role.AGENT, Role.SUPERVISOR)}
    users[Role.CUSTOMER] = factories.user(ctx, Role.CUSTOMER, customer_id=owner.id)
    ctx.session.commit()
    return World(owner, other, loan, other_loan, users)


def test_a_booked_loan_has_version_1_of_its_table(client: TestClient, world: World) -> None:
    headers = token(client, world.users[Role.CUSTOMER].username)
    response = client.get(f"/api/v1/loans/{world.loan.id}/disclosure", headers=headers)
    assert response.status_code == 200, response.text
    table = response.json()
    assert (table["version"], table["event"], table["in_force"]) == (1, "booked", True)
    assert table["effective_date"] == "2026-01-15"
    assert table["rule"] == "金规〔2026〕2号 (UNVERIFIED)"
    assert table["total_cost"] == "549.89"
    assert abs(float(table["all_in_rate"]) - 0.10) < 1e-4
    kinds = {line["kind"]: line for line in table["lines"]}
    assert set(kinds) == {"interest", "penalty", "compound", "fee", "late_fee"}
    assert Decimal(kinds["penalty"]["annual_rate"]) == Decimal("0.15")
    assert kinds["penalty"]["collector"] == "bank"
    assert kinds["fee"]["charged"] is False
    assert kinds["penalty"]["name_zh"] == "罚息"
    assert "综合融资成本" in table["summary_zh"]
    assert len(table["digest"]) == 64


def test_a_customer_cannot_read_another_customers_table(client: TestClient, world: World) -> None:
    headers = token(client, world.users[Role.CUSTOMER].username)
    for url in ("disclosure", "disclosure/versions"):
        response = client.get(f"/api/v1/loans/{world.other_loan.id}/{url}", headers=headers)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
    staff = token(client, world.users[Role.AGENT].username)
    assert client.get(f"/api/v1/loans/{world.other_loan.id}/disclosure", headers=staff).is_success


def test_an_unknown_version_is_404_and_a_bad_one_422(client: TestClient, world: World) -> None:
    headers = token(client, world.users[Role.AGENT].username)
    url = f"/api/v1/loans/{world.loan.id}/disclosure"
    missing = client.get(url, params={"version": 7}, headers=headers)
    assert missing.status_code == 404
    assert missing.json()["type"].endswith("/not-found")
    assert client.get(url, params={"version": 0}, headers=headers).status_code == 422
    assert client.get(url, params={"version": 1}, headers=headers).json()["version"] == 1


def test_an_agreement_writes_the_next_version_and_keeps_the_first(ctx: Context) -> None:
    factories.product(ctx)
    owner = factories.customer(ctx)
    loan = factories.loan(ctx, owner, start_date=date(2026, 6, 1))  # up to date: a due-date change
    first = service.disclosure_versions(ctx, loan.id)[0]
    agree(ctx, require_loan(ctx, loan.id))
    versions = service.disclosure_versions(ctx, loan.id)
    assert [(v.version, v.event) for v in versions] == [(1, "booked"), (2, "agreement")]
    assert versions[0].digest == first.digest, "a version is never changed"
    assert versions[1].in_force
    assert not versions[0].in_force
    assert versions[1].effective_date > versions[0].effective_date
    assert service.loan_disclosure(ctx, loan.id).version == 2
    assert service.loan_disclosure(ctx, loan.id, 1).digest == first.digest


def test_the_backfill_gives_loans_without_a_table_their_versions(ctx: Context) -> None:
    factories.product(ctx)
    owner = factories.customer(ctx)
    plain = factories.loan(ctx, owner)
    changed = factories.loan(ctx, owner, start_date=date(2026, 6, 1))
    agree(ctx, require_loan(ctx, changed.id))
    expected = {
        loan_id: [v.digest for v in service.disclosure_versions(ctx, loan_id)]
        for loan_id in (plain.id, changed.id)
    }
    for loan_id in expected:
        for row in require_loan(ctx, loan_id).disclosures:
            ctx.session.delete(row)
    ctx.session.commit()
    ctx.session.expire_all()
    assert service.backfill_disclosures(ctx) == 2
    assert service.backfill_disclosures(ctx) == 0, "once only"
    ctx.session.expire_all()
    for loan_id, digests in expected.items():
        versions = service.disclosure_versions(ctx, loan_id)
        assert [v.event for v in versions] == ["backfill"] * len(digests)
        assert [v.digest for v in versions] == digests, "the same tables as written at the time"


@pytest.fixture
def two_loans(ctx: Context) -> tuple[int, int]:
    """Two loans booked when penalty interest was disclosed at the contract rate + 30 %; then one
    product was changed to + 50 %, and the ledger charges its loan at that."""
    factories.product(ctx, "STEADY", penalty_markup="0.3")
    factories.product(ctx, "CHANGED", penalty_markup="0.3")
    owner = factories.customer(ctx)
    steady, changed = (
        factories.loan(
            ctx, owner, code, principal="12000.00", annual_rate="12%", start_date=date(2026, 1, 1)
        )
        for code in ("STEADY", "CHANGED")
    )
    require_loan(ctx, changed.id).product.penalty_markup = "0.5"
    ctx.session.commit()
    return steady.id, changed.id


def test_a_dispute_refunds_penalty_charged_above_the_disclosed_rate(
    ctx: Context, two_loans: tuple[int, int]
) -> None:
    steady, changed = two_loans
    over = disputes.open_dispute(ctx, changed, ["1:penalty"], None).evaluation.dispute
    assert over is not None
    (line,) = over.lines
    assert line.verdict == "overcharged"
    assert line.refund != "0.00"
    cause = next(r for r in line.reasons if r.code == "DISPUTE_CAUSE_ABOVE_DISCLOSED")
    assert cause.params["version"] == "1"
    assert "第1版综合融资成本明示表" in cause.text_zh
    assert "罚息年利率 15.60%" in cause.text_zh, "12 % × 1.3"
    assert "Version 1 of the cost disclosure table" in cause.text_en

    fine = disputes.open_dispute(ctx, steady, ["1:penalty"], None).evaluation.dispute
    assert fine is not None
    assert fine.refund_due == "0.00"
    assert fine.lines[0].verdict == "correct"


def test_the_case_snapshot_carries_the_table_it_was_decided_on(
    ctx: Context, two_loans: tuple[int, int]
) -> None:
    """So a re-evaluation, or anyone replaying the decision later, reconciles against the same
    table, whatever happens to the stored rows."""
    _, changed = two_loans
    case = disputes.open_dispute(ctx, changed, ["1:penalty"], None)
    row = ctx.session.get(NegotiationCase, case.id)
    assert row is not None
    (carried,) = json.loads(row.input_snapshot)["loan"]["disclosures"]
    (stored,) = require_loan(ctx, changed).disclosures
    assert (carried["version"], carried["digest"]) == (1, stored.digest)
