"""Every query of customers (flush only, never commit)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select

from xieshang.domain.errors import NotFound
from xieshang.kit.context import Context
from xieshang.models.customer import Customer


def customer_no_taken(ctx: Context, customer_no: str) -> bool:
    query = select(Customer.id).where(Customer.customer_no == customer_no)
    return ctx.session.scalar(query) is not None


def customer_by_id(ctx: Context, customer_id: int) -> Customer:
    customer = ctx.session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("customer", customer_id)
    return customer


def customers_query(
    contains: str | None, id_number_digest: str | None, province: str | None
) -> Select[Any]:
    """Customers whose name or customer number contains ``contains``, or whose resident ID number
    has the keyed digest ``id_number_digest``; of one province, or of any."""
    query = select(Customer)
    if contains:
        like = f"%{contains}%"
        found: list[ColumnElement[bool]] = [
            Customer.name.like(like),
            Customer.customer_no.like(like),
        ]
        if id_number_digest is not None:
            found.append(Customer.id_number_digest == id_number_digest)
        query = query.where(or_(*found))
    if province:
        query = query.where(Customer.province == province)
    return query


def customers_after(ctx: Context, last_id: int, limit: int) -> Sequence[Customer]:
    """The next ``limit`` customers by id after ``last_id``."""
    return ctx.session.scalars(
        select(Customer).where(Customer.id > last_id).order_by(Customer.id).limit(limit)
    ).all()


def has_customers(ctx: Context) -> bool:
    return ctx.session.scalar(select(Customer.id).limit(1)) is not None


def customer_ids(ctx: Context) -> list[int]:
    return list(ctx.session.scalars(select(Customer.id).order_by(Customer.id)))
