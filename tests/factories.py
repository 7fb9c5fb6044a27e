"""Test data built through the real services, so every object is valid and audited."""

from __future__ import annotations

from datetime import date
from itertools import count

from xieshang.auth.service import create_user
from xieshang.customers.schemas import CustomerCreate, with_check_character
from xieshang.customers.service import add_customer
from xieshang.kit.context import Context
from xieshang.loans.schemas import LoanCreate, ProductCreate
from xieshang.loans.service import add_loan, add_product
from xieshang.models.customer import Customer
from xieshang.models.loan import Loan, LoanProduct
from xieshang.models.user import Role, User

PASSWORD = "correct horse battery staple"
_serial = count(1)
id_number = with_check_character


def product(ctx: Context, code: str = "CONSUMER-36", **overrides: object) -> LoanProduct:
    data = {
        "code": code,
        "name_zh": "消费分期贷",
        "name_en": "Consumer installment loan",
        "kind": "consumer_installment",
        "method": "equal_installment",
        **overrides,
    }
    return add_product(ctx, ProductCreate.model_validate(data))


def customer(ctx: Context, **overrides: object) -> Customer:
    n = next(_serial)
    data = {
        "customer_no": f"C{n:06d}",
        "name": "张伟",
        "id_number": id_number(f"33010219900101{n % 1000:03d}"),
        "phone": f"138{n:08d}",
        "bank_account": f"62220200{n:08d}",
        "province": "浙江省",
        "city": "杭州市",
        "address": "西湖区文三路 1 号",
        "since": date(2020, 5, 1),
        **overrides,
    }
    return add_customer(ctx, CustomerCreate.model_validate(data))


def loan(
    ctx: Context, owner: Customer, product_code: str = "CONSUMER-36", **overrides: object
) -> Loan:
    n = next(_serial)
    data = {
        "loan_no": f"L{n:08d}",
        "customer_no": owner.customer_no,
        "product_code": product_code,
        "principal": "10000.00",
        "annual_rate": "10%",
        "months": 12,
        "start_date": date(2026, 1, 15),
        **overrides,
    }
    return add_loan(ctx, LoanCreate.model_validate(data))


def user(
    ctx: Context, role: Role, username: str | None = None, customer_id: int | None = None
) -> User:
    name = username or f"{role.value}{next(_serial)}"
    return create_user(ctx, name, PASSWORD, role, name, customer_id)
