"""Idempotency keys: a repeated POST with the same key and body gets the first answer back.

The record is written in the same transaction as the change it answers, so a crash leaves either
both or neither. The same key with a different body is a conflict.

Concurrent requests with one key: :func:`once` claims the key first (its row, not yet committed);
PostgreSQL makes every other insert of that key wait on the unique index until the first request
commits — then they read its answer and replay it — or rolls back, and the next one does the work.
SQLite's one writer at a time serialises them before they look. Never a 500.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError

from xieshang.domain.errors import IdempotencyConflict, InvalidInput
from xieshang.kit.context import Context
from xieshang.kit.repository import idempotency_record
from xieshang.models.idempotency import IdempotencyRecord

MAX_KEY_LENGTH = 128
Answer = TypeVar("Answer", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Answered(Generic[Answer]):
    """What a use case under :func:`once` did: its answer, and whether it is the stored answer to an
    earlier request with the same key (``replayed``) rather than the work done now."""

    answer: Answer
    replayed: bool = False


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


def once(
    ctx: Context,
    key: str | None,
    digest: str,
    work: Callable[[], Answer],
    answer: type[Answer],
) -> Answered[Answer]:
    """Do ``work`` (flush only) and commit, once per ``key``: the answer, or, for a repeat of the
    same request, the first answer, replayed. Claim the key before anything else is written:
    a lost race rolls the session back, and so does a failure of ``work``."""
    claimed = None if key is None else _claim(ctx, key, digest)
    if claimed is not None and claimed.status_code:  # answered before: replay it
        return Answered(answer.model_validate_json(claimed.response_body), replayed=True)
    try:
        result = work()
    except BaseException:
        ctx.session.rollback()  # nothing of a failed request stays, its claim on the key included
        raise
    if claimed is not None:
        claimed.status_code = 201  # the record's "answered" mark (a column named for HTTP)
        claimed.response_body = result.model_dump_json()
    ctx.session.commit()
    return Answered(result)


def _claim(ctx: Context, key: str, digest: str) -> IdempotencyRecord:
    """The key's record: the stored answer (``status_code`` set), or a new flushed claim whose
    status is 0 until this request's answer is written beside its change."""
    stored = _stored(ctx, key, digest)
    if stored is not None:
        return stored
    assert ctx.user is not None
    row = IdempotencyRecord(
        user_id=ctx.user.id,
        key=key,
        request_digest=digest,
        status_code=0,
        response_body="",
        created_at=ctx.now(),
    )
    ctx.session.add(row)
    try:
        ctx.session.flush()
    except IntegrityError:  # a concurrent request with this key committed first
        ctx.session.rollback()
        stored = _stored(ctx, key, digest)
        if stored is None:
            raise
        return stored
    return row


def _stored(ctx: Context, key: str, digest: str) -> IdempotencyRecord | None:
    """The committed record of this key, or None; a different request under it is a conflict."""
    assert ctx.user is not None
    found = idempotency_record(ctx.session, ctx.user.id, key)
    if found is None:
        return None
    if found.request_digest != digest:
        raise IdempotencyConflict("this Idempotency-Key was already used with a different request")
    return found
