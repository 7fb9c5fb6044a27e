"""I/O types shared by every feature that shows ledger figures: money as yuan strings, schedules
and itemised statements. Money crosses the boundary as decimal strings in yuan, never floats."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from xieshang.domain.money import to_yuan
from xieshang.domain.rates import apr
from xieshang.domain.schedule import Schedule
from xieshang.domain.statement import Statement


def _no_nul(value: str) -> str:
    """PostgreSQL cannot store NUL (U+0000): refuse it as invalid input, never a database error."""
    if "\x00" in value:
        raise ValueError("must not contain the NUL character (U+0000)")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
"""Free text from outside: any characters but NUL."""

YUAN_PATTERN = r"^\d{1,13}(\.\d{1,2})?$"
Yuan = Annotated[
    str, Field(pattern=YUAN_PATTERN, examples=["1234.56"], description="yuan, up to 2 decimals")
]
RatePct = Annotated[
    str, Field(pattern=r"^\d{1,3}(\.\d{1,6})?%$|^0(\.\d{1,8})?$|^1$", examples=["10%", "0.1"])
]


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
