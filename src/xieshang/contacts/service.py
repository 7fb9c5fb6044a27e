"""Before any contact: the conduct rules of the policy, with the facts from the bank's own books —
the local time, today's attempts on the channel from the contact log, whether an agreement is being
kept, whether a harassment complaint is open — and the message linter on what will be said. A
refused contact names its rule (409) and nothing is logged; an allowed one is logged and audited."""

from __future__ import annotations

from typing import NoReturn

from xieshang.audit.service import record
from xieshang.contacts import repository
from xieshang.contacts.reads import contact_read
from xieshang.contacts.schemas import ContactIn, ContactPage, ContactRead
from xieshang.domain.conduct import ContactRequest, Relation, check_contact, lint_message
from xieshang.domain.errors import Conflict, InvalidInput, NotFound
from xieshang.kit.access import authorize, require_customer_access
from xieshang.kit.context import Context
from xieshang.kit.repository import page_of
from xieshang.models.contact import ContactAttempt
from xieshang.policy.in_force import policy_in_force

HARASSMENT = "collection_conduct"
FINISHED = ("closed", "withdrawn")


REFUSED_INPUT = {
    "CONDUCT_THIRD_PARTY": "party",
    "CONDUCT_PLAN_PERFORMING": "purpose",
    "CONDUCT_COMPLAINT_OPEN": "purpose",
    "CONDUCT_ATTEMPTS": "channel",
}
"""The input a refusal is about, for a form to mark (a message linter finding: the message)."""


class ContactRefused(Conflict):
    """The conduct rules forbid this contact; ``rule`` names which, ``field`` the input at fault
    (none when the time of day is)."""

    def __init__(self, rule: str, detail: str) -> None:
        super().__init__(f"{rule}: {detail}")
        self.rule = rule
        self.field = "message" if rule.startswith("LINT_") else REFUSED_INPUT.get(rule)


def make_contact(ctx: Context, data: ContactIn) -> ContactRead:
    authorize(ctx, "contacts.create")
    if not repository.customer_exists(ctx, data.customer_id):
        raise NotFound("customer", data.customer_id)
    loans = _loans(ctx, data)
    conduct = policy_in_force(ctx).conduct
    now = ctx.now()
    local = ctx.local(now)
    day = local.date().isoformat()
    request = ContactRequest(
        at=local,
        channel=data.channel,
        relation=Relation(data.party),
        attempts_today_on_channel=repository.attempts_on(ctx, data.customer_id, data.channel, day),
        collection=data.purpose == "collection",
        plan_performing=bool(loans) and repository.any_performing_agreement(ctx, loans),
        harassment_complaint_open=repository.complaint_open_in(
            ctx, data.customer_id, HARASSMENT, FINISHED
        ),
        debtor_unreachable=data.debtor_unreachable,
    )
    refusal = check_contact(request, conduct.contact)
    if refusal is not None:
        _refuse(ctx, data, refusal.rule, refusal.detail)
    findings = lint_message(data.message, conduct.lint) if data.message else ()
    if findings:
        first = findings[0]
        _refuse(
            ctx,
            data,
            first.code,
            f"the message says {first.matched!r}: {first.why.en} Say instead: {first.rewording.en}",
        )
    row = ContactAttempt(
        customer_id=data.customer_id,
        loan_id=data.loan_id,
        agent_id=ctx.user_id,
        channel=data.channel,
        party=data.party,
        purpose=data.purpose,
        at=now,
        local_day=day,
        outcome=data.outcome,
        message=data.message,
        notes=data.notes,
    )
    ctx.session.add(row)
    ctx.session.flush()
    record(
        ctx,
        "contact.make",
        "customer",
        data.customer_id,
        after=data.model_dump(mode="json") | {"contact": row.id},
    )
    ctx.session.commit()
    return contact_read(ctx, row)


def _refuse(ctx: Context, data: ContactIn, rule: str, detail: str) -> NoReturn:
    """No contact is made or logged, but the refusal is audited (the rules at work, and each
    person's refusals for the supervisor's quality view), then refused."""
    record(
        ctx,
        "contact.refused",
        "customer",
        data.customer_id,
        details={"rule": rule, "channel": data.channel, "purpose": data.purpose},
    )
    ctx.session.commit()
    raise ContactRefused(rule, detail)


def contact_log(ctx: Context, customer_id: int, page: int = 1, page_size: int = 50) -> ContactPage:
    authorize(ctx, "contacts.list")
    require_customer_access(ctx.user, customer_id)
    if not repository.customer_exists(ctx, customer_id):
        raise NotFound("customer", customer_id)
    query = repository.contacts_query(customer_id)
    total, rows = page_of(ctx.session, query, page, page_size, ContactAttempt.id.desc())
    return ContactPage(
        items=[contact_read(ctx, r) for r in rows], total=total, page=page, page_size=page_size
    )


def _loans(ctx: Context, data: ContactIn) -> list[int]:
    """The loans the contact is about: the one named, else every loan of the customer."""
    if data.loan_id is not None:
        loan = repository.loan_by_id(ctx, data.loan_id)
        if loan is None or loan.customer_id != data.customer_id:
            raise InvalidInput("loan_id", f"customer {data.customer_id} has no loan {data.loan_id}")
        return [loan.id]
    return repository.loan_ids_of(ctx, data.customer_id)
