"""Idempotency keys: a repeated POST with the same key and body gets the first answer back.

The record is written in the same transaction as the change it answers, so a crash leaves either
both or neither. The same key with a different body is a conflict.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select

from xieshang.context import Context
from xieshang.errors import IdempotencyConflict, InvalidInput
from xieshang.models.idempotency import IdempotencyRecord

MAX_KEY_LENGTH = 128


def request_digest(scope: str, body: Any) -> str:
    payload = json.dumps(
        {"scope": scope, "body": body}, sort_keys=True, default=str, ensure_ascii=False
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput("Idempotency-Key", f"must be 1–{MAX_KEY_LENGTH} printable characters")
    return key


def replay(ctx: Context, key: str, digest: str) -> tuple[int, Any] | None:
    """The stored (status, body) for this key, or None; a different request under it is a conflict."""
    assert ctx.user is not None
    found = ctx.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == ctx.user.id, IdempotencyRecord.key == key
        )
    )
    if found is None:
        return None
    if found.request_digest != digest:
        raise IdempotencyConflict("this Idempotency-Key was already used with a different request")
    return found.status_code, json.loads(found.response_body)


def remember(ctx: Context, key: str, digest: str, status: int, body: Any) -> None:
    assert ctx.user is not None
    ctx.session.add(
        IdempotencyRecord(
            user_id=ctx.user.id,
            key=key,
            request_digest=digest,
            status_code=status,
            response_body=json.dumps(body, ensure_ascii=False, default=str),
            created_at=ctx.now(),
        )
    )
