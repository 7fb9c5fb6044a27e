"""Loan I/O. Money crosses the boundary as decimal strings in yuan (``"1234.56"``), never floats."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from xieshang.domain.money import to_yuan
from xieshang.domain.rates import apr
from xieshang.domain.schedule import Schedule
from xieshang.domain.statement import Statement
from xieshang.kit.schemas import RatePct, Yuan


class ProductRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name_zh: str
    name_en: str
    kind: str
    method: str
    penalty_markup: str
    grace_days: int


class LoanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    loan_no: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    customer_no: str = Field(min_length=1, max_length=32)
    product_code: str = Field(min_length=1, max_length=32)
    principal: Yuan
    annual_rate: RatePct
    months: int = Field(ge=1, le=600)
    start_date: date
    first_due_date: date | None = None


class LoanRead(BaseModel):
    id: int
    loan_no: str
    customer_id: int
    product: ProductRead
    principal: str
    annual_rate: str
    months: int
    start_date: date
    status: str
    restructured: bool
    version: int


class LoanDetail(LoanRead):
    schedule: ScheduleRead


class LoanPage(BaseModel):
    items: list[LoanRead]
    total: int
    page: int
    page_size: int


class PaymentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    amount: Yuan
    value_date: date
    reference: str | None = Field(
        default=None, min_length=1, max_length=64, pattern=r"^[\w\-./:]+$"
    )
    channel: Literal["counter", "transfer", "auto_debit", "import", "app"] = "transfer"


class TransactionRead(BaseModel):
    id: int
    loan_id: int
    kind: str
    value_date: date
    amount: str
    reference: str
    installment: int | None
    description: str
    channel: str
    created_at: datetime


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    name_zh: str = Field(min_length=1, max_length=64)
    name_en: str = Field(min_length=1, max_length=64)
    kind: Literal["consumer_installment", "revolving_line", "working_capital"]
    method: Literal["equal_installment", "equal_principal", "interest_first", "bullet", "flat"]
    interest_basis: Literal["periodic", "days"] = "periodic"
    day_count: Literal["actual/360", "actual/365", "30/360"] = "actual/360"
    installment_multiple: Yuan = "0.01"
    penalty_markup: str = Field(
        default="0.5", pattern=r"^0(\.\d{1,4})?$|^1$", description="fraction, 0.3–0.5"
    )
    grace_days: int = Field(default=0, ge=0, le=30)
    penalty_enabled: bool = True
    compound_enabled: bool = True
    allocation_order: str = "penalty,compound,fee,interest,principal"


class InstallmentRead(BaseModel):
    n: int
    due_date: date
    payment: str
    principal: str
    interest: str
    balance: str


class ScheduleRead(BaseModel):
    installments: list[InstallmentRead]
    total_interest: str
    total_payment: str
    apr: str = Field(description="annualised IRR as a fraction, e.g. 0.100000")

    @classmethod
    def from_schedule(cls, plan: Schedule) -> ScheduleRead:
        return cls(
            installments=[
                InstallmentRead(
                    n=i.number,
                    due_date=i.due_date,
                    payment=to_yuan(i.payment),
                    principal=to_yuan(i.principal),
                    interest=to_yuan(i.interest),
                    balance=to_yuan(i.balance),
                )
                for i in plan.installments
            ],
            total_interest=to_yuan(plan.total_interest),
            total_payment=to_yuan(plan.total_payment),
            apr=str(apr(plan.cash_flows(), plan.start_date)),
        )


class StatementLineRead(BaseModel):
    kind: str
    date: date
    installment: int | None
    amount: str
    formula_zh: str
    formula_en: str


class StatementRead(BaseModel):
    as_of: date
    days_past_due: int
    bucket: str
    classification: str
    owed_now: dict[str, str]
    total_owed_now: str
    outstanding_principal: str
    accrued_interest: str
    payoff_amount: str
    paid: str
    credit: str
    lines: list[StatementLineRead]

    @classmethod
    def from_statement(cls, result: Statement) -> StatementRead:
        return cls(
            as_of=result.as_of,
            days_past_due=result.days_past_due,
            bucket=result.bucket,
            classification=result.classification,
            owed_now={c.value: to_yuan(v) for c, v in result.owed_now.items()},
            total_owed_now=to_yuan(result.total_owed_now),
            outstanding_principal=to_yuan(result.outstanding_principal),
            accrued_interest=to_yuan(result.accrued_interest),
            payoff_amount=to_yuan(result.payoff_amount),
            paid=to_yuan(result.paid),
            credit=to_yuan(result.credit),
            lines=[
                StatementLineRead(
                    kind=line.kind,
                    date=line.on,
                    installment=line.installment,
                    amount=to_yuan(line.amount),
                    formula_zh=line.formula_zh,
                    formula_en=line.formula_en,
                )
                for line in result.lines
            ],
        )


class DisclosureLineRead(BaseModel):
    kind: str = Field(
        description="interest, penalty, compound, fee, late_fee, carried_arrears, reinstated"
    )
    charged: bool = Field(description="false: the loan does not make this charge")
    collector: str | None = Field(description="who collects it (the bank); null when not charged")
    annual_rate: str | None = Field(description="a fraction: the contract or the penalty rate")
    markup: str | None = Field(description="penalty and compound: the markup on the contract rate")
    amount: str = Field(description="a fixed amount in yuan (fees, arrears carried)")
    total: str = Field(description="yuan over the term if every installment is paid on time")
    installment: int | None
    name_zh: str
    name_en: str
    how_zh: str
    how_en: str
    collector_zh: str
    collector_en: str


class DisclosureRead(BaseModel):
    """One version of a loan's cost disclosure table (明示表)."""

    loan_id: int
    version: int
    effective_date: date
    event: str = Field(description="booked, agreement or backfill")
    in_force: bool = Field(description="the version in force today")
    rule: str = Field(description="the rule it answers; UNVERIFIED (docs/disclosure.md)")
    principal: str
    months: int
    all_in_rate: str = Field(description="综合融资成本 annualised by IRR, a fraction")
    total_cost: str = Field(description="interest and fees over the term if paid on time, yuan")
    summary_zh: str
    summary_en: str
    digest: str = Field(description="SHA-256 of the stored table")
    lines: list[DisclosureLineRead]
    created_at: datetime


class Row(BaseModel):
    key: str
    loans: int
    principal: str


class PortfolioRead(BaseModel):
    closed_through: date | None
    """The latest day the close of business stored; loans not yet closed are counted as M0."""
    active_loans: int
    buckets: list[Row]
    classification: list[Row]
    agreements: dict[str, int]
