from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Header, Path, Query, Response

from xieshang.kit.idempotency import check_key
from xieshang.loans import service
from xieshang.loans.schemas import (
    DisclosureRead,
    LoanDetail,
    LoanPage,
    PaymentCreate,
    StatementRead,
    TransactionRead,
)
from xieshang.models.loan import LoanStatus
from xieshang.web.deps import UserContext, created
from xieshang.web.routing import Router

router = Router(prefix="/loans", tags=["loans"])
Id = Annotated[int, Path(ge=1, le=2**62)]


@router.get("", name="loans.list")
def list_loans(
    ctx: UserContext,
    status: LoanStatus | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> LoanPage:
    return service.list_loans(ctx, status=status, page=page, page_size=page_size)


@router.get("/{loan_id}", name="loans.get")
def get_loan(ctx: UserContext, loan_id: Id) -> LoanDetail:
    """A loan with the schedule in force."""
    return service.get_loan(ctx, loan_id)


@router.get("/{loan_id}/statement", name="loans.statement")
def statement(
    ctx: UserContext,
    loan_id: Id,
    as_of: Annotated[date | None, Query(description="default: today in Asia/Shanghai")] = None,
) -> StatementRead:
    """The itemised statement as of a date: every amount with its formula, in zh-CN and en."""
    return service.loan_statement(ctx, loan_id, as_of)


@router.get("/{loan_id}/disclosure", name="loans.disclosure")
def disclosure(
    ctx: UserContext,
    loan_id: Id,
    version: Annotated[int | None, Query(ge=1, le=10_000, description="default: in force")] = None,
) -> DisclosureRead:
    """The loan's cost disclosure table (明示表, 金规〔2026〕2号 — UNVERIFIED): every charge, how it is
    charged, who collects it, the all-in annual cost by IRR and the overdue costs."""
    return service.loan_disclosure(ctx, loan_id, version)


@router.get("/{loan_id}/disclosure/versions", name="loans.disclosure.versions")
def disclosure_versions(ctx: UserContext, loan_id: Id) -> list[DisclosureRead]:
    """Every version of the loan's disclosure table, oldest first: one at booking, one per change
    of terms."""
    return service.disclosure_versions(ctx, loan_id)


@router.post(
    "/{loan_id}/payments",
    name="loans.payments.create",
    status_code=201,
    responses={
        200: {"description": "a repeat of an earlier request with the same Idempotency-Key"}
    },
)
def record_payment(
    ctx: UserContext,
    loan_id: Id,
    payment: PaymentCreate,
    response: Response,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> TransactionRead:
    """Record a payment received. With ``Idempotency-Key``, a retry returns the first answer."""
    key = check_key(idempotency_key) if idempotency_key is not None else None
    return created(response, service.record_payment(ctx, loan_id, payment, key))
