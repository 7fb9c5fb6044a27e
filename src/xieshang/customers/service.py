"""Customer use cases: create, find, list, update with optimistic locking, and audited unmasking."""

from __future__ import annotations

from xieshang.audit.service import record
from xieshang.customers import repository
from xieshang.customers.reads import customer_read, pii_read
from xieshang.customers.schemas import (
    CustomerCreate,
    CustomerPage,
    CustomerPii,
    CustomerRead,
    CustomerUpdate,
    valid_id_number,
)
from xieshang.domain.errors import AlreadyExists, VersionConflict
from xieshang.kit.access import authorize, require_customer_access
from xieshang.kit.context import Context
from xieshang.kit.repository import page_of
from xieshang.models.customer import Customer


def add_customer(ctx: Context, data: CustomerCreate) -> Customer:
    """Create a customer (flush only: the caller's use case commits)."""
    if repository.customer_no_taken(ctx, data.customer_no):
        raise AlreadyExists(f"customer number {data.customer_no} is taken")
    now = ctx.now()
    customer = Customer(
        customer_no=data.customer_no,
        name=data.name,
        id_number_enc=ctx.cipher.encrypt(data.id_number),
        id_number_digest=ctx.cipher.digest(data.id_number),
        phone_enc=ctx.cipher.encrypt(data.phone),
        bank_account_enc=ctx.cipher.encrypt(data.bank_account) if data.bank_account else None,
        province=data.province,
        city=data.city,
        address=data.address,
        email=data.email,
        since=data.since,
        language=data.language,
        notify_email=data.notify_email,
        notify_sms=data.notify_sms,
        created_at=now,
        updated_at=now,
        created_by=ctx.user_id,
        version=1,
    )
    ctx.session.add(customer)
    ctx.session.flush()
    record(ctx, "customer.create", "customer", customer.id, after=_audit_view(customer))
    return customer


def create_customer(ctx: Context, data: CustomerCreate) -> CustomerRead:
    customer = add_customer(ctx, data)
    ctx.session.commit()
    return customer_read(ctx, customer)


def require_customer(ctx: Context, customer_id: int) -> Customer:
    """The customer; a customer asking for anyone else's is told "not found"."""
    require_customer_access(ctx.user, customer_id)
    return repository.customer_by_id(ctx, customer_id)


def get_customer(ctx: Context, customer_id: int) -> CustomerRead:
    authorize(ctx, "customers.get")
    return customer_read(ctx, require_customer(ctx, customer_id))


def list_customers(
    ctx: Context,
    *,
    q: str | None = None,
    province: str | None = None,
    page: int = 1,
    page_size: int = 20,
) -> CustomerPage:
    """Customers whose name or customer number contains ``q``, or whose resident ID number is
    exactly ``q`` — found by its keyed digest, so no row is decrypted to search."""
    authorize(ctx, "customers.list")
    id_number = q.strip().upper() if q else ""
    digest = ctx.cipher.digest(id_number) if valid_id_number(id_number) else None
    query = repository.customers_query(q, digest, province)
    total, rows = page_of(ctx.session, query, page, page_size, Customer.id)
    return CustomerPage(
        items=[customer_read(ctx, c) for c in rows], total=total, page=page, page_size=page_size
    )


def reveal_pii(ctx: Context, customer_id: int) -> CustomerPii:
    """Unmasked personal data, for roles that need it; every call leaves an audit row."""
    authorize(ctx, "customers.pii")
    customer = require_customer(ctx, customer_id)
    record(
        ctx,
        "customer.pii.unmask",
        "customer",
        customer.id,
        details={"fields": ["id_number", "phone", "bank_account"]},
    )
    ctx.session.commit()
    return pii_read(ctx, customer)


def update_customer(
    ctx: Context, customer_id: int, expected_version: int, changes: CustomerUpdate
) -> CustomerRead:
    """Change contact details; refused if the record changed since the caller read ``expected_version``."""
    authorize(ctx, "customers.update")
    customer = require_customer(ctx, customer_id)
    if customer.version != expected_version:
        raise VersionConflict(
            f"customer {customer_id} is at version {customer.version}, not {expected_version}"
        )
    before = _audit_view(customer)
    fields = changes.model_dump(exclude_unset=True)
    if fields.get("phone"):
        customer.phone_enc = ctx.cipher.encrypt(fields["phone"])
    for name in ("address", "email", "language", "notify_email", "notify_sms"):
        if name in fields and fields[name] is not None:
            setattr(customer, name, fields[name])
    customer.updated_at = ctx.now()
    ctx.session.flush()
    record(
        ctx, "customer.update", "customer", customer.id, before=before, after=_audit_view(customer)
    )
    ctx.session.commit()
    return customer_read(ctx, customer)


def _audit_view(customer: Customer) -> dict[str, object]:
    """What the audit digests: ciphertexts stand in for personal data, never the clear values."""
    return {
        "customer_no": customer.customer_no,
        "name": customer.name,
        "id_number": customer.id_number_enc.hex(),
        "phone": customer.phone_enc.hex(),
        "address": customer.address,
        "email": customer.email,
        "language": customer.language,
        "notify_email": customer.notify_email,
        "notify_sms": customer.notify_sms,
        "version": customer.version,
    }


def rotate_pii_keys(ctx: Context, batch: int = 500) -> int:
    """Re-encrypt every customer's personal data under the current (first) key; returns how many
    customers changed. Run after putting a new key first in XIESHANG_PII_KEYS; the old key can be
    retired once this has run."""
    authorize(ctx, "pii.rotate")
    changed, last_id = 0, 0
    while True:
        rows = repository.customers_after(ctx, last_id, batch)
        if not rows:
            break
        for customer in rows:
            before = (customer.id_number_enc, customer.phone_enc, customer.bank_account_enc)
            customer.id_number_enc = ctx.cipher.rotate(customer.id_number_enc)
            customer.phone_enc = ctx.cipher.rotate(customer.phone_enc)
            if customer.bank_account_enc is not None:
                customer.bank_account_enc = ctx.cipher.rotate(customer.bank_account_enc)
            if (customer.id_number_enc, customer.phone_enc, customer.bank_account_enc) != before:
                changed += 1
            last_id = customer.id
        ctx.session.flush()
    record(ctx, "customer.pii.rotate", "customers", "*", details={"re_encrypted": changed})
    ctx.session.commit()
    return changed
