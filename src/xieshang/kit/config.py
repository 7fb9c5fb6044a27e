"""Settings: one object, read from the environment (``XIESHANG_*``) only when asked, never at import.

Outside development, placeholder secrets are refused: a bank must set its own token secret and PII
encryption keys.
"""

from __future__ import annotations

import base64
import enum
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "development-only-secret-change-me"
# 32 zero bytes: obviously a placeholder, accepted only in development and demo mode.
DEV_PII_KEY = "k0:" + base64.b64encode(bytes(32)).decode()


class Environment(enum.StrEnum):
    DEVELOPMENT = "development"
    DEMO = "demo"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="XIESHANG_", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = "sqlite:///xieshang.kit.db"
    secret_key: str = DEV_SECRET
    pii_keys: str = Field(
        default=DEV_PII_KEY,
        description="Comma-separated 'key_id:base64(32 bytes)'; the first encrypts, all decrypt (rotation).",
    )
    token_ttl_minutes: int = Field(default=60, ge=1, le=24 * 60)
    login_attempts_per_window: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=300, ge=1)
    timezone: str = "Asia/Shanghai"
    # Argon2id cost (RFC 9106's second recommended option: t=3, 64 MiB). Tests lower it for speed;
    # production refuses anything weaker than the defaults.
    argon2_time_cost: int = Field(default=3, ge=1, le=10)
    argon2_memory_kib: int = Field(default=65536, ge=8, le=1_048_576)
    # E-mail over SMTP for notifications; an empty host leaves e-mail unconfigured (deliveries fail
    # with that reason and the inbox still has every message).
    smtp_host: str = ""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = Field(default="xieshang@localhost", pattern=r"^[^@\s]+@[^@\s]+$")
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    sms_adapter: Literal["log"] = "log"
    """Only ``log`` so far: SMS are recorded, not sent, until a gateway adapter is added."""

    @field_validator("pii_keys")
    @classmethod
    def _keys_parse(cls, value: str) -> str:
        parse_pii_keys(value)
        return value

    @model_validator(mode="after")
    def _no_placeholders_outside_development(self) -> Settings:
        if self.environment is Environment.PRODUCTION:
            if self.secret_key == DEV_SECRET or len(self.secret_key) < 32:
                raise ValueError(
                    "XIESHANG_SECRET_KEY must be set to a random value of 32+ characters"
                )
            if DEV_PII_KEY.split(":", 1)[1] in self.pii_keys:
                raise ValueError("XIESHANG_PII_KEYS must not use the development key")
            if self.argon2_time_cost < 3 or self.argon2_memory_kib < 65536:
                raise ValueError("Argon2 cost below t=3, m=64 MiB is for tests only")
        return self

    @property
    def pii_keyring(self) -> list[tuple[str, bytes]]:
        return parse_pii_keys(self.pii_keys)

    @property
    def demo(self) -> bool:
        return self.environment is Environment.DEMO


def parse_pii_keys(text: str) -> list[tuple[str, bytes]]:
    keys: list[tuple[str, bytes]] = []
    for part in text.split(","):
        key_id, _, encoded = part.strip().partition(":")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except ValueError:
            raise ValueError(f"PII key {key_id!r} is not base64") from None
        if not key_id or len(raw) != 32:
            raise ValueError(f"PII key {key_id!r} must be 'id:base64' of 32 bytes (AES-256)")
        keys.append((key_id, raw))
    if len({key_id for key_id, _ in keys}) != len(keys):
        raise ValueError("PII key ids must be unique")
    return keys
