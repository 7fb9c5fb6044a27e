"""E-mail over SMTP against a real server on loopback: headers, UTF-8 subject and body in zh-CN and
en, refusals and an unreachable server reported as reasons."""

from __future__ import annotations

import pytest

from tests.notifications.conftest import SmtpServer, free_port
from xieshang.notifications.channels import DeliveryFailed, OutgoingMessage
from xieshang.notifications.smtp import SmtpChannel


def channel(server: SmtpServer) -> SmtpChannel:
    return SmtpChannel(server.host, server.port, "notices@bank.example")


def message(to: str, language: str, subject: str, body: str) -> OutgoingMessage:
    return OutgoingMessage(to, subject, body, language, "notification-7")


def test_a_chinese_message_arrives_with_its_subject_and_body_intact(
    smtp_server: SmtpServer,
) -> None:
    body = "您的贷款 L0001 第 3 期应于 2026-07-15 还款 ¥879.16。如已还款，请忽略本提醒。"
    receipt = channel(smtp_server).send(
        message("zhang.wei@example.com", "zh", "还款提醒：2026-07-15 应还 ¥879.16", body)
    )
    (mail,) = smtp_server.inbox.messages
    assert mail["Subject"] == "还款提醒：2026-07-15 应还 ¥879.16"
    assert mail["From"] == "notices@bank.example"
    assert mail["To"] == "zhang.wei@example.com"
    assert mail["Content-Language"] == "zh-CN"
    assert mail["X-Xieshang-Reference"] == "notification-7"
    assert str(mail["Message-ID"]).strip().endswith(".notification-7@bank.example>")
    assert mail["Date"]
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    assert mail.get_content().strip() == body
    assert smtp_server.inbox.envelopes == [("notices@bank.example", ["zhang.wei@example.com"])]
    assert receipt.startswith(f"accepted by 127.0.0.1:{smtp_server.port} as <")


def test_an_english_message_says_it_is_english(smtp_server: SmtpServer) -> None:
    channel(smtp_server).send(
        message("li.na@example.com", "en", "Reminder: ¥879.16 due on 2026-07-15", "Please pay.")
    )
    (mail,) = smtp_server.inbox.messages
    assert mail["Subject"] == "Reminder: ¥879.16 due on 2026-07-15"
    assert mail["Content-Language"] == "en"
    assert mail.get_content().strip() == "Please pay."


def test_the_raw_subject_is_rfc_2047_encoded_utf_8(smtp_server: SmtpServer) -> None:
    mail = channel(smtp_server).compose(message("a@example.com", "zh", "协商", "正文"))
    raw = mail.as_bytes()
    assert b"Subject: =?utf-8?" in raw
    assert "协商".encode() not in raw.split(b"\n\n", 1)[0]


def test_a_refused_recipient_is_a_permanent_failure_with_the_servers_words(
    smtp_server: SmtpServer,
) -> None:
    smtp_server.inbox.refuse["gone@example.com"] = "550 5.1.1 mailbox unavailable"
    with pytest.raises(DeliveryFailed) as failed:
        channel(smtp_server).send(message("gone@example.com", "zh", "主题", "正文"))
    assert failed.value.permanent
    assert failed.value.reason == "recipient refused: 550 5.1.1 mailbox unavailable"
    assert smtp_server.inbox.messages == []


def test_a_temporary_refusal_can_be_retried(smtp_server: SmtpServer) -> None:
    smtp_server.inbox.refuse["busy@example.com"] = "451 4.3.0 try again later"
    with pytest.raises(DeliveryFailed) as failed:
        channel(smtp_server).send(message("busy@example.com", "zh", "主题", "正文"))
    assert not failed.value.permanent


def test_a_server_that_is_not_there_is_a_temporary_failure() -> None:
    port = free_port()
    nowhere = SmtpChannel("127.0.0.1", port, "notices@bank.example", timeout=2)
    with pytest.raises(DeliveryFailed) as failed:
        nowhere.send(message("a@example.com", "zh", "主题", "正文"))
    assert not failed.value.permanent
    assert failed.value.reason.startswith(f"cannot reach 127.0.0.1:{port}")
