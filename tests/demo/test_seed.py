"""The demo portfolio: every loan state, valid and encrypted personal data, working logins."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session, selectinload, sessionmaker

from xieshang.audit.service import verify
from xieshang.auth.service import login
from xieshang.collection.workbench import worklist
from xieshang.config import Environment, Settings
from xieshang.context import Context, FixedClock, make_cipher
from xieshang.customers.schemas import valid_id_number, with_check_character
from xieshang.demo import names
from xieshang.demo import seed as demo
from xieshang.demo.seed import DEMO_PASSWORD, LoanState, SeedSummary, seed_demo, state_of
from xieshang.domain.accrual import ledger_as_of
from xieshang.errors import AlreadyExists, InvalidInput
from xieshang.loans.service import to_ledger
from xieshang.models import Agreement, AuditEntry, Customer, Loan, User
from xieshang.models.complaint import Complaint
from xieshang.models.loan import LoanStatus
from xieshang.web.ui.pages.landing import DEMO_LOGINS

AS_OF = date(2026, 11, 28)
AS_OF_NOON = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


@pytest.fixture
def seeded(ctx: Context, clock: FixedClock) -> SeedSummary:
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
    assert len(agreed) == seeded.negotiations.agreements == 2
    kinds = Counter(ctx.session.scalars(select(Agreement.kind)))
    assert kinds["due_date_change"] == 1, "customer1's own: another due date on a current loan"
    recount = Counter(state for loans in _states(ctx).values() for _, state in loans)
    assert sum(recount.values()) == seeded.loans
    moved = {s: n for s, n in by_state.items() if n}
    assert recount[LoanState.CURRENT] == moved[LoanState.CURRENT] + len(agreed) - 1
    assert len(ctx.session.scalars(select(Customer)).all()) == 25
    assert seeded.negotiations.offered + seeded.negotiations.pending_approval >= 1
    complaints = ctx.session.scalars(select(Complaint)).all()
    assert len(complaints) == 3, "the staff queues have complaints to show"
    assert {c.category for c in complaints} >= {"collection_conduct"}

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

    with pytest.raises(AlreadyExists, match="already has data"):
        seed_demo(ctx, as_of=AS_OF, customers=25)


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
    from xieshang.errors import PermissionDenied

    ctx.settings = ctx.settings.model_copy(
        update={
            "environment": Environment.PRODUCTION,
            "secret_key": "x" * 40,
            "pii_keys": "p:" + "A" * 43 + "=",
        }
    )
    with pytest.raises(PermissionDenied, match="never created in production"):
        seed_demo(ctx, as_of=date(2026, 6, 1), customers=5)


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
