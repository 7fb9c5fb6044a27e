"""The error tree. Errors are facts about the domain, named for what happened; no HTTP codes live
here (``web/errors.py`` maps each to a status and a problem type, ``…/problems/<kebab-name>``).

XieshangError
├── InvalidInput                a value from outside is malformed or out of range (names its field)
│   └── ScheduleError           loan terms that cannot produce a schedule
├── NotFound                    no such object, or one the caller may not see
├── NotAuthenticated            no valid credentials
├── PermissionDenied            the caller's role may not do this
├── TooManyAttempts             too many failed logins
└── Conflict                    the request collides with the current state of the data
    ├── VersionConflict         changed by someone else since the caller read it
    ├── IdempotencyConflict     an Idempotency-Key reused with a different request
    ├── AlreadyExists           a unique key is taken
    ├── LoginExists             the customer already has a login
    ├── OwnAccount              an administrator may not disable their own account
    ├── LastAdministrator       the last active administrator cannot be disabled
    ├── CaseClosed              the negotiation is finished
    ├── AgreementExists         the negotiation already has an agreement
    ├── AcceptedElsewhere       another request accepted the negotiation first
    ├── OfferNotLive            the offer is not in a state this action needs
    ├── OfferExpired            the offer's acceptance window has passed
    ├── EscalationPending       the offer already waits for a supervisor
    ├── LoanChanged             the loan changed since the offer was made
    ├── TermsNotRead            the consent names terms that are not the offer's
    ├── OfferOutdated           the offer no longer rebuilds to the schedule shown
    ├── PolicyDecided           the policy version was already approved or rejected
    ├── PolicyDatePassed        the version's effective date has passed
    ├── PolicyStale             another version was approved since the draft was written
    ├── PolicyOutOfOrder        the version would take effect before the one in force
    ├── PolicyNoLongerValid     the version no longer validates
    ├── TransitionRefused       a complaint cannot move from its status to the one asked
    ├── ComplaintStatus         the complaint's status does not allow this action
    ├── ComplaintPaused         the complaint's clock is paused
    ├── AlreadyPaused           the complaint's clock is already paused
    ├── NotPaused               the complaint's clock is not paused
    ├── AlreadyExtended         the complaint's deadline is already extended
    ├── ReviewPeriodOpen        the customer may still ask for a review
    ├── NoReviewOffered         this bank decides at head office: there is no review
    ├── TooManyAttachments      the complaint has as many attachments as it may
    ├── AlreadyAnswered         the survey invitation has its one answer
    └── InvitationExpired       the survey invitation can no longer be answered
"""

from __future__ import annotations

from datetime import date


class XieshangError(Exception):
    """Base of every error xieshang raises on purpose."""


class InvalidInput(XieshangError, ValueError):
    """A value from outside is malformed or out of range.

    ``field`` names the offending input (``"annual_rate"``, ``"payments[2].date"``) so that every
    interface can say which one, in one line.
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class ScheduleError(InvalidInput):
    """Loan terms that are each valid but cannot together produce a schedule."""


class NotFound(XieshangError):
    """No such object, or one the caller may not see (so ids leak nothing)."""

    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(f"{kind} {ident} not found")
        self.kind = kind
        self.ident = ident


class NotAuthenticated(XieshangError):
    """The request carries no valid credentials."""


class PermissionDenied(XieshangError):
    """The caller is known but their role may not do this."""


class TooManyAttempts(XieshangError):
    """Too many failed logins for this account in the window."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins; try again in {retry_after} seconds")
        self.retry_after = retry_after


class Conflict(XieshangError):
    """The request collides with the current state of the data."""


class VersionConflict(Conflict):
    """The object was changed by someone else since the caller read it."""


class IdempotencyConflict(Conflict):
    """The Idempotency-Key was already used with a different request body."""


class AlreadyExists(Conflict):
    """A unique key (customer number, loan number, username) is taken."""


class LoginExists(Conflict):
    """The customer already has a login."""

    def __init__(self, customer_id: int) -> None:
        super().__init__(f"customer {customer_id} already has a login")


class OwnAccount(Conflict):
    """An administrator may not disable their own account."""

    def __init__(self) -> None:
        super().__init__("you cannot disable your own account")


class LastAdministrator(Conflict):
    """The last active administrator cannot be disabled."""

    def __init__(self) -> None:
        super().__init__("this is the last active administrator")


class CaseClosed(Conflict):
    """The negotiation is finished: nothing more can be done in it."""

    def __init__(self, case_id: int, status: str) -> None:
        super().__init__(f"negotiation {case_id} is {status}")
        self.case_id = case_id
        self.status = status


class AgreementExists(Conflict):
    """The negotiation already has an agreement."""

    def __init__(self, case_id: int, agreement_id: int | None = None) -> None:
        which = f"agreement {agreement_id}" if agreement_id is not None else "an agreement"
        super().__init__(f"negotiation {case_id} already has {which}")
        self.case_id = case_id


class AcceptedElsewhere(Conflict):
    """Another request accepted the negotiation first."""

    def __init__(self, case_id: int) -> None:
        super().__init__(f"negotiation {case_id} was accepted by another request")
        self.case_id = case_id


class OfferNotLive(Conflict):
    """The offer is not in a state this action needs."""

    def __init__(self, offer_id: int, status: str, needed: str) -> None:
        super().__init__(f"offer {offer_id} is {status}: {needed}")
        self.offer_id = offer_id
        self.status = status


class OfferExpired(Conflict):
    """The offer's acceptance window has passed."""

    def __init__(self, offer_id: int, expired_on: date) -> None:
        super().__init__(f"offer {offer_id} expired on {expired_on}")
        self.offer_id = offer_id
        self.expired_on = expired_on


class EscalationPending(Conflict):
    """The offer already waits for a supervisor."""

    def __init__(self, offer_id: int) -> None:
        super().__init__(f"offer {offer_id} already waits for a supervisor")


class LoanChanged(Conflict):
    """The loan changed (a payment or a charge) since the offer was made."""

    def __init__(self, loan_no: str) -> None:
        super().__init__(
            f"loan {loan_no} changed since the offer was made (a payment or a charge): "
            "evaluate the case again"
        )


class TermsNotRead(Conflict):
    """The consent names a digest that is not the digest of the offer's terms."""

    def __init__(self, case_id: int, offer_id: int) -> None:
        super().__init__(
            f"terms_sha256 is not the digest of offer {offer_id}'s terms: read them again "
            f"(GET /api/v1/negotiations/{case_id}/offers/{offer_id}/terms)"
        )


class OfferOutdated(Conflict):
    """The offer no longer rebuilds to the schedule the customer was shown."""

    def __init__(self, offer_id: int) -> None:
        super().__init__(
            f"offer {offer_id} no longer rebuilds to the schedule shown: evaluate again"
        )


class PolicyDecided(Conflict):
    """The policy version was already approved or rejected."""

    def __init__(self, version: str, status: str) -> None:
        super().__init__(f"policy {version} was already {status}")


class PolicyDatePassed(Conflict):
    """The version's effective date has passed before it was approved."""

    def __init__(self, version: str, effective_from: date) -> None:
        super().__init__(
            f"{version} was to take effect on {effective_from}, which has passed; "
            "propose it again with a new effective date"
        )


class PolicyStale(Conflict):
    """Another version was approved since the draft was written: approving would undo it."""

    def __init__(self, version: str, based_on: str, latest: str) -> None:
        super().__init__(
            f"{version} was written against {based_on}, but {latest} has been approved since; "
            f"approving it would undo {latest}'s changes. Rebase the draft on the latest version "
            "and propose it again"
        )


class PolicyOutOfOrder(Conflict):
    """The version would take effect before the version it follows."""

    def __init__(self, version: str, base: str) -> None:
        super().__init__(f"{version} would take effect before {base}")


class PolicyNoLongerValid(Conflict):
    """The version no longer validates against the policy schema."""

    def __init__(self, version: str, where: str, problem: str) -> None:
        super().__init__(f"{version} no longer validates: {where}: {problem}")


class TransitionRefused(Conflict):
    """A complaint cannot move from its status to the one asked."""

    def __init__(self, current: str, target: str, options: str) -> None:
        super().__init__(
            f"a complaint that is {current} cannot become {target}; allowed: {options}"
        )


class ComplaintStatus(Conflict):
    """The complaint's status does not allow this action."""

    def __init__(self, complaint_id: int, status: str, why: str = "") -> None:
        super().__init__(f"complaint {complaint_id} is {status}" + (f": {why}" if why else ""))
        self.status = status


class ComplaintPaused(Conflict):
    """The complaint's clock is paused: resume it first."""

    def __init__(self, complaint_id: int) -> None:
        super().__init__(f"complaint {complaint_id} is paused: resume its clock before deciding")


class AlreadyPaused(Conflict):
    """The complaint's clock is already paused."""

    def __init__(self, complaint_id: int, since: date) -> None:
        super().__init__(f"complaint {complaint_id} is already paused since {since}")


class NotPaused(Conflict):
    """The complaint's clock is not paused."""

    def __init__(self, complaint_id: int) -> None:
        super().__init__(f"complaint {complaint_id} is not paused")


class AlreadyExtended(Conflict):
    """The complaint's deadline is already extended as far as asked."""

    def __init__(self, complaint_id: int, extension: str) -> None:
        super().__init__(f"complaint {complaint_id} is already extended ({extension})")


class ReviewPeriodOpen(Conflict):
    """The customer may still ask for a review: the complaint cannot close yet."""

    def __init__(self, complaint_id: int, until: date) -> None:
        super().__init__(
            f"the customer may ask for a review until {until}: close complaint {complaint_id} after that"
        )


class NoReviewOffered(Conflict):
    """This bank's decisions are made at head office: there is no review to ask for."""

    def __init__(self) -> None:
        super().__init__("this bank's decisions are made at head office: no review is offered")


class TooManyAttachments(Conflict):
    """The complaint has as many attachments as it may."""

    def __init__(self, complaint_id: int, most: int) -> None:
        super().__init__(f"complaint {complaint_id} already has {most} attachments")


class AlreadyAnswered(Conflict):
    """The survey invitation has its one answer."""

    def __init__(self, invitation_id: int) -> None:
        super().__init__(f"survey invitation {invitation_id} is already answered")


class InvitationExpired(Conflict):
    """The survey invitation can no longer be answered."""

    def __init__(self, invitation_id: int, expired: object) -> None:
        super().__init__(f"survey invitation {invitation_id} expired on {expired}")
