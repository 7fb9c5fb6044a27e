"""Attachments: judged by their bytes against an allow-list, limited in size, stored in the
database, served back only as downloads with the sniffed type."""

from __future__ import annotations

from datetime import date

from tests.complaints.helpers import Bank
from xieshang.complaints.attachments import MAX_BYTES, safe_filename

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def test_a_png_and_a_pdf_are_kept_and_served_back_as_downloads(bank: Bank) -> None:
    bank.on(date(2025, 9, 1))
    cid = bank.file()["id"]
    response = bank.client.post(
        f"/api/v1/complaints/{cid}/attachments",
        files={"file": ("../../etc/回单.png", PNG, "text/html")},
        headers=bank.token("cp-customer"),
    )
    assert response.status_code == 201, response.text
    png = response.json()
    assert png["media_type"] == "image/png"  # the bytes decide, not the claimed type
    assert png["filename"] == "回单.png"
    pdf = bank.client.post(
        f"/api/v1/complaints/{cid}/attachments",
        files={"file": ("statement", PDF, "application/octet-stream")},
        headers=bank.token("cp-agent"),
    ).json()
    assert pdf["media_type"] == "application/pdf"
    assert pdf["filename"] == "statement.pdf"

    got = bank.client.get(
        f"/api/v1/complaints/{cid}/attachments/{png['id']}", headers=bank.token("cp-customer")
    )
    assert got.status_code == 200
    assert got.content == PNG
    assert got.headers["content-type"] == "image/png"
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["x-content-type-options"] == "nosniff"
    timeline = bank.get("cp-customer", f"/{cid}/timeline").json()
    assert [a["id"] for a in timeline["attachments"]] == [png["id"], pdf["id"]]
    other = bank.client.get(
        f"/api/v1/complaints/{cid}/attachments/{png['id']}", headers=bank.token("cp-other")
    )
    assert other.status_code == 404


def test_markup_is_kept_as_plain_text_and_never_served_as_html(bank: Bank) -> None:
    bank.on(date(2025, 9, 1))
    cid = bank.file()["id"]
    html = b"<html><script>alert(document.cookie)</script></html>"
    response = bank.client.post(
        f"/api/v1/complaints/{cid}/attachments",
        files={"file": ("evil.html", html, "text/html")},
        headers=bank.token("cp-customer"),
    )
    stored = response.json()
    assert stored["media_type"] == "text/plain; charset=utf-8"
    assert stored["filename"] == "evil.txt"
    got = bank.client.get(
        f"/api/v1/complaints/{cid}/attachments/{stored['id']}", headers=bank.token("cp-agent")
    )
    assert got.headers["content-type"] == "text/plain; charset=utf-8"
    assert got.content == html


def test_a_file_of_a_type_not_allowed_or_too_large_is_refused(bank: Bank) -> None:
    bank.on(date(2025, 9, 1))
    cid = bank.file()["id"]
    for name, content in [
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),
        ("photo.png", b"GIF89a\x01\x00\x01\x00"),  # a GIF wearing a PNG's name
        ("empty.txt", b""),
        ("big.pdf", b"%PDF-" + b"0" * MAX_BYTES),
    ]:
        response = bank.client.post(
            f"/api/v1/complaints/{cid}/attachments",
            files={"file": (name, content, "application/pdf")},
            headers=bank.token("cp-customer"),
        )
        assert response.status_code == 422, (name, response.text)
        assert response.json()["field"] == "file"
    assert bank.get("cp-agent", f"/{cid}").json()["attachments"] == []


def test_names_lose_paths_and_control_characters() -> None:
    assert safe_filename("C:\\Users\\a\\x.pdf", ".pdf") == "x.pdf"
    assert safe_filename("a\x00b<c>.png", ".png") == "a_b_c_.png"
    assert safe_filename(None, ".txt") == "attachment.txt"
    assert len(safe_filename("长" * 500 + ".pdf", ".pdf")) == 128
