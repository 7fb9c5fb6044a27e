"""Negotiation use cases: open a case on a loan, evaluate it with the engine, re-evaluate it.

The case's input is stored as the engine saw it (the loan in loan-file form, the customer's finances
and request, the history derived from the ledger), with every evaluation's policy version and digest,
so any answer can be explained and replayed later.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from xieshang.audit.service import record
from xieshang.auth.access import authorize, require_customer_access
from xieshang.context import Context
from xieshang.credit_model import load_scorecard
from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.calendar import months_between
from xieshang.errors import InvalidInput, NotFound
from xieshang.loans.service import loan_file, require_loan, to_ledger
from xieshang.models.customer import Customer
from xieshang.models.loan import Loan
from xieshang.models.negotiation import NegotiationCase, NegotiationEvaluation
from xieshang.negotiations.evaluate import evaluate_input
from xieshang.negotiations.schemas import (
    EvaluationRead,
    NegotiationCreate,
    NegotiationRead,
    parse_input,
)
from xieshang.policy.loader import load_policy


def open_case(ctx: Context, data: NegotiationCreate) -> NegotiationRead:
    authorize(ctx, "negotiations.create")
    loan = require_loan(ctx, data.loan_id)
    as_of = data.as_of or ctx.today()
    if as_of < loan.start_date or as_of > ctx.today():
        raise InvalidInput(
            "as_of", f"must be between the loan's start ({loan.start_date}) and today"
        )
    snapshot: dict[str, object] = {
        "as_of": as_of.isoformat(),
        "loan": loan_file(loan),
        "finances": data.finances.model_dump(mode="json"),
        "history": _history(ctx, loan, as_of, data.new_debts_recent),
        "request": data.request.model_dump(mode="json"),
    }
    if data.request.scenario == "application":
        raise InvalidInput(
            "request.scenario", "an application is adjusted from the application, not a loan"
        )
    parse_input(snapshot)  # validates before anything is written
    case = NegotiationCase(
        customer_id=loan.customer_id,
        loan_id=loan.id,
        scenario=data.request.scenario,
        status="evaluated",
        input_snapshot=json.dumps(snapshot, ensure_ascii=False, sort_keys=True),
        created_by=ctx.user.id if ctx.user else None,
        created_at=ctx.now(),
    )
    ctx.session.add(case)
    ctx.session.flush()
    record(ctx, "negotiation.open", "negotiation", case.id, after=snapshot)
    evaluation = _evaluate(ctx, case, snapshot)
    ctx.session.commit()
    return _read(ctx, case, evaluation)


def get_case(ctx: Context, case_id: int) -> NegotiationRead:
    authorize(ctx, "negotiations.get")
    case = _require(ctx, case_id)
    latest = ctx.session.scalars(
        select(NegotiationEvaluation)
        .where(NegotiationEvaluation.case_id == case.id)
        .order_by(NegotiationEvaluation.id.desc())
        .limit(1)
    ).one()
    return _read(ctx, case, latest)


def reevaluate(ctx: Context, case_id: int) -> NegotiationRead:
    """Run the engine again on the stored input with the policy in force now."""
    authorize(ctx, "negotiations.reevaluate")
    case = _require(ctx, case_id)
    evaluation = _evaluate(ctx, case, json.loads(case.input_snapshot))
    ctx.session.commit()
    return _read(ctx, case, evaluation)


def _evaluate(ctx: Context, case: NegotiationCase, snapshot: object) -> NegotiationEvaluation:
    policy = load_policy()
    result = evaluate_input(snapshot, policy, load_scorecard())
    row = NegotiationEvaluation(
        case_id=case.id,
        as_of=result.as_of,
        policy_version=result.policy_version,
        policy_digest=result.policy_digest,
        result=result.model_dump_json(),
        evaluated_by=ctx.user.id if ctx.user else None,
        evaluated_at=ctx.now(),
    )
    ctx.session.add(row)
    ctx.session.flush()
    record(
        ctx,
        "negotiation.evaluate",
        "negotiation",
        case.id,
        after=json.loads(row.result),
        policy_version=f"{result.policy_version}@{result.policy_digest[:12]}",
    )
    return row


def _require(ctx: Context, case_id: int) -> NegotiationCase:
    case = ctx.session.get(NegotiationCase, case_id)
    if case is None:
        raise NotFound("negotiation", case_id)
    require_customer_access(ctx.user, case.customer_id, "negotiation", case_id)
    return case


def _history(ctx: Context, loan: Loan, as_of: date, new_debts_recent: int) -> dict[str, object]:
    """What the bank knows of the customer's record, from its own books (never from the request)."""
    state = ledger_as_of(to_ledger(loan), as_of)
    grace = loan.product.grace_days
    due = [s for s in state.installments if s.installment.due_date < as_of]
    on_time = [
        s
        for s in due
        if s.cleared_on is not None and (s.cleared_on - s.installment.due_date).days <= grace
    ]
    customer = ctx.session.get(Customer, loan.customer_id)
    assert customer is not None
    return {
        "tenure_months": max(0, int(months_between(customer.since, as_of)))
        if customer.since <= as_of
        else 0,
        "installments_due": len(due),
        "installments_on_time": len(on_time),
        "months_since_last_plan": 0 if loan.restructured else None,
        "new_debts_recent": new_debts_recent,
    }


def _read(
    ctx: Context, case: NegotiationCase, evaluation: NegotiationEvaluation
) -> NegotiationRead:
    return NegotiationRead(
        id=case.id,
        loan_id=case.loan_id,
        customer_id=case.customer_id,
        scenario=case.scenario,
        status=case.status,
        created_at=ctx.local(case.created_at),
        evaluated_at=ctx.local(evaluation.evaluated_at),
        evaluation=EvaluationRead.model_validate_json(evaluation.result),
    )
