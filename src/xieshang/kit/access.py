"""Who may do what — the one place that decides.

``OPERATIONS`` names every operation a person can ask for and the roles that may; services call
:func:`authorize` with the operation's name, and every API route carries the same name, so a test can
walk every route × role and a route without a rule fails it. Object rules: a customer sees only their
own customer record and what hangs off it; anyone else's answers "not found", exactly as for an id
that does not exist, so ids leak nothing. Internal callers (the CLI, nightly jobs) act as the system
and pass role checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xieshang.domain.errors import NotFound, PermissionDenied
from xieshang.models.user import STAFF_ROLES, Role, User

if TYPE_CHECKING:
    from xieshang.kit.context import Context

A, S, C, ADM, CUST = Role.AGENT, Role.SUPERVISOR, Role.COMPLIANCE, Role.ADMIN, Role.CUSTOMER
EVERYONE = frozenset(Role)
STAFF = STAFF_ROLES

PUBLIC_OPERATIONS = frozenset({"health", "auth.token", "landing"})

OPERATIONS: dict[str, frozenset[Role]] = {
    "me": EVERYONE,
    "auth.revoke": EVERYONE,
    "customers.list": STAFF,
    "customers.get": EVERYONE,
    "customers.update": frozenset({A, S, ADM, CUST}),
    # Unmasked personal data: supervisors and compliance for investigations, a customer their own.
    "customers.pii": frozenset({S, C, CUST}),
    "customers.loans": EVERYONE,
    "loans.list": STAFF,
    "loans.get": EVERYONE,
    "loans.statement": EVERYONE,
    # The cost disclosure table (明示表): a customer their own loan's, staff any.
    "loans.disclosure": EVERYONE,
    "loans.disclosure.versions": EVERYONE,
    "loans.payments.create": frozenset({A, S, ADM}),
    "audit.verify": frozenset({C, ADM}),
    # A customer negotiates for themselves, an agent or supervisor for a customer.
    "negotiations.create": frozenset({CUST, A, S}),
    "negotiations.get": EVERYONE,
    "negotiations.reevaluate": frozenset({A, S}),
    "negotiations.list": EVERYONE,
    # Staff decide offers that need a person; four-eyes is checked on the offer itself.
    "negotiations.approve": frozenset({A, S}),
    "negotiations.reject": frozenset({A, S}),
    "negotiations.adjust": frozenset({A, S}),
    # An agent sends an offer up to a supervisor with a reason (fraud, vulnerability, authority).
    "negotiations.escalate": frozenset({A}),
    # The staff workbench: a case with the customer's masked picture, the ledger, the engine's
    # recommendation and every reason; the worklist of cases and complaints by deadline and risk.
    "workbench.case": frozenset({A, S}),
    "workbench.worklist": frozenset({A, S}),
    # A customer seen whole (looked up when they phone in): masked, for staff who serve or oversee.
    "workbench.customer": frozenset({A, S, C}),
    "negotiations.decline": frozenset({CUST, A, S}),
    "negotiations.counter": frozenset({CUST, A, S}),
    "negotiations.call_me": frozenset({CUST, A, S}),
    "negotiations.terms": EVERYONE,
    # The customer consents; an agent or supervisor may record consent given by phone or in branch.
    "negotiations.accept": frozenset({CUST, A, S}),
    # A customer reads their own agreements and the terms they consented to; staff any.
    "agreements.list": EVERYONE,
    "agreements.get": EVERYONE,
    "reports.portfolio": frozenset({S, C, ADM}),
    # Quality and outcomes per member of staff: supervisors manage with it, compliance oversees.
    "reports.quality": frozenset({S, C, ADM}),
    "policy.read": frozenset({S, C, ADM}),
    "policy.get": frozenset({S, C, ADM}),
    # Four eyes: compliance proposes a policy version; another compliance officer or an admin decides.
    "policy.propose": frozenset({C}),
    "policy.approve": frozenset({C, ADM}),
    "policy.reject": frozenset({C, ADM}),
    # A customer reads their own inbox; staff see what a customer was told and how it went out.
    "notifications.inbox": frozenset({CUST}),
    "notifications.read": frozenset({CUST}),
    "notifications.list": STAFF,
    # A customer answers their own surveys; supervisors run campaigns; both read the scores.
    "surveys.mine": frozenset({CUST}),
    "surveys.answer": frozenset({CUST}),
    "surveys.campaigns.create": frozenset({S, ADM}),
    "surveys.report": frozenset({S, C}),
    # Agents check a message before sending it; supervisors and compliance review scripts (话术).
    "conduct.lint": STAFF,
    # Agents and supervisors contact customers (after the conduct rules); compliance reads the log.
    "contacts.create": frozenset({A, S}),
    "contacts.list": frozenset({A, S, C}),
    # Complaints: a customer files, follows, adds facts and evidence, asks for a review, withdraws —
    # their own only; agents and supervisors handle; a review (核查) and a special extension are a
    # supervisor's (投诉办法 第十八、二十条); the regulator's statistics are compliance's and admin's.
    "complaints.create": frozenset({CUST, A, S}),
    "complaints.list": EVERYONE,
    "complaints.queue": frozenset({A, S, C}),
    "complaints.get": STAFF,
    "complaints.timeline": EVERYONE,
    "complaints.acknowledge": frozenset({A, S}),
    "complaints.investigate": frozenset({A, S}),
    "complaints.assign": frozenset({A, S}),
    "complaints.note": frozenset({A, S, C}),
    "complaints.classify": frozenset({A, S, C}),
    "complaints.extend": frozenset({A, S}),
    "complaints.pause": frozenset({A, S}),
    "complaints.resume": frozenset({A, S}),
    "complaints.new_facts": frozenset({CUST, A, S}),
    "complaints.decide": frozenset({A, S}),
    "complaints.notify": frozenset({A, S}),
    "complaints.review_request": frozenset({CUST, A, S}),
    "complaints.review_decide": frozenset({S}),
    "complaints.close": frozenset({A, S}),
    "complaints.withdraw": frozenset({CUST, A, S}),
    "complaints.attachments.create": frozenset({CUST, A, S}),
    "complaints.attachments.get": EVERYONE,
    "complaints.statistics": frozenset({C, ADM}),
    # Logins: administrators open, disable and reset them; everyone changes their own password.
    "users.list": frozenset({ADM}),
    "users.create": frozenset({ADM}),
    "users.disable": frozenset({ADM}),
    "users.enable": frozenset({ADM}),
    "users.password": frozenset({ADM}),
    "me.password": EVERYONE,
    "jobs.run": frozenset({ADM}),
    "jobs.status": frozenset({C, ADM}),
    "imports.run": frozenset({ADM}),
    "pii.rotate": frozenset({ADM}),
}
NON_API_OPERATIONS = frozenset(
    {
        "imports.run",
        "pii.rotate",
        "jobs.run",
        "workbench.case",
        "workbench.worklist",
        "workbench.customer",
    }
)
"""Operations with no API route (yet): the CLI and jobs call them."""


def authorize(ctx: Context, operation: str) -> None:
    """Refuse if the caller's role may not perform ``operation`` (the system always may)."""
    allowed = OPERATIONS[operation]
    if ctx.user is not None and ctx.user.role not in allowed:
        raise PermissionDenied(f"the {ctx.user.role.value} role may not do {operation}")


def require_customer_access(
    user: User | None, customer_id: int, kind: str = "customer", ident: object = None
) -> None:
    """Staff see every customer; a customer only their own (others are 'not found')."""
    if user is not None and user.role is Role.CUSTOMER and user.customer_id != customer_id:
        raise NotFound(kind, ident if ident is not None else customer_id)
