from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, false, true
from sqlalchemy.orm import Mapped, mapped_column

from xieshang.models.base import Base, BigId


class Customer(Base):
    """A borrower (借款人). Sensitive personal data (个人敏感信息) is stored encrypted, never in clear.

    ``*_enc`` columns hold AES-GCM ciphertext with the key id; ``id_number_digest`` is a keyed hash
    used only to find duplicates on import.
    """

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    id_number_enc: Mapped[bytes] = mapped_column(LargeBinary)
    id_number_digest: Mapped[str] = mapped_column(String(64), index=True)
    phone_enc: Mapped[bytes] = mapped_column(LargeBinary)
    bank_account_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    province: Mapped[str] = mapped_column(String(32))
    city: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    since: Mapped[date] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(2), default="zh", server_default="zh")
    """The language messages are written in: ``zh`` (zh-CN) or ``en``."""
    notify_email: Mapped[bool] = mapped_column(default=True, server_default=true())
    notify_sms: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Channels besides the in-app inbox (which every customer has) that notifications also take."""
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True))
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}
