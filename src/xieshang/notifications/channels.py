"""Channels behind one interface: each takes a rendered message and an address and sends it, or says
why it could not. The in-app inbox needs no sending (the stored notification is the inbox item);
e-mail goes over SMTP (:mod:`xieshang.notifications.email`); SMS through an adapter whose default
only records what would be sent."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

from xieshang.domain.errors import XieshangError
from xieshang.domain.masking import mask_phone

INBOX, EMAIL, SMS = "inbox", "email", "sms"
OUTBOUND = (EMAIL, SMS)


@dataclass(frozen=True)
class OutgoingMessage:
    to: str
    """The address in clear (decrypted just before sending, never stored in clear)."""
    subject: str
    body: str
    language: str
    reference: str
    """Our id for the message, e.g. ``notification-42``: a header in e-mail, a log field for SMS."""


class DeliveryFailed(XieshangError):
    """A channel could not send a message. ``permanent``: retrying will not help (a refused address,
    an unconfigured channel); otherwise the delivery job tries again later."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Channel(Protocol):
    name: str

    def send(self, message: OutgoingMessage) -> str:
        """Send, returning the receipt to record (the server's answer); raise DeliveryFailed."""
        ...


@dataclass
class LogOnlySms:
    """The default SMS adapter: records what would be sent (in the delivery's outcome and the log),
    sends nothing. A bank plugs in its SMS gateway by providing another ``Channel`` named ``sms``."""

    name: str = SMS
    logged: list[OutgoingMessage] = field(default_factory=list)

    def send(self, message: OutgoingMessage) -> str:
        self.logged.append(message)
        to = mask_phone(message.to)
        logging.getLogger("xieshang.sms").info(
            "SMS not sent (log-only adapter) %s to %s: %s", message.reference, to, message.body
        )
        return f"logged, not sent (log-only SMS adapter): {len(message.body)} characters to {to}"


@dataclass
class Unconfigured:
    """A channel the settings do not configure: every message fails, permanently, saying so."""

    name: str
    setting: str

    def send(self, message: OutgoingMessage) -> str:
        raise DeliveryFailed(f"{self.name} is not configured (set {self.setting})", permanent=True)
