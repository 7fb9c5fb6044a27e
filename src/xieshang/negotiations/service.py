"""Negotiation use cases: open a case on a loan, evaluate it with the engine, re-evaluate it.

The case's input is stored as the engine saw it (the loan in loan-file form, the customer's finances
and request, the history derived from the ledger), with every evaluation's policy version and digest,
so any answer can be explained and replayed later.
"""

from __future__ import annotations

import json
from datetime import date

from xieshang.audit.service import record
from xieshang.domain.accrual import ledger_as_of
from xieshang.domain.calendar import business_days_after, months_between
from xieshang.domain.errors import (
    AgreementExists,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from xieshang.kit.access import authorize, require_customer_access
from xieshang.kit.calendar import ChinaBankCalendar
from xieshang.kit.context import Context
from xieshang.kit.repository import page_of
from xieshang.loans import repository as loan_rows
from xieshang.loans.ledger import loan_file, segment_transactions, to_ledger
from xieshang.loans.service import require_loan
from xieshang.models.loan import Loan
from xieshang.models.negotiation import (
    CaseStatus,
    NegotiationCase,
    NegotiationEvaluation,
)
from xieshang.models.user import Role
from xieshang.negotiations import offers as workflow
from xieshang.negotiations import repository
from xieshang.negotiations.case_input import parse_input
from xieshang.negotiations.evaluate import evaluate_input
from xieshang.negotiations.reads import call_owed, case_read
from xieshang.negotiations.repository import agreement_of_case, offer_row
from xieshang.negotiations.schemas import (
    AdjustIn,
    CounterIn,
    CounterOfferRead,
    DeclineIn,
    EscalateIn,
    EvaluationRead,
    NegotiationCreate,
    NegotiationPage,
    NegotiationRead,
)
from xieshang.negotiations.scorecard import load_scorecard
from xieshang.policy.in_force import policy_in_force


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
        "product_kind": loan.product.kind.value,
        "loan": loan_file(loan),
        "other_loans": [loan_file(other) for other in _other_loans(ctx, loan, as_of)],
        "finances": data.finances.model_dump(mode="json"),
        "history": _history(ctx, loan, as_of, data.new_debts_recent),
        "request": data.request.model_dump(mode="json"),
    }
    if data.request.scenario == "application":
        raise InvalidInput(
            "request.scenario", "an application is adjusted from the application, not a loan"
        )
    parse_input(snapshot)  # validates before anything is written
    later = [t.value_date for t in segment_transactions(loan) if t.value_date > as_of]
    if later:
        raise InvalidInput(
            "as_of", f"is before the loan's latest transaction ({max(later)}): use a later date"
        )
    case = NegotiationCase(
        customer_id=loan.customer_id,
        loan_id=loan.id,
        scenario=data.request.scenario,
        status=CaseStatus.SUBMITTED,
        input_snapshot=json.dumps(snapshot, ensure_ascii=False, sort_keys=True),
        created_by=ctx.user_id,
        created_at=ctx.now(),
    )
    ctx.session.add(case)
    ctx.session.flush()
    record(ctx, "negotiation.open", "negotiation", case.id, after=snapshot)
    evaluation = _evaluate_and_offer(ctx, case, snapshot)
    ctx.session.commit()
    return case_read(ctx, case, evaluation)


def _other_loans(ctx: Context, loan: Loan, as_of: date) -> list[Loan]:
    """The customer's other loans still being repaid on ``as_of``: they share one affordability
    budget with the loan negotiated."""
    others = loan_rows.other_active_loans(ctx, loan.customer_id, loan.id)
    return [other for other in others if other.start_date <= as_of]


def get_case(ctx: Context, case_id: int) -> NegotiationRead:
    authorize(ctx, "negotiations.get")
    case = require_case(ctx, case_id)
    return case_read(ctx, case, repository.latest_evaluation(ctx, case.id))


def reevaluate(ctx: Context, case_id: int) -> NegotiationRead:
    """Run the engine again on the stored input with the policy in force now: open offers are
    withdrawn and the new ones take their place."""
    authorize(ctx, "negotiations.reevaluate")
    case = lock_case(ctx, case_id)
    if agreement_of_case(ctx, case.id) is not None:
        raise AgreementExists(case.id)
    workflow.withdraw_open_offers(ctx, case, "evaluated again")
    evaluation = _evaluate_and_offer(ctx, case, json.loads(case.input_snapshot))
    ctx.session.commit()
    return case_read(ctx, case, evaluation)


def list_cases(
    ctx: Context,
    *,
    status: CaseStatus | None = None,
    awaiting: bool = False,
    page: int = 1,
    page_size: int = 20,
) -> NegotiationPage:
    """Cases, newest first; ``awaiting``: the caller's approval queue — cases with an offer waiting
    for a person of the caller's level, not proposed by the caller, soonest to expire first."""
    authorize(ctx, "negotiations.list")
    customer_id = None
    if ctx.user is not None and ctx.user.role is Role.CUSTOMER:
        customer_id = ctx.user.customer_id
    levels: list[str] | None = None
    if awaiting:
        if ctx.user is not None and ctx.user.role not in workflow.ROLE_LEVEL:
            raise PermissionDenied(f"the {ctx.user.role.value} role has no approval queue")
        level = workflow.ROLE_LEVEL.get(ctx.user.role, 0) if ctx.user else 2
        levels = [k for k, v in workflow.LEVEL.items() if 0 < v <= level]
    query, order = repository.cases_query(customer_id, status, levels, not_proposed_by=ctx.user_id)
    total, rows = page_of(ctx.session, query, page, page_size, order)
    return NegotiationPage(
        items=[case_read(ctx, case, repository.latest_evaluation(ctx, case.id)) for case in rows],
        total=total,
        page=page,
        page_size=page_size,
    )


def callbacks_owed(ctx: Context, *, limit: int = 100) -> list[NegotiationRead]:
    """Cases on which a call was promised to the customer and none has been recorded yet, soonest
    due first: the staff's to make."""
    authorize(ctx, "workbench.worklist")
    rows = repository.callbacks_owed(ctx, limit)
    return [case_read(ctx, case, repository.latest_evaluation(ctx, case.id)) for case in rows]


def decide(
    ctx: Context, case_id: int, offer_id: int, *, approve: bool, note: str
) -> NegotiationRead:
    case = lock_case(ctx, case_id)
    row = offer_row(ctx, case, offer_id)
    if approve:
        workflow.approve(ctx, case, row, note)
    else:
        workflow.reject(ctx, case, row, note)
    ctx.session.commit()
    return get_case(ctx, case_id)


def escalate(ctx: Context, case_id: int, offer_id: int, data: EscalateIn) -> NegotiationRead:
    """Send an offer up to a supervisor with a reason; it appears in the supervisors' queue."""
    case = lock_case(ctx, case_id)
    workflow.escalate(ctx, case, offer_row(ctx, case, offer_id), data)
    ctx.session.commit()
    return get_case(ctx, case_id)


def adjust(ctx: Context, case_id: int, data: AdjustIn) -> NegotiationRead:
    case = lock_case(ctx, case_id)
    if agreement_of_case(ctx, case.id) is not None:
        raise AgreementExists(case.id)
    workflow.adjust(ctx, case, data)
    ctx.session.commit()
    return get_case(ctx, case_id)


def preview_adjustment(ctx: Context, case_id: int, data: AdjustIn) -> workflow.Checked:
    """The engine's verdict on a plan a person is shaping, before anything is stored."""
    return workflow.preview(ctx, require_case(ctx, case_id), data)


def decline(ctx: Context, case_id: int, data: DeclineIn) -> NegotiationRead:
    case = lock_case(ctx, case_id)
    workflow.decline(ctx, case, data.note)
    ctx.session.commit()
    return get_case(ctx, case_id)


def counter(ctx: Context, case_id: int, data: CounterIn) -> NegotiationRead:
    case = lock_case(ctx, case_id)
    snapshot = workflow.counter(ctx, case, data)
    evaluation = _evaluate(ctx, case, snapshot)
    ctx.session.commit()
    return case_read(ctx, case, evaluation)


def what_if(ctx: Context, case_id: int, monthly_payment: str) -> CounterOfferRead:
    """The engine's answer to "what if I paid this much a month?" on the case as it stands; nothing
    is stored (the customer proposes for real with :func:`counter`)."""
    authorize(ctx, "negotiations.get")
    case = require_case(ctx, case_id)
    if case.scenario != "hardship":
        raise InvalidInput("monthly_payment", "only a hardship case has a payment to try")
    snapshot = json.loads(case.input_snapshot)
    snapshot["request"]["proposal"] = CounterIn(monthly_payment=monthly_payment).model_dump(
        mode="json"
    )
    answer = evaluate_input(snapshot, policy_in_force(ctx), load_scorecard()).counter_offer
    assert answer is not None
    return answer


def _evaluate_and_offer(
    ctx: Context, case: NegotiationCase, snapshot: object
) -> NegotiationEvaluation:
    workflow.move(ctx, case, CaseStatus.EVALUATED)
    evaluation = _evaluate(ctx, case, snapshot)
    result = EvaluationRead.model_validate_json(evaluation.result)
    staff = ctx.user is not None and ctx.user.role is not Role.CUSTOMER
    workflow.make_offers(
        ctx,
        case,
        evaluation,
        result.offers,
        proposed_by=ctx.user_id if staff else None,
    )
    workflow.settle_status(ctx, case)
    _promise_callback(ctx, case, result)
    return evaluation


PROMISES_A_CALL = ("NEXT_STEP_PERSON", "VULNERABLE_CARE")
"""The engine's answers that tell the customer a person will contact them within N working days."""


def _promise_callback(ctx: Context, case: NegotiationCase, result: EvaluationRead) -> None:
    """When the answer promises the customer a call, the case carries the day it is due by (N
    working days on the bank's calendar) and goes on the staff's worklist until a contact with the
    customer is recorded; a promise made stays when the case is evaluated again."""
    days = [int(r.params["days"]) for r in result.reasons if r.code in PROMISES_A_CALL]
    if days:
        _owe_a_call(ctx, case, min(days), "negotiation.callback_promised")


def call_me(ctx: Context, case_id: int) -> NegotiationRead:
    """The customer asks a person to call them: the case goes on the staff's worklist with the day
    the call is due by (the policy's working days), if no call is owed already."""
    authorize(ctx, "negotiations.call_me")
    case = lock_case(ctx, case_id)
    _owe_a_call(ctx, case, policy_in_force(ctx).callback_working_days, "negotiation.call_requested")
    ctx.session.commit()
    return get_case(ctx, case_id)


def _owe_a_call(ctx: Context, case: NegotiationCase, days: int, action: str) -> None:
    if call_owed(ctx, case) is not None:
        return  # a call is owed already: the earlier promise stands
    case.callback_due = business_days_after(ctx.today(), days, ChinaBankCalendar())
    case.callback_promised_at = ctx.now()
    ctx.session.flush()
    record(
        ctx, action, "negotiation", case.id, after={"callback_due": case.callback_due.isoformat()}
    )


def _evaluate(ctx: Context, case: NegotiationCase, snapshot: object) -> NegotiationEvaluation:
    policy = policy_in_force(ctx)
    result = evaluate_input(snapshot, policy, load_scorecard())
    row = NegotiationEvaluation(
        case_id=case.id,
        as_of=result.as_of,
        policy_version=result.policy_version,
        policy_digest=result.policy_digest,
        result=result.stored(),
        evaluated_by=ctx.user_id,
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


def lock_case(ctx: Context, case_id: int) -> NegotiationCase:
    """The case, locked until this transaction ends and read fresh: every use case that changes a
    case (accept, adjust, approve, reject, escalate, decline, counter, evaluate again) starts here,
    so each sees what the one before it did — an adjustment after an accept finds the agreement."""
    return require_case(ctx, case_id, lock=True)


def require_case(ctx: Context, case_id: int, *, lock: bool = False) -> NegotiationCase:
    case = repository.case_by_id(ctx, case_id, lock=lock)
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
    customer = repository.customer_of(ctx, loan)
    return {
        "tenure_months": max(0, int(months_between(customer.since, as_of)))
        if customer.since <= as_of
        else 0,
        "installments_due": len(due),
        "installments_on_time": len(on_time),
        "months_since_last_plan": 0 if loan.restructured else None,
        "new_debts_recent": new_debts_recent,
    }
