"""The demo portfolio: every loan state, valid and encrypted personal data, working logins."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session, selectinload, sessionmaker

from xieshang.audit.service import verify
from xieshang.auth.service import login
from xieshang.cli.service import demo_contact
from xieshang.complaints.statistics import complaint_statistics
from xieshang.contacts.worklist import worklist
from xieshang.customers.schemas import valid_id_number, with_check_character
from xieshang.demo import names
from xieshang.demo import people as demo
from xieshang.demo.plans import LoanState, state_of
from xieshang.demo.seed import DEMO_PASSWORD, SeedSummary, seed_demo
from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.errors import AlreadyExists, InvalidInput
from xieshang.feedback.quality import quality_report
from xieshang.jobs import close_of_business
from xieshang.kit.config import Environment, Settings
from xieshang.kit.context import Context, FixedClock, make_cipher
from xieshang.loans.ledger import to_ledger
from xieshang.models import Agreement, AuditEntry, Customer, Loan, User
from xieshang.models.complaint import Complaint
from xieshang.models.feedback import SurveyResponse
from xieshang.models.loan import LoanStatus
from xieshang.web.ui.pages.landing import DEMO_LOGINS

AS_OF = date(2026, 11, 28)
AS_OF_NOON = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


@pytest.fixture
def seeded(ctx: Context, clock: FixedClock) -> SeedSummary:
    """The demo portfolio of 25 customers: about two seconds, so its tests are marked slow."""
    clock.current = AS_OF_NOON
    return seed_demo(ctx, as_of=AS_OF, customers=25)


def _states(ctx: Context) -> dict[int, list[tuple[int, LoanState]]]:
    """customer id → (loan id, state as of AS_OF) for every loan, recomputed from the database."""
    loans = ctx.session.scalars(
        select(Loan).options(
            selectinload(Loan.product),
            selectinload(Loan.installments),
            selectinload(Loan.transactions),
        )
    ).all()
    found: dict[int, list[tuple[int, LoanState]]] = {}
    for loan in loans:
        ledger = ledger_as_of(to_ledger(loan), AS_OF)
        if loan.status is LoanStatus.PAID_OFF:
            assert ledger.outstanding_principal == 0
            state = LoanState.PAID_OFF
        else:
            state = state_of(ledger.days_past_due)
        found.setdefault(loan.customer_id, []).append((loan.id, state))
    return found


@pytest.mark.slow  # seeds the demo portfolio (25 customers, three months of work)
def test_every_loan_state_is_present_audited_and_counted_as_reported(
    ctx: Context, seeded: SeedSummary
) -> None:
    assert seeded.customers == 25
    by_state = seeded.by_state()
    assert all(by_state[state] > 0 for state in LoanState), by_state
    assert sum(by_state.values()) == seeded.loans
    # The counts are as built; a loan that then got an agreement is current on its new schedule.
    agreed = set(ctx.session.scalars(select(Agreement.loan_id)))
    assert seeded.negotiations is not None
    assert seeded.activity is not None
    assert seeded.negotiations.agreements == 2
    assert len(agreed) == seeded.negotiations.agreements + seeded.activity.agreements
    kinds = Counter(ctx.session.scalars(select(Agreement.kind)))
    assert kinds["due_date_change"] == 1, "customer1's own: another due date on a current loan"
    recount = Counter(state for loans in _states(ctx).values() for _, state in loans)
    assert sum(recount.values()) == seeded.loans
    moved = {s: n for s, n in by_state.items() if n}
    assert recount[LoanState.CURRENT] >= moved[LoanState.CURRENT] + 1, "the agreements' loans"
    assert len(ctx.session.scalars(select(Customer)).all()) == 25
    assert seeded.negotiations.offered + seeded.negotiations.pending_approval >= 1
    complaints = ctx.session.scalars(select(Complaint)).all()
    assert len(complaints) == 3 + seeded.activity.complaints
    waiting = [c for c in complaints if c.status == "received"]
    assert len(waiting) == 3, "the staff queues have complaints to show"
    assert {c.channel for c in waiting} == {"phone"}
    assert {c.category for c in waiting} >= {"collection_conduct"}

    # A couple of loans are restructured in the seed, each with its audit row.
    flagged = ctx.session.scalars(
        select(Loan).where(Loan.restructured.is_(True), Loan.id.not_in(agreed))
    ).all()
    assert len(flagged) == seeded.restructured == 2
    assert all(loan.observation_until and loan.observation_until > AS_OF for loan in flagged)
    audited = ctx.session.scalars(
        select(AuditEntry.subject_id).where(AuditEntry.action == "loan.restructure")
    ).all()
    assert sorted(audited) == sorted(str(loan.id) for loan in flagged)

    report = verify(ctx.session)
    assert report.intact, report
    assert report.checked > seeded.loans + seeded.payments
    assert seeded.activity.contacts == 0, "no contacts without the collection service passed in"

    with pytest.raises(AlreadyExists, match="already has data"):
        seed_demo(ctx, as_of=AS_OF, customers=25)


@pytest.mark.slow  # seeds the demo portfolio (25 customers, three months of work)
def test_personal_data_is_valid_and_encrypted_and_every_demo_login_works(
    ctx: Context, seeded: SeedSummary
) -> None:
    customers = ctx.session.scalars(select(Customer)).all()
    clear: list[str] = []
    for customer in customers:
        id_number = ctx.cipher.decrypt(customer.id_number_enc)
        phone = ctx.cipher.decrypt(customer.phone_enc)
        assert valid_id_number(id_number), id_number
        assert re.fullmatch(r"1\d{10}", phone)
        assert customer.bank_account_enc is not None
        card = ctx.cipher.decrypt(customer.bank_account_enc)
        assert demo.luhn_digit(card[:-1]) == card[-1]
        districts = next(
            c.districts
            for c in names.CITIES
            if (c.province, c.name) == (customer.province, customer.city)
        )
        assert customer.address.startswith(tuple(d.name for d in districts)), customer.address
        clear += [id_number, phone, card]
    assert len(set(clear)) == len(clear), "ID, phone and card numbers are unique"
    raw = b""
    for row in ctx.session.execute(text("SELECT * FROM customers")):
        for value in row:
            raw += bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
    assert not [value for value in clear if value.encode() in raw]

    assert set(seeded.usernames) == {name for name, _ in DEMO_LOGINS}, "the landing page lists them"
    assert {"customer1", "customer2"} <= set(seeded.usernames)
    users = {u.username: u for u in ctx.session.scalars(select(User)).all()}
    assert {users[name].role.value for name in seeded.usernames} == {
        "customer",
        "agent",
        "supervisor",
        "compliance",
        "admin",
    }
    states = _states(ctx)
    customer1 = users["customer1"].customer_id
    assert customer1 is not None
    mine = {state for _, state in states[customer1]}
    assert LoanState.CURRENT in mine
    assert mine & {LoanState.DPD_1_30, LoanState.DPD_31_90, LoanState.DPD_90_PLUS}
    assert users["customer2"].customer_id not in (None, customer1)
    for username in seeded.usernames:
        issued = login(ctx, username, DEMO_PASSWORD)
        assert issued.user.username == username


def test_bad_arguments_are_refused(ctx: Context, clock: FixedClock) -> None:
    clock.current = AS_OF_NOON
    with pytest.raises(InvalidInput, match="customers"):
        seed_demo(ctx, as_of=AS_OF, customers=2)
    with pytest.raises(InvalidInput, match="as_of"):
        seed_demo(ctx, as_of=date(2026, 11, 29))


def test_the_same_seed_gives_the_same_customers(
    connection: Connection,
    sessions: sessionmaker[Session],
    settings: Settings,
    clock: FixedClock,
) -> None:
    clock.current = AS_OF_NOON
    runs: list[list[tuple[str, str, str]]] = []
    summaries: list[SeedSummary] = []
    for seed in (7, 7, 8):
        savepoint = connection.begin_nested()
        session = sessions()
        ctx = Context(session, settings, make_cipher(settings), clock)
        summaries.append(seed_demo(ctx, as_of=AS_OF, customers=5, seed=seed))
        customers = session.scalars(select(Customer).order_by(Customer.customer_no)).all()
        runs.append([(c.name, c.city, ctx.cipher.decrypt(c.id_number_enc)) for c in customers])
        session.close()
        savepoint.rollback()
    assert runs[0] == runs[1]
    assert summaries[0] == summaries[1]
    assert runs[0] != runs[2]


def test_check_characters() -> None:
    assert with_check_character("11010519491231002") == "11010519491231002X"
    assert demo.luhn_digit("7992739871") == "3"


def test_demo_data_is_never_created_in_production(ctx: Context) -> None:
    from xieshang.domain.errors import PermissionDenied

    ctx.settings = ctx.settings.model_copy(
        update={
            "environment": Environment.PRODUCTION,
            "secret_key": "x" * 40,
            "pii_keys": "p:" + "A" * 43 + "=",
        }
    )
    with pytest.raises(PermissionDenied, match="never created in production"):
        seed_demo(ctx, as_of=date(2026, 6, 1), customers=5)


@pytest.mark.slow  # seeds the demo portfolio (25 customers, three months of work)
def test_the_demo_agent_and_supervisor_have_worklists_to_order(
    ctx: Context, seeded: SeedSummary
) -> None:

    ctx.user = ctx.session.scalar(select(User).where(User.username == "agent1"))
    work = worklist(ctx)
    assert len(work.cases) >= 2, "several cases wait for an agent"
    assert len({c.days_past_due for c in work.cases}) >= 2, "their risk differs"
    assert len({c.complaint.due for c in work.complaints}) == 3, "so do the complaints' deadlines"
    assert all(c.days_left >= 0 for c in work.complaints), "none overdue on the demo's day"
    ctx.user = ctx.session.scalar(select(User).where(User.username == "supervisor1"))
    escalated = [c for c in worklist(ctx).cases if c.escalation_reason]
    assert [c.escalation_reason for c in escalated] == ["vulnerable_customer"]


@pytest.mark.slow  # the full demo (60 customers) and a close of business over it
def test_the_demo_staff_have_three_months_of_work_to_measure(
    ctx: Context, clock: FixedClock, sessions: sessionmaker[Session], settings: Settings
) -> None:
    """The full demo (60 customers, closed for the day as ``xieshang demo`` does): the supervisor's
    quality rows and the complaint statistics have figures, and the audit chain holds."""
    clock.current = AS_OF_NOON
    seeded = seed_demo(ctx, as_of=AS_OF, customers=60, contact=demo_contact)
    ctx.session.commit()
    report = close_of_business.run(sessions, settings, AS_OF, clock=clock)
    assert not report.failures
    assert seeded.activity is not None
    assert seeded.activity.agreements >= 5
    assert seeded.activity.contacts >= 4
    assert seeded.activity.contacts_refused == 1
    ctx.session.expire_all()

    users = {u.username: u for u in ctx.session.scalars(select(User))}
    ctx.user = users["supervisor1"]
    quarter = quality_report(ctx, AS_OF - timedelta(days=89), AS_OF)
    people = {p.username: p for p in quarter.people}
    assert {"agent1", "agent2", "supervisor1"} <= set(people)
    agent1, agent2 = people["agent1"], people["agent2"]
    assert agent1.offers_approved >= 1
    assert agent2.offers_approved >= 1
    assert agent1.agreements_broken >= 1, "one plan was never paid: the close of business broke it"
    assert agent1.agreements - agent1.agreements_broken >= 1, "and at least one is kept"
    assert agent1.keep_rate is not None
    assert "0" < agent1.keep_rate < "1"
    assert agent2.offers_adjusted >= 1
    assert agent2.offers_escalated >= 1
    assert people["supervisor1"].offers_approved >= 1
    assert people["supervisor1"].complaints_decided == 0
    for agent in (agent1, agent2):
        assert agent.complaints_decided > agent.complaints_on_time > 0, "most on time, one late"
        assert agent.contacts_made >= 2
        assert agent.survey_answers >= 1
    assert agent2.contacts_refused == 1
    assert agent1.complaints_reviewed + agent2.complaints_reviewed == 1
    assert agent1.complaints_changed_on_review + agent2.complaints_changed_on_review == 1
    assert any(p.csat_average for p in quarter.people)

    month = {p.username: p for p in quality_report(ctx).people}  # the team page's default
    assert month["agent1"].agreements >= 1
    assert month["agent1"].complaints_decided >= 1
    assert month["agent2"].contacts_made >= 1
    assert month["agent2"].survey_answers >= 1

    comments = ctx.session.scalars(select(SurveyResponse.comment)).all()
    assert len(comments) == seeded.activity.survey_answers >= 5
    assert any(re.search(r"[\u4e00-\u9fff]", c) for c in comments), "comments in Chinese"
    refusals = ctx.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "contact.refused")
    ).all()
    assert len(refusals) == 1
    assert refusals[0].actor.startswith(f"user:{users['agent2'].id}")

    ctx.user = users["compliance1"]
    stats = complaint_statistics(ctx, AS_OF - timedelta(days=89), AS_OF)
    assert stats.received == 3 + seeded.activity.complaints
    assert len(stats.by_category) >= 6
    assert set(stats.by_channel) >= {"app", "web", "phone"}
    assert len(stats.by_root_cause) >= 5
    assert len({d.isocalendar()[1] for d in stats.received_on}) >= 10, "a weekly series with shape"
    decided = ctx.session.scalars(select(Complaint).where(Complaint.decided_on.is_not(None))).all()
    days = [(c.decided_on, c.decision_due) for c in decided if c.decided_on is not None]
    assert len(days) == len(decided)
    assert {on <= due for on, due in days} == {True, False}, "most on time, some late"
    assert all(on < AS_OF for on, _ in days)
    assert {c.status for c in decided} >= {"closed", "notified"}

    chain = verify(ctx.session)
    assert chain.intact, chain
