"""What every use case needs: a session, the settings, the PII cipher, the clock and the actor."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from xieshang.kit.config import Settings
from xieshang.kit.pii import PiiCipher
from xieshang.models.user import Role, User


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock for tests and replays: it says what it is told."""

    current: datetime

    def now(self) -> datetime:
        return self.current


@dataclass
class Context:
    session: Session
    settings: Settings
    cipher: PiiCipher
    clock: Clock = field(default_factory=SystemClock)
    user: User | None = None

    @property
    def actor(self) -> str:
        return f"user:{self.user.id}:{self.user.username}" if self.user else "system"

    @property
    def user_id(self) -> int | None:
        """Who is acting, for the ``…_by`` columns; None for the bank's own jobs."""
        return self.user.id if self.user else None

    @property
    def role(self) -> Role | None:
        return self.user.role if self.user else None

    def now(self) -> datetime:
        return self.clock.now()

    def local(self, moment: datetime) -> datetime:
        """A moment in the bank's timezone (Asia/Shanghai by default), as the API shows times."""
        return moment.astimezone(ZoneInfo(self.settings.timezone))

    def today(self) -> date:
        return self.local(self.now()).date()


def make_cipher(settings: Settings) -> PiiCipher:
    return PiiCipher(settings.pii_keyring, settings.secret_key)
