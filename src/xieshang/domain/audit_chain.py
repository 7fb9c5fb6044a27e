"""The audit log's hash chain, as pure functions: canonical digests and the link hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, non-ASCII kept, dates and decimals as strings."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()


def link_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """The hash of one entry: SHA-256 over the previous hash and the entry's canonical fields."""
    return hashlib.sha256((prev_hash + canonical(dict(fields))).encode("utf-8")).hexdigest()
