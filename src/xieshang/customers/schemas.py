from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from xieshang.kit.schemas import Text

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def with_check_character(body17: str) -> str:
    """17 digits completed with their GB 11643-1999 (ISO 7064 MOD 11-2) check character."""
    total = sum(int(d) * w for d, w in zip(body17, _ID_WEIGHTS, strict=True))
    return body17 + _ID_CHECK[total % 11]


def valid_id_number(value: str) -> bool:
    """A mainland resident ID number (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check."""
    return bool(re.fullmatch(r"\d{17}[\dX]", value)) and with_check_character(value[:17]) == value


Language = Annotated[
    Literal["zh", "en"], Field(description="the language messages are written in: zh (zh-CN) or en")
]


class CustomerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    customer_no: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    name: Text = Field(min_length=1, max_length=64)
    id_number: str = Field(description="18-character resident ID number; stored encrypted")
    phone: str = Field(pattern=r"^1\d{10}$", description="mainland mobile number; stored encrypted")
    bank_account: str | None = Field(default=None, pattern=r"^\d{12,19}$")
    province: Text = Field(min_length=1, max_length=32)
    city: Text = Field(min_length=1, max_length=32)
    address: Text = Field(min_length=1, max_length=200)
    email: Text | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    since: date
    language: Language = "zh"
    notify_email: bool = True
    notify_sms: bool = False

    @field_validator("id_number")
    @classmethod
    def _id_number(cls, value: str) -> str:
        value = value.upper()
        if not valid_id_number(value):
            raise ValueError("is not a valid 18-character resident ID number")
        return value


class CustomerUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    phone: str | None = Field(default=None, pattern=r"^1\d{10}$")
    address: Text | None = Field(default=None, min_length=1, max_length=200)
    email: Text | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    language: Language | None = None
    notify_email: bool | None = None
    notify_sms: bool | None = None


class CustomerRead(BaseModel):
    id: int
    customer_no: str
    name: str
    id_number: str = Field(description="masked: 3301**********1234")
    phone: str = Field(description="masked: 138****5678")
    bank_account: str | None = Field(description="masked: last four digits")
    province: str
    city: str
    address: str
    email: str | None
    since: date
    language: str = Field(description="zh or en: the language messages are written in")
    notify_email: bool = Field(description="notifications also by e-mail (the inbox always)")
    notify_sms: bool = Field(description="notifications also by SMS")
    version: int


class CustomerPii(BaseModel):
    id: int
    id_number: str
    phone: str
    bank_account: str | None


class CustomerPage(BaseModel):
    items: list[CustomerRead]
    total: int
    page: int
    page_size: int
