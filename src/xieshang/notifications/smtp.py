"""E-mail over SMTP (smtplib): UTF-8 subject and body, the language in ``Content-Language``."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from xieshang.kit.config import Settings
from xieshang.notifications.channels import EMAIL, DeliveryFailed, OutgoingMessage

CONTENT_LANGUAGE = {"zh": "zh-CN", "en": "en"}


@dataclass
class SmtpChannel:
    host: str
    port: int
    sender: str
    username: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 10.0
    name: str = EMAIL

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpChannel:
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            timeout=settings.smtp_timeout_seconds,
        )

    def compose(self, message: OutgoingMessage) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(localtime=False, usegmt=True)
        mail["Message-ID"] = make_msgid(idstring=message.reference, domain=self._domain())
        mail["X-Xieshang-Reference"] = message.reference
        mail.set_content(message.body, charset="utf-8")  # replaces any Content-* header: first
        mail["Content-Language"] = CONTENT_LANGUAGE.get(message.language, message.language)
        return mail

    def send(self, message: OutgoingMessage) -> str:
        mail = self.compose(message)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as server:
                if self.starttls:
                    server.starttls(context=ssl.create_default_context())
                if self.username:
                    server.login(self.username, self.password)
                server.send_message(mail)
        except smtplib.SMTPRecipientsRefused as refused:
            code, text = next(iter(refused.recipients.values()))
            reason = _reply("recipient refused", code, text)
            raise DeliveryFailed(reason, permanent=code >= 500) from None
        except smtplib.SMTPResponseException as error:
            raise DeliveryFailed(
                _reply("server refused", error.smtp_code, error.smtp_error),
                permanent=error.smtp_code >= 500,
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(f"cannot reach {self.host}:{self.port}: {error}") from None
        return f"accepted by {self.host}:{self.port} as {mail['Message-ID']}"

    def _domain(self) -> str:
        return self.sender.rpartition("@")[2] or "localhost"


def _reply(what: str, code: int, text: bytes | str) -> str:
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{what}: {code} {' '.join(said.split())}"[:280]
