"""The customer's pages: loans, negotiating, messages and surveys."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xieshang.agreements import service as agreements_service
from xieshang.domain.errors import XieshangError
from xieshang.domain.negotiation.case import Hardship, Vulnerability
from xieshang.feedback import service as surveys
from xieshang.feedback.schemas import SurveyAnswerCreate
from xieshang.kit.context import Context
from xieshang.loans import service as loans
from xieshang.models.user import Role
from xieshang.negotiations import disputes
from xieshang.negotiations import service as negotiations
from xieshang.negotiations.case_input import ChargedIn, FinancesIn, RequestIn
from xieshang.negotiations.schemas import NegotiationCreate, NegotiationRead
from xieshang.notifications.service import mark_read, my_inbox
from xieshang.web.routing import Router
from xieshang.web.ui.pages.common import (
    FormPage,
    Page,
    problem,
    problem_field,
    render,
)

router = Router(include_in_schema=False)
HARDSHIPS = tuple(kind.value for kind in Hardship)
VULNERABILITIES = tuple(kind.value for kind in Vulnerability)


@router.get("/app", name="ui.home")
def home(request: Request, ctx: Page) -> Response:
    assert ctx.user is not None
    if ctx.user.role in (Role.AGENT, Role.SUPERVISOR):
        return RedirectResponse("/app/queue", status_code=303)
    if ctx.user.role is Role.ADMIN:
        return RedirectResponse("/app/admin", status_code=303)
    if ctx.user.role is not Role.CUSTOMER:
        return RedirectResponse("/app/portfolio", status_code=303)
    assert ctx.user.customer_id is not None
    mine = loans.list_loans(ctx, customer_id=ctx.user.customer_id, page_size=100)
    rows = []
    for loan in mine.items:
        statement = loans.loan_statement(ctx, loan.id) if loan.status == "active" else None
        rows.append({"loan": loan, "statement": statement})
    cases = negotiations.list_cases(ctx, page_size=20)
    return render(request, ctx, "customer_home.html", rows=rows, cases=cases.items)


@router.get("/app/loans/{loan_id}", name="ui.loan")
def loan_page(request: Request, ctx: Page, loan_id: int) -> HTMLResponse:
    detail = loans.get_loan(ctx, loan_id)
    statement = loans.loan_statement(ctx, loan_id) if detail.status == "active" else None
    tables = loans.disclosure_versions(ctx, loan_id)
    return render(
        request,
        ctx,
        "loan.html",
        loan=detail,
        statement=statement,
        chart=_balance_chart(detail),
        disclosure=next((d for d in tables if d.in_force), None),
    )


def _balance_chart(loan: Any, width: int = 600, height: int = 160) -> dict[str, Any]:
    """Points of a server-drawn line of the principal balance after each installment."""
    rows = loan.schedule.installments
    top = max((Decimal(r.balance) + Decimal(r.principal) for r in rows), default=Decimal(1))
    step = width / max(len(rows), 1)
    points = [(0.0, 0.0)] + [
        (round((i + 1) * step, 1), round(float(Decimal(r.balance) / top) * height, 1))
        for i, r in enumerate(rows)
    ]
    first_balance = Decimal(rows[0].balance) + Decimal(rows[0].principal) if rows else Decimal(0)
    points[0] = (0.0, round(float(first_balance / top) * height, 1))
    line = " ".join(f"{x},{height - y}" for x, y in points)
    return {"width": width, "height": height, "line": line, "top": f"{top:,.2f}"}


@router.get("/app/loans/{loan_id}/negotiate", name="ui.negotiate")
def negotiate_form(request: Request, ctx: Page, loan_id: int) -> HTMLResponse:
    detail = loans.get_loan(ctx, loan_id)
    return render(
        request,
        ctx,
        "negotiate.html",
        loan=detail,
        hardships=HARDSHIPS,
        vulnerabilities=VULNERABILITIES,
        values={},
        bad="",
    )


@router.post("/app/loans/{loan_id}/negotiate", name="ui.negotiate.submit")
def negotiate_submit(
    request: Request,
    ctx: FormPage,
    loan_id: int,
    hardship: Annotated[str, Form()],
    verified_income: Annotated[str, Form()],
    stated_income: Annotated[str, Form()],
    essential_expenses: Annotated[str, Form()],
    other_debt_service: Annotated[str, Form()],
    lump_sum_available: Annotated[str, Form()] = "0",
    dependants: Annotated[str, Form(max_length=3)] = "0",
    preferred_due_day: Annotated[str, Form(max_length=2)] = "",
    lasting: Annotated[str, Form(max_length=3)] = "",
    vulnerability: Annotated[list[str], Form(max_length=6)] = [],  # noqa: B006 (FastAPI copies it)
) -> Response:
    values = {
        "verified_income": verified_income,
        "stated_income": stated_income,
        "essential_expenses": essential_expenses,
        "other_debt_service": other_debt_service,
        "lump_sum_available": lump_sum_available or "0",
        "dependants": dependants or "0",
    }
    circumstances = {"lasting": bool(lasting), "vulnerability": vulnerability}
    shown = values | circumstances | {"preferred_due_day": preferred_due_day, "hardship": hardship}
    try:
        case = _open_hardship(ctx, loan_id, values, hardship, preferred_due_day, circumstances)
    except (XieshangError, ValueError) as error:
        detail = loans.get_loan(ctx, loan_id)
        return render(  # the form again, with what was wrong (200: a page, not an API error)
            request,
            ctx,
            "negotiate.html",
            loan=detail,
            hardships=HARDSHIPS,
            vulnerabilities=VULNERABILITIES,
            values=shown,
            problem=problem(request, error),
            bad=problem_field(error),
        )
    return RedirectResponse(f"/app/negotiations/{case.id}", status_code=303)


def _open_hardship(
    ctx: Context,
    loan_id: int,
    finances: dict[str, str],
    hardship: str,
    due_day: str,
    circumstances: dict[str, object] | None = None,
) -> NegotiationRead:
    """A hardship case from a form (the negotiate form, or the change-my-loan form with another
    due day): finances and request checked by the API's own models. ``circumstances``: whether
    the hardship will last, and any vulnerability the customer chose to tell."""
    request = {"scenario": "hardship", "hardship": hardship, "preferred_due_day": due_day or None}
    return negotiations.open_case(
        ctx,
        NegotiationCreate(
            loan_id=loan_id,
            finances=FinancesIn.model_validate(finances),
            request=RequestIn.model_validate(request | (circumstances or {})),
        ),
    )


@router.get("/app/inbox", name="ui.inbox")
def inbox_page(request: Request, ctx: Page) -> HTMLResponse:
    """The customer's messages: agreement notices, offers, complaint letters, reminders."""
    return render(request, ctx, "inbox.html", inbox=my_inbox(ctx, page_size=50))


@router.post("/app/inbox/{notification_id}/read", name="ui.inbox.read")
def read_message(request: Request, ctx: FormPage, notification_id: int) -> Response:
    mark_read(ctx, notification_id)
    return RedirectResponse("/app/inbox", status_code=303)


@router.get("/app/surveys", name="ui.surveys")
def surveys_page(request: Request, ctx: Page) -> HTMLResponse:
    return render(
        request, ctx, "surveys.html", invitations=surveys.my_open_surveys(ctx), failed=None, bad=""
    )


@router.post("/app/surveys/{invitation_id}", name="ui.surveys.answer")
def answer_survey(
    request: Request,
    ctx: FormPage,
    invitation_id: int,
    csat: Annotated[str, Form()] = "",
    nps: Annotated[str, Form()] = "",
    comment: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        surveys.answer(
            ctx,
            invitation_id,
            SurveyAnswerCreate.model_validate(  # pydantic reads the numbers: its errors are said
                {"csat": csat or None, "nps": nps or None, "comment": comment}
            ),
        )
    except (XieshangError, ValueError) as error:
        return render(
            request,
            ctx,
            "surveys.html",
            invitations=surveys.my_open_surveys(ctx),
            problem=problem(request, error),
            failed=invitation_id,
            bad=problem_field(error) or "csat",
            values={"csat": csat, "nps": nps, "comment": comment},
        )
    return RedirectResponse("/app/surveys?thanks=1", status_code=303)


# -- My agreements ---------------------------------------------------------------------------------


@router.get("/app/agreements", name="ui.agreements")
def agreements_page(request: Request, ctx: Page) -> HTMLResponse:
    """Every agreement of the signed-in customer: standing, what was waived, next due, progress."""
    mine = agreements_service.list_agreements(ctx, page_size=100)
    return render(request, ctx, "agreements.html", agreements=mine.items)


@router.get("/app/agreements/{agreement_id}", name="ui.agreement")
def agreement_page(request: Request, ctx: Page, agreement_id: int) -> HTMLResponse:
    """One agreement: its installed schedule and the terms the customer consented to."""
    found = agreements_service.get_agreement(ctx, agreement_id)
    return render(request, ctx, "agreement.html", agreement=found)


# -- Disputing a charge ----------------------------------------------------------------------------

COMPONENTS = ("penalty", "compound", "fee", "late_fee", "interest")


def _dispute_form(request: Request, ctx: Page, loan_id: int, **extra: Any) -> HTMLResponse:
    detail = loans.get_loan(ctx, loan_id)
    values: dict[str, Any] = {"values": {}, "picked": (), "problem": None, "bad": ""} | extra
    return render(
        request,
        ctx,
        "dispute.html",
        loan=detail,
        lines=disputes.charge_lines(ctx, loan_id),
        components=COMPONENTS,
        **values,
    )


@router.get("/app/loans/{loan_id}/dispute", name="ui.dispute")
def dispute_form(request: Request, ctx: Page, loan_id: int) -> HTMLResponse:
    return _dispute_form(request, ctx, loan_id)


@router.post("/app/loans/{loan_id}/dispute", name="ui.dispute.submit")
def dispute_submit(
    request: Request,
    ctx: FormPage,
    loan_id: int,
    pick: Annotated[list[str] | None, Form(max_length=200)] = None,
    installment: Annotated[str, Form(max_length=4)] = "",
    component: Annotated[str, Form(max_length=16)] = "penalty",
    amount: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """The charges picked from the bill, and one the customer entered, to the engine."""
    entered = {"installment": installment, "component": component, "amount": amount}
    try:
        typed = None
        if amount.strip() or installment.strip():
            typed = ChargedIn.model_validate(entered)
        case = disputes.open_dispute(ctx, loan_id, pick or [], typed)
    except (XieshangError, ValueError) as error:
        return _dispute_form(
            request,
            ctx,
            loan_id,
            values=entered,
            picked=tuple(pick or ()),
            problem=problem(request, error),
            bad=problem_field(error),
        )
    return RedirectResponse(f"/app/negotiations/{case.id}", status_code=303)


# -- Changing the loan: another due date, a longer term; an application is staff's ---------------


@router.get("/app/loans/{loan_id}/change", name="ui.change")
def change_form(request: Request, ctx: Page, loan_id: int) -> HTMLResponse:
    detail = loans.get_loan(ctx, loan_id)
    return render(request, ctx, "change.html", loan=detail, values={}, problem=None, bad="")


@router.post("/app/loans/{loan_id}/change", name="ui.change.submit")
def change_submit(
    request: Request,
    ctx: FormPage,
    loan_id: int,
    preferred_due_day: Annotated[str, Form(max_length=2)] = "",
    verified_income: Annotated[str, Form(max_length=20)] = "",
    stated_income: Annotated[str, Form(max_length=20)] = "",
    essential_expenses: Annotated[str, Form(max_length=20)] = "",
    other_debt_service: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Another due date (the engine's due-date offer) and, if the installment is more than the
    customer can afford, the longer-term plans of the hardship path."""
    values = {
        "verified_income": verified_income,
        "stated_income": stated_income,
        "essential_expenses": essential_expenses,
        "other_debt_service": other_debt_service,
    }
    try:
        case = _open_hardship(ctx, loan_id, values, "other", preferred_due_day)
    except (XieshangError, ValueError) as error:
        detail = loans.get_loan(ctx, loan_id)
        return render(
            request,
            ctx,
            "change.html",
            loan=detail,
            values=values | {"preferred_due_day": preferred_due_day},
            problem=problem(request, error),
            bad=problem_field(error),
        )
    return RedirectResponse(f"/app/negotiations/{case.id}", status_code=303)
