"""What the API takes and gives about logins, tokens and the signed-in person."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from xieshang.auth.credentials import MIN_PASSWORD
from xieshang.models.user import Role


class AccountCreate(BaseModel):
    username: str = Field(max_length=64, description="lower-case letters, digits, . _ -")
    display_name: str = Field(min_length=1, max_length=64)
    role: Role
    password: str = Field(max_length=256, description=f"at least {MIN_PASSWORD} characters")
    customer_id: int | None = Field(
        default=None, ge=1, description="for a customer login: whose it is"
    )


class PasswordSet(BaseModel):
    password: str = Field(max_length=256)


class PasswordChange(BaseModel):
    current_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)


class AccountRead(BaseModel):
    id: int
    username: str
    display_name: str
    role: Role
    customer_id: int | None
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None


class AccountPage(BaseModel):
    items: list[AccountRead]
    total: int
    page: int
    page_size: int


class TokenRead(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: str


class Me(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    role: str
    customer_id: int | None
