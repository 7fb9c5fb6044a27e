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
