"""The error tree. Errors are facts about the domain; no HTTP codes live here.

XieshangError
└── InvalidInput            a value from outside is malformed or out of range (names its field)
    └── ScheduleError       loan terms that cannot produce a schedule
"""


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
