"""Personal data is encrypted at rest, masked on the way out, and keys rotate without loss."""

from __future__ import annotations

import base64
import os

import pytest
from sqlalchemy import select

from tests import factories
from xieshang.customers.reads import customer_read
from xieshang.customers.service import reveal_pii, rotate_pii_keys
from xieshang.domain.masking import mask_account, mask_id_number, mask_name, mask_phone
from xieshang.kit.config import Settings
from xieshang.kit.context import Context, make_cipher
from xieshang.kit.pii import PiiKeyError
from xieshang.models.customer import Customer


def key(name: str) -> str:
    return f"{name}:{base64.b64encode(os.urandom(32)).decode()}"


def test_masks_keep_only_what_recognises_a_person() -> None:
    assert mask_id_number("330102199001011234") == "3301**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("张伟") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name(" 李 ") == "*"
    assert mask_account("6222020200112233445") == "***************3445"


def test_the_database_holds_ciphertext_not_the_numbers(ctx: Context) -> None:
    customer = factories.customer(ctx, phone="13912345678")
    assert b"13912345678" not in customer.phone_enc
    assert ctx.cipher.decrypt(customer.phone_enc) == "13912345678"
    assert customer_read(ctx, customer).phone == "139****5678"


def test_a_tampered_ciphertext_is_refused(ctx: Context) -> None:
    customer = factories.customer(ctx)
    blob = bytearray(customer.phone_enc)
    blob[-1] ^= 1
    with pytest.raises(PiiKeyError, match="failed authentication"):
        ctx.cipher.decrypt(bytes(blob))


def test_keys_rotate_and_the_old_key_can_then_be_retired(ctx: Context, settings: Settings) -> None:
    old, new = key("2025"), key("2026")
    ctx.settings = settings.model_copy(update={"pii_keys": old})
    ctx.cipher = make_cipher(ctx.settings)
    customer = factories.customer(ctx, phone="13700000001")
    ctx.session.commit()

    ctx.settings = settings.model_copy(update={"pii_keys": f"{new},{old}"})
    ctx.cipher = make_cipher(ctx.settings)
    assert ctx.cipher.key_id_of(customer.phone_enc) == "2025"
    assert rotate_pii_keys(ctx) >= 1
    assert rotate_pii_keys(ctx) == 0  # already all under the new key

    ctx.settings = settings.model_copy(update={"pii_keys": new})
    ctx.cipher = make_cipher(ctx.settings)
    stored = ctx.session.scalars(select(Customer).where(Customer.id == customer.id)).one()
    assert ctx.cipher.key_id_of(stored.phone_enc) == "2026"
    assert reveal_pii(ctx, customer.id).phone == "13700000001"
