"""Customer rows as read models: personal data masked, or, for the audited unmasking, in clear."""

from __future__ import annotations

from xieshang.customers.schemas import CustomerPii, CustomerRead
from xieshang.domain.masking import mask_account, mask_id_number, mask_phone
from xieshang.kit.context import Context
from xieshang.models.customer import Customer


def customer_read(ctx: Context, customer: Customer) -> CustomerRead:
    """The customer with the ID number, phone and bank account decrypted and masked."""
    return CustomerRead(
        id=customer.id,
        customer_no=customer.customer_no,
        name=customer.name,
        id_number=mask_id_number(ctx.cipher.decrypt(customer.id_number_enc)),
        phone=mask_phone(ctx.cipher.decrypt(customer.phone_enc)),
        bank_account=mask_account(ctx.cipher.decrypt(customer.bank_account_enc))
        if customer.bank_account_enc
        else None,
        province=customer.province,
        city=customer.city,
        address=customer.address,
        email=customer.email,
        since=customer.since,
        language=customer.language,
        notify_email=customer.notify_email,
        notify_sms=customer.notify_sms,
        version=customer.version,
    )


def pii_read(ctx: Context, customer: Customer) -> CustomerPii:
    """The customer's personal data decrypted, unmasked."""
    return CustomerPii(
        id=customer.id,
        id_number=ctx.cipher.decrypt(customer.id_number_enc),
        phone=ctx.cipher.decrypt(customer.phone_enc),
        bank_account=ctx.cipher.decrypt(customer.bank_account_enc)
        if customer.bank_account_enc
        else None,
    )
