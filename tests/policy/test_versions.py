"""Policy versions: proposed complete and valid, decided by a second person, in force from their
effective date — and every service then reads the version in force."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from tests import factories
from xieshang.domain.errors import Conflict, InvalidInput, PermissionDenied
from xieshang.kit.context import Context, FixedClock
from xieshang.models.audit import AuditEntry
from xieshang.models.negotiation import NegotiationEvaluation
from xieshang.models.user import Role, User
from xieshang.negotiations.schemas import NegotiationCreate
from xieshang.negotiations.service import open_case
from xieshang.policy import service
from xieshang.policy.document import PolicyInvalid, default_text, load_policy
from xieshang.policy.in_force import in_force, policy_in_force
from xieshang.policy.schemas import PolicyDecision, PolicyProposal

TODAY = date(2026, 6, 20)  # the fixed clock's day in Shanghai


def draft(version: str, effective: date, waiver: str = "15000.00", base: str | None = None) -> str:
    text = base or default_text()
    text = text.replace('version: "2026.1"', f'version: "{version}"')
    text = text.replace("effective_from: 2026-01-01", f"effective_from: {effective}")
    return text.replace('    max_waiver: "10000.00"', f'    max_waiver: "{waiver}"')


def as_user(ctx: Context, user: User) -> Context:
    return Context(ctx.session, ctx.settings, ctx.cipher, ctx.clock, user)


@pytest.fixture
def people(ctx: Context) -> dict[str, Context]:
    users = {
        "proposer": factories.user(ctx, Role.COMPLIANCE),
        "second": factories.user(ctx, Role.COMPLIANCE),
        "admin": factories.user(ctx, Role.ADMIN),
        "agent": factories.user(ctx, Role.AGENT),
        "supervisor": factories.user(ctx, Role.SUPERVISOR),
    }
    ctx.session.commit()
    return {name: as_user(ctx, user) for name, user in users.items()}


def proposal(text: str, note: str = "agents may waive more") -> PolicyProposal:
    return PolicyProposal(text=text, note=note)


def test_the_shipped_policy_is_in_force_until_a_version_is_approved(ctx: Context) -> None:
    current = in_force(ctx)
    assert current.version_id is None
    assert current.policy.version == "2026.1"
    assert current.policy.digest == load_policy().digest
    listing = service.list_versions(ctx)
    assert listing.in_force.version == "2026.1"
    assert listing.in_force.version_id is None
    assert listing.versions == []


def test_a_draft_is_refused_with_every_problem_a_used_version_or_a_past_date(
    people: dict[str, Context],
) -> None:
    compliance = people["proposer"]
    bad = draft("2026.2", TODAY, waiver="lots").replace("offer_valid_days: 7", "offer_valid_day: 7")
    with pytest.raises(PolicyInvalid) as refused:
        service.propose(compliance, proposal(bad))
    fields = [where for where, _ in refused.value.problems]
    assert fields == ["offer_valid_day", "authority.agent.max_waiver"], fields
    with pytest.raises(InvalidInput, match="shipped policy") as shipped:
        service.propose(compliance, proposal(draft("2026.1", TODAY)))
    assert shipped.value.field == "version"
    with pytest.raises(InvalidInput, match="in the past") as past:
        service.propose(compliance, proposal(draft("2026.2", TODAY - timedelta(days=1))))
    assert past.value.field == "effective_from"
    service.propose(compliance, proposal(draft("2026.2", TODAY)))
    with pytest.raises(InvalidInput, match="already exists"):
        service.propose(compliance, proposal(draft("2026.2", TODAY + timedelta(days=3))))


def test_only_compliance_proposes_and_only_compliance_or_admin_decides(
    people: dict[str, Context],
) -> None:
    text = draft("2026.2", TODAY)
    for role in ("agent", "supervisor", "admin"):
        with pytest.raises(PermissionDenied):
            service.propose(people[role], proposal(text))
    proposed = service.propose(people["proposer"], proposal(text))
    for role in ("agent", "supervisor"):
        with pytest.raises(PermissionDenied):
            service.approve(people[role], proposed.id, PolicyDecision(note="ok"))
        with pytest.raises(PermissionDenied):
            service.reject(people[role], proposed.id, PolicyDecision(note="no"))


def test_four_eyes_the_proposer_cannot_decide_their_own_proposal(
    ctx: Context, people: dict[str, Context]
) -> None:
    proposed = service.propose(people["proposer"], proposal(draft("2026.2", TODAY)))
    assert proposed.status == proposed.standing == "proposed"
    assert proposed.based_on == "2026.1"
    assert proposed.changes == [
        "changed authority.agent.max_waiver: 10000.00 → 15000.00",
        "changed effective_from: 2026-01-01 → 2026-06-20",
        "changed version: 2026.1 → 2026.2",
    ]
    for decide in (service.approve, service.reject):
        with pytest.raises(PermissionDenied, match="four-eyes"):
            decide(people["proposer"], proposed.id, PolicyDecision(note="mine"))
    approved = service.approve(people["second"], proposed.id, PolicyDecision(note="checked"))
    assert approved.status == "approved"
    assert approved.standing == "in_force"  # effective today
    assert approved.proposed_by == people["proposer"].user.username  # type: ignore[union-attr]
    assert approved.decided_by == people["second"].user.username  # type: ignore[union-attr]
    with pytest.raises(Conflict, match="already approved"):
        service.reject(people["admin"], proposed.id, PolicyDecision(note="too late"))
    actions = ctx.session.scalars(
        select(AuditEntry.action).where(AuditEntry.subject_type == "policy_version")
    ).all()
    assert actions == ["policy.proposed", "policy.approved"]


def test_a_rejected_proposal_stays_in_the_history_and_changes_nothing(
    ctx: Context, people: dict[str, Context]
) -> None:
    proposed = service.propose(people["proposer"], proposal(draft("2026.2", TODAY)))
    rejected = service.reject(people["admin"], proposed.id, PolicyDecision(note="not now"))
    assert (rejected.status, rejected.decision_note) == ("rejected", "not now")
    assert policy_in_force(ctx).version == "2026.1"
    (listed,) = service.list_versions(ctx).versions
    assert listed.standing == "rejected"


def test_an_approved_version_takes_effect_on_its_date_and_new_cases_record_it(
    ctx: Context, clock: FixedClock, people: dict[str, Context]
) -> None:
    tomorrow = TODAY + timedelta(days=1)
    proposed = service.propose(people["proposer"], proposal(draft("2026.2", tomorrow)))
    approved = service.approve(people["admin"], proposed.id, PolicyDecision(note="checked"))
    assert approved.standing == "scheduled"
    assert policy_in_force(ctx).version == "2026.1"
    assert policy_in_force(ctx).authority.agent.max_waiver == 1_000_000  # fen
    factories.product(ctx)
    loan = factories.loan(ctx, factories.customer(ctx))
    ctx.session.commit()
    before = open_case(ctx, _case(loan.id, TODAY))

    clock.current += timedelta(days=1)
    current = in_force(ctx)
    assert (current.policy.version, current.version_id) == ("2026.2", proposed.id)
    assert current.policy.authority.agent.max_waiver == 1_500_000
    assert current.policy.digest == proposed.digest
    after = open_case(ctx, _case(loan.id, tomorrow))
    recorded = dict(
        ctx.session.execute(
            select(NegotiationEvaluation.case_id, NegotiationEvaluation.policy_version)
        ).all()
    )
    assert recorded == {before.id: "2026.1", after.id: "2026.2"}
    digest = ctx.session.scalar(
        select(NegotiationEvaluation.policy_digest).where(NegotiationEvaluation.case_id == after.id)
    )
    assert digest == proposed.digest
    listing = service.list_versions(ctx)
    assert listing.in_force.version_id == proposed.id
    assert [v.standing for v in listing.versions] == ["in_force"]


def test_approval_refuses_a_passed_date_and_a_draft_written_on_an_older_version(
    ctx: Context, clock: FixedClock, people: dict[str, Context]
) -> None:
    first = service.propose(people["proposer"], proposal(draft("2026.2", TODAY)))
    second = service.propose(
        people["proposer"], proposal(draft("2026.3", TODAY + timedelta(days=5), waiver="12000.00"))
    )
    assert second.based_on == "2026.1"
    service.approve(people["second"], first.id, PolicyDecision(note="checked"))
    with pytest.raises(Conflict, match=r"would undo 2026\.2"):
        service.approve(people["second"], second.id, PolicyDecision(note="checked"))
    rebased = draft("2026.4", TODAY + timedelta(days=5), waiver="12000.00")
    third = service.propose(people["proposer"], proposal(rebased))
    assert third.based_on == "2026.2"
    clock.current += timedelta(days=6)
    with pytest.raises(Conflict, match="has passed"):
        service.approve(people["second"], third.id, PolicyDecision(note="late"))


def test_a_nightly_loop_asks_the_database_once_a_day(
    ctx: Context, people: dict[str, Context]
) -> None:
    proposed = service.propose(people["proposer"], proposal(draft("2026.2", TODAY)))
    service.approve(people["second"], proposed.id, PolicyDecision(note="checked"))
    with _counting(ctx) as statements:
        policies = {id(policy_in_force(ctx)) for _ in range(1000)}
    assert len(policies) == 1
    assert len(statements) <= 2  # the version in force, and its text the first time it is parsed
    with _counting(ctx) as statements:
        in_force(ctx, TODAY - timedelta(days=30))
        in_force(ctx, TODAY - timedelta(days=30))
    assert len(statements) == 1
    assert in_force(ctx, TODAY - timedelta(days=30)).version_id is None


def _case(loan_id: int, as_of: date) -> NegotiationCreate:
    return NegotiationCreate.model_validate(
        {
            "loan_id": loan_id,
            "as_of": as_of.isoformat(),
            "finances": {
                "verified_income": "7000.00",
                "stated_income": "7000.00",
                "essential_expenses": "4000.00",
                "other_debt_service": "1000.00",
            },
            "request": {"scenario": "hardship"},
        }
    )


@contextmanager
def _counting(ctx: Context) -> Iterator[list[str]]:
    statements: list[str] = []
    bind = ctx.session.connection()

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    event.listen(bind, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(bind, "before_cursor_execute", count)
