"""Encryption at rest for sensitive personal data: AES-256-GCM with key rotation.

Ciphertext layout: ``key_id`` length (1 byte) · ``key_id`` · 12-byte nonce · AES-GCM ciphertext+tag.
The first key in the keyring encrypts; any key in it decrypts, so keys rotate by putting a new key
first, re-encrypting (``rotate``), then retiring the old one. Lookup digests are HMAC-SHA256 under a
key derived from the settings' secret, so equal values can be found without decrypting.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from xieshang.domain.errors import XieshangError


class PiiKeyError(XieshangError):
    """A ciphertext names a key not in the keyring, or fails authentication."""


class PiiCipher:
    def __init__(self, keyring: list[tuple[str, bytes]], digest_secret: str) -> None:
        if not keyring:
            raise ValueError("the PII keyring is empty")
        self._current_id, current = keyring[0]
        self._keys = {key_id: AESGCM(raw) for key_id, raw in keyring}
        self._current = self._keys[self._current_id]
        self._digest_key = hashlib.sha256(b"xieshang-pii-digest:" + digest_secret.encode()).digest()
        del current

    def encrypt(self, plaintext: str) -> bytes:
        nonce = os.urandom(12)
        key_id = self._current_id.encode()
        sealed = self._current.encrypt(nonce, plaintext.encode("utf-8"), key_id)
        return bytes([len(key_id)]) + key_id + nonce + sealed

    def decrypt(self, blob: bytes) -> str:
        size = blob[0]
        key_id = blob[1 : 1 + size]
        nonce = blob[1 + size : 13 + size]
        key = self._keys.get(key_id.decode())
        if key is None:
            raise PiiKeyError(f"PII key {key_id.decode()!r} is not in the keyring")
        try:
            return key.decrypt(nonce, blob[13 + size :], key_id).decode("utf-8")
        except InvalidTag:
            raise PiiKeyError("PII ciphertext failed authentication") from None

    def key_id_of(self, blob: bytes) -> str:
        return blob[1 : 1 + blob[0]].decode()

    def rotate(self, blob: bytes) -> bytes:
        """Re-encrypt under the current key (a no-op if it already is)."""
        if self.key_id_of(blob) == self._current_id:
            return blob
        return self.encrypt(self.decrypt(blob))

    def digest(self, value: str) -> str:
        return hmac.new(self._digest_key, value.strip().encode("utf-8"), hashlib.sha256).hexdigest()
