"""Attachments: evidence the customer or staff add to a complaint.

Stored in the database with the complaint, so they commit, back up and are deleted with it. A file
is accepted only when its bytes are one of the allowed kinds (PDF, PNG, JPEG, plain UTF-8 text) —
the name and content type the uploader claims are ignored — and it is no larger than the limit. It
is served back with the sniffed type, as a download, never rendered inline.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from xieshang.complaints import repository
from xieshang.complaints.records import change, require_complaint
from xieshang.domain.complaint_states import FINISHED, Status
from xieshang.domain.errors import (
    ComplaintStatus,
    InvalidInput,
    TooManyAttachments,
)
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.models.complaint import ComplaintAttachment

MAX_BYTES = 5 * 1024 * 1024
MAX_PER_COMPLAINT = 20
MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
TEXT = ("text/plain; charset=utf-8", ".txt")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def sniff(content: bytes) -> tuple[str, str]:
    """(media type, extension) of ``content`` from its first bytes, or refuse it."""
    for magic, media_type, extension in MAGIC:
        if content.startswith(magic):
            return media_type, extension
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _CONTROL.search(text):
        return TEXT
    raise InvalidInput("file", "must be a PDF, PNG, JPEG or plain UTF-8 text file")


def safe_filename(name: str | None, extension: str) -> str:
    """The uploader's name without any path, control or shell characters, ending in the sniffed
    type's extension; shown only, never used to store or find the file."""
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    base = _UNSAFE_NAME.sub("_", base).strip(" .") or "attachment"
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return stem[: 128 - len(extension)] + extension


def add_attachment(
    ctx: Context, complaint_id: int, filename: str | None, content: bytes
) -> ComplaintAttachment:
    authorize(ctx, "complaints.attachments.create")
    complaint = require_complaint(ctx, complaint_id)
    if Status(complaint.status) in FINISHED:
        raise ComplaintStatus(complaint.id, complaint.status, "no more attachments")
    if len(content) > MAX_BYTES:
        raise InvalidInput("file", f"is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    if not content:
        raise InvalidInput("file", "is empty")
    media_type, extension = sniff(content)
    if repository.attachment_count(ctx, complaint.id) >= MAX_PER_COMPLAINT:
        raise TooManyAttachments(complaint.id, MAX_PER_COMPLAINT)
    row = ComplaintAttachment(
        complaint_id=complaint.id,
        filename=safe_filename(filename, extension),
        media_type=media_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=ctx.user_id,
        uploaded_at=ctx.now(),
    )
    ctx.session.add(row)
    ctx.session.flush()
    after = {
        "attachment": row.id,
        "filename": row.filename,
        "media_type": media_type,
        "size": row.size,
        "sha256": row.sha256,
    }
    change(ctx, complaint, "attach", before={}, after=after, visible=True, note=row.filename)
    ctx.session.commit()
    return row


def get_attachment(ctx: Context, complaint_id: int, attachment_id: int) -> ComplaintAttachment:
    authorize(ctx, "complaints.attachments.get")
    complaint = require_complaint(ctx, complaint_id)
    return repository.attachment_of(ctx, complaint.id, attachment_id)
