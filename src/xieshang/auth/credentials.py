"""What a username and a password must be, and how passwords are hashed (Argon2id) and checked."""

from __future__ import annotations

import functools
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from xieshang.domain.errors import InvalidInput
from xieshang.kit.config import Settings

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 12
"""At least 12 characters, as NIST SP 800-63B §3.1.1.2 recommends for passwords a person chooses
(it asks for at least 8, and 15 where a password is the only factor); no composition rules."""


@functools.cache
def _hasher(time_cost: int, memory_kib: int) -> tuple[PasswordHasher, str]:
    """The Argon2id hasher for these costs, and a real hash of a random string to verify against
    when the username is unknown, so that timing does not tell which usernames exist."""
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
    return hasher, hasher.hash(secrets.token_hex(16))


def _hasher_for(settings: Settings) -> tuple[PasswordHasher, str]:
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_kib)


def hash_password(settings: Settings, password: str) -> str:
    return _hasher_for(settings)[0].hash(password)


def verify_password(settings: Settings, password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``. Without a hash (an unknown username) a real
    hash is checked all the same, and the answer is no."""
    hasher, dummy = _hasher_for(settings)
    try:
        return (
            hasher.verify(dummy if password_hash is None else password_hash, password)
            and password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def check_username(username: str) -> None:
    if not USERNAME.match(username):
        raise InvalidInput(
            "username", "use 3–64 lower-case letters, digits, '.', '_' or '-', starting with one"
        )


def check_password(password: str, username: str, field: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(field, f"must have at least {MIN_PASSWORD} characters")
    if username.lower() in password.lower():
        raise InvalidInput(field, "must not contain the username")
    if len(set(password)) < 4:
        raise InvalidInput(field, "is too repetitive")
