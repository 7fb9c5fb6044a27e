"""The pages. Each route reads the request, calls a service, renders a template; that is all."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import jinja2
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from xieshang.audit.service import OUTCOMES, activity_by_person, verify_chain
from xieshang.auth.service import login, revoke
from xieshang.collection.schemas import ContactIn
from xieshang.collection.service import contact_log, make_contact
from xieshang.complaints import intake
from xieshang.complaints import service as complaint_service
from xieshang.complaints import statistics as complaint_statistics
from xieshang.complaints import workflow as complaint_workflow
from xieshang.complaints.records import require_complaint
from xieshang.complaints.schemas import ComplaintCreate, NoteIn
from xieshang.context import Context
from xieshang.domain.conduct import lint_message
from xieshang.errors import NotAuthenticated, XieshangError
from xieshang.feedback import surveys
from xieshang.feedback.schemas import SurveyAnswerCreate
from xieshang.loans import service as loans
from xieshang.loans.portfolio import Row, portfolio
from xieshang.models.user import Role
from xieshang.negotiations import service as negotiations
from xieshang.negotiations.policy_review import policy_in_force, review_draft
from xieshang.negotiations.schemas import (
    AcceptIn,
    AdjustIn,
    FinancesIn,
    NegotiationCreate,
    RequestIn,
)
from xieshang.notifications.inbox import mark_read, my_inbox
from xieshang.policy.loader import load_policy
from xieshang.web.deps import app_state, public_context, signed_in_user
from xieshang.web.ui import i18n
from xieshang.web.ui.session import (
    LANGUAGE_COOKIE,
    check_csrf,
    clear_session,
    csrf_token,
    language,
    session_token,
    set_session,
)

TEMPLATES = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=True,  # everything shown is escaped: complaint text is customer input
    )
)
router = APIRouter(include_in_schema=False)
HARDSHIPS = (
    "income_drop_temporary",
    "job_loss",
    "illness",
    "business_downturn",
    "family",
    "over_indebted",
    "other",
)


class LoginRequired(Exception):
    """The page needs a signed-in user; the handler sends the browser to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def page_context(request: Request, ctx: Annotated[Context, Depends(public_context)]) -> Context:
    token = session_token(request)
    if token is None:
        raise LoginRequired(request.url.path)
    try:
        ctx.user = signed_in_user(request, token)
    except NotAuthenticated:
        raise LoginRequired(request.url.path) from None
    return ctx


Page = Annotated[Context, Depends(page_context)]


def form_context(request: Request, ctx: Page, csrf: Annotated[str, Form()]) -> Context:
    """A page's form post: signed in, and carrying this session's CSRF token."""
    check_csrf(ctx.settings, session_token(request) or "", csrf)
    return ctx


FormPage = Annotated[Context, Depends(form_context)]


def render(
    request: Request, ctx: Context | None, name: str, status: int = 200, **values: Any
) -> HTMLResponse:
    lang = language(request)
    token = session_token(request)
    values |= {
        "lang": lang,
        "t": lambda key: i18n.translate(key, lang),
        "user": ctx.user if ctx else None,
        "csrf": csrf_token(app_state(request).settings, token) if token else "",
        "path": request.url.path,
        "yuan": _yuan,
        "percent": _percent,
    }
    response: HTMLResponse = TEMPLATES.TemplateResponse(request, name, values, status_code=status)
    return response


def is_page(request: Request) -> bool:
    """Requests from the web application get HTML errors; the API keeps problem JSON."""
    path = request.url.path
    return path.startswith(("/app", "/login", "/logout", "/lang"))


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, None, "error.html", status=status, message=message)


@router.get("/login", name="ui.login")
def login_form(request: Request, next: str = "/app") -> HTMLResponse:
    return render(request, None, "login.html", next=_safe_next(next), failed=False)


@router.post("/login", name="ui.login.submit")
def login_submit(
    request: Request,
    ctx: Annotated[Context, Depends(public_context)],
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form(max_length=200)] = "/app",
) -> Response:
    try:
        issued = login(ctx, username, password)
    except NotAuthenticated:
        return render(request, None, "login.html", status=401, next=_safe_next(next), failed=True)
    response = RedirectResponse(_safe_next(next), status_code=303)
    state = app_state(request)
    set_session(response, issued.token, state.settings, request.url.scheme == "https")
    return response


@router.post("/logout", name="ui.logout")
def logout(request: Request, ctx: FormPage) -> Response:
    revoke(ctx, session_token(request) or "")
    response = RedirectResponse("/login", status_code=303)
    clear_session(response)
    return response


@router.get("/lang/{code}", name="ui.language")
def switch_language(code: str, next: str = "/app") -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE, code if code in i18n.LANGUAGES else "zh", samesite="lax", path="/"
    )
    return response


@router.get("/app", name="ui.home")
def home(request: Request, ctx: Page) -> Response:
    assert ctx.user is not None
    if ctx.user.role in (Role.AGENT, Role.SUPERVISOR):
        return RedirectResponse("/app/queue", status_code=303)
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
    return render(
        request, ctx, "loan.html", loan=detail, statement=statement, chart=_balance_chart(detail)
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
    return render(request, ctx, "negotiate.html", loan=detail, hardships=HARDSHIPS, values={})


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
    preferred_due_day: Annotated[str, Form(max_length=2)] = "",
) -> Response:
    values = {
        "verified_income": verified_income,
        "stated_income": stated_income,
        "essential_expenses": essential_expenses,
        "other_debt_service": other_debt_service,
        "lump_sum_available": lump_sum_available or "0",
    }
    shown = values | {"preferred_due_day": preferred_due_day}
    try:
        case = negotiations.open_case(
            ctx,
            NegotiationCreate(
                loan_id=loan_id,
                finances=FinancesIn.model_validate(values),
                request=RequestIn.model_validate(
                    {
                        "scenario": "hardship",
                        "hardship": hardship,
                        "preferred_due_day": preferred_due_day or None,
                    }
                ),
            ),
        )
    except (XieshangError, ValueError) as error:
        detail = loans.get_loan(ctx, loan_id)
        return render(  # the form again, with what was wrong (200: a page, not an API error)
            request,
            ctx,
            "negotiate.html",
            loan=detail,
            hardships=HARDSHIPS,
            values=shown,
            problem=_problem(error),
        )
    return RedirectResponse(f"/app/negotiations/{case.id}", status_code=303)


@router.get("/app/negotiations/{case_id}", name="ui.case")
def case_page(request: Request, ctx: Page, case_id: int) -> HTMLResponse:
    case = negotiations.get_case(ctx, case_id)
    return render(request, ctx, "case.html", case=case)


@router.get("/app/negotiations/{case_id}/what-if", name="ui.what_if")
def what_if(request: Request, ctx: Page, case_id: int, monthly_payment: str = "0") -> HTMLResponse:
    """The slider's live answer (an HTML fragment for htmx)."""
    try:
        answer = negotiations.what_if(ctx, case_id, monthly_payment)
    except (XieshangError, ValueError) as error:
        return render(request, ctx, "_what_if.html", answer=None, problem=_problem(error))
    return render(request, ctx, "_what_if.html", answer=answer, problem=None)


class AdjustForm:
    """The adjust form's fields (strings from the browser, checked by ``AdjustIn``)."""

    def __init__(
        self,
        months: Annotated[str, Form(max_length=4)] = "",
        annual_rate: Annotated[str, Form(max_length=24)] = "",
        forbear: Annotated[str, Form(max_length=20)] = "0",
        grace_months: Annotated[str, Form(max_length=3)] = "0",
        waive: Annotated[str, Form(max_length=3)] = "",
        note: Annotated[str, Form(max_length=500)] = "",
    ) -> None:
        self.values = {
            "months": months,
            "annual_rate": annual_rate,
            "forbear": forbear or "0",
            "grace_months": grace_months or "0",
            "waive": waive == "yes",
            "note": note,
        }

    def parsed(self) -> AdjustIn:
        return AdjustIn.model_validate(self.values)


@router.post("/app/negotiations/{case_id}/adjust/preview", name="ui.adjust.preview")
def adjust_preview(
    request: Request, ctx: FormPage, case_id: int, form: Annotated[AdjustForm, Depends()]
) -> HTMLResponse:
    """The engine's live verdict on the plan being shaped (an htmx fragment; stores nothing)."""
    try:
        checked = negotiations.preview_adjustment(ctx, case_id, form.parsed())
    except (XieshangError, ValueError) as error:
        return render(request, ctx, "_adjust_preview.html", checked=None, problem=_problem(error))
    return render(request, ctx, "_adjust_preview.html", checked=checked, problem=None)


@router.post("/app/negotiations/{case_id}/adjust", name="ui.adjust")
def adjust_submit(
    request: Request, ctx: FormPage, case_id: int, form: Annotated[AdjustForm, Depends()]
) -> Response:
    try:
        negotiations.adjust(ctx, case_id, form.parsed())
    except (XieshangError, ValueError) as error:
        return error_page(request, 422, _problem(error))
    return RedirectResponse(f"/app/negotiations/{case_id}", status_code=303)


@router.get("/app/customers/{customer_id}/contacts", name="ui.contacts")
def contacts_page(request: Request, ctx: Page, customer_id: int) -> HTMLResponse:
    return _contacts(request, ctx, customer_id)


@router.post("/app/customers/{customer_id}/contacts", name="ui.contacts.make")
def make_contact_page(
    request: Request,
    ctx: FormPage,
    customer_id: int,
    channel: Annotated[str, Form(max_length=16)] = "phone",
    party: Annotated[str, Form(max_length=16)] = "debtor",
    purpose: Annotated[str, Form(max_length=16)] = "collection",
    outcome: Annotated[str, Form(max_length=24)] = "answered",
    message: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Make a contact: the conduct rules are checked first; a refusal names its rule."""
    values = {
        "customer_id": customer_id,
        "channel": channel,
        "party": party,
        "purpose": purpose,
        "outcome": outcome,
        "message": message,
    }
    try:
        make_contact(ctx, ContactIn.model_validate(values))
    except (XieshangError, ValueError) as error:
        return _contacts(request, ctx, customer_id, problem=_problem(error), values=values)
    return RedirectResponse(f"/app/customers/{customer_id}/contacts", status_code=303)


def _contacts(request: Request, ctx: Page, customer_id: int, **extra: Any) -> HTMLResponse:
    log = contact_log(ctx, customer_id)
    values = {"problem": None, "values": {}} | extra
    return render(request, ctx, "contacts.html", customer_id=customer_id, log=log, **values)


@router.get("/app/negotiations/{case_id}/offers/{offer_id}", name="ui.terms")
def terms_page(request: Request, ctx: Page, case_id: int, offer_id: int) -> HTMLResponse:
    terms = negotiations.offer_terms(ctx, case_id, offer_id, language(request))
    case = negotiations.get_case(ctx, case_id)
    return render(request, ctx, "terms.html", case=case, terms=terms)


@router.post("/app/negotiations/{case_id}/offers/{offer_id}/accept", name="ui.accept")
def accept(
    request: Request,
    ctx: FormPage,
    case_id: int,
    offer_id: int,
    terms_sha256: Annotated[str, Form()],
    consent: Annotated[str | None, Form()] = None,
) -> Response:
    if consent != "yes":
        terms = negotiations.offer_terms(ctx, case_id, offer_id, language(request))
        case = negotiations.get_case(ctx, case_id)
        return render(request, ctx, "terms.html", case=case, terms=terms, need_consent=True)
    _, agreement = negotiations.accept_offer(
        ctx,
        case_id,
        offer_id,
        AcceptIn(consent=True, terms_sha256=terms_sha256, channel="web"),
        f"web-{csrf_token(ctx.settings, session_token(request) or '')[:16]}-{case_id}-{offer_id}",
    )
    return RedirectResponse(f"/app/loans/{agreement.loan_id}", status_code=303)


@router.post("/app/negotiations/{case_id}/offers/{offer_id}/{decision}", name="ui.decide")
def decide(
    request: Request,
    ctx: FormPage,
    case_id: int,
    offer_id: int,
    decision: str,
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    if decision not in ("approve", "reject"):
        return error_page(request, 404, "no such decision")
    negotiations.decide(ctx, case_id, offer_id, approve=decision == "approve", note=note)
    return RedirectResponse(f"/app/negotiations/{case_id}", status_code=303)


@router.get("/app/queue", name="ui.queue")
def queue(request: Request, ctx: Page) -> HTMLResponse:
    waiting = negotiations.list_cases(ctx, awaiting=True, page_size=100)
    return render(request, ctx, "queue.html", cases=waiting.items)


@router.get("/app/complaints", name="ui.complaints")
def complaints_page(request: Request, ctx: Page) -> Response:
    assert ctx.user is not None
    if ctx.user.role is not Role.CUSTOMER:
        return RedirectResponse("/app/complaints/queue", status_code=303)
    mine = complaint_service.list_complaints(ctx, page_size=50)
    about = request.query_params.get("about")
    loan_no = request.query_params.get("loan", "")[:32]
    start = {
        "charge": f"贷款 {loan_no} 的收费有误：",
        "service": f"关于贷款 {loan_no} 的服务问题：",
    }
    text = start.get(about or "", "")
    return render(request, ctx, "complaints.html", complaints=mine.items, text=text, problem=None)


@router.post("/app/complaints", name="ui.complaints.file")
def file_complaint_page(
    request: Request,
    ctx: FormPage,
    text: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    try:
        complaint = intake.file_complaint(ctx, ComplaintCreate(text=text, channel="web"))
    except (XieshangError, ValueError) as error:
        mine = complaint_service.list_complaints(ctx, page_size=50)
        return render(
            request,
            ctx,
            "complaints.html",
            complaints=mine.items,
            text=text,
            problem=_problem(error),
        )
    return RedirectResponse(f"/app/complaints/{complaint.id}", status_code=303)


@router.get("/app/complaints/queue", name="ui.complaints.queue")
def complaint_queue_page(request: Request, ctx: Page) -> HTMLResponse:
    waiting = complaint_service.queue(ctx, page_size=100)
    return render(request, ctx, "complaint_queue.html", complaints=waiting.items)


@router.get("/app/complaints/{complaint_id}", name="ui.complaint")
def complaint_page(request: Request, ctx: Page, complaint_id: int) -> HTMLResponse:
    return _complaint(request, ctx, complaint_id)


@router.post("/app/complaints/{complaint_id}/acknowledge", name="ui.complaint.acknowledge")
def acknowledge_page(request: Request, ctx: FormPage, complaint_id: int) -> Response:
    complaint_workflow.acknowledge(ctx, complaint_id, "")
    return RedirectResponse(f"/app/complaints/{complaint_id}", status_code=303)


@router.post("/app/complaints/{complaint_id}/reply", name="ui.complaint.reply")
def reply_page(
    request: Request,
    ctx: FormPage,
    complaint_id: int,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """An answer the customer will read: the message linter checks it first."""
    findings = lint_message(note, load_policy().conduct.lint)
    if findings:
        return _complaint(request, ctx, complaint_id, reply=note, findings=findings)
    try:
        complaint_workflow.add_note(ctx, complaint_id, NoteIn(note=note, customer_visible=True))
    except (XieshangError, ValueError) as error:
        return _complaint(request, ctx, complaint_id, reply=note, problem=_problem(error))
    return RedirectResponse(f"/app/complaints/{complaint_id}", status_code=303)


def _complaint(request: Request, ctx: Page, complaint_id: int, **extra: Any) -> HTMLResponse:
    complaint = complaint_service.view(ctx, require_complaint(ctx, complaint_id))
    values = {"reply": "", "findings": (), "problem": None} | extra
    return render(request, ctx, "complaint.html", complaint=complaint, **values)


@router.get("/app/reports/complaints.{file_format}", name="ui.complaints.report")
def complaints_report(request: Request, ctx: Page, file_format: str) -> Response:
    report = complaint_statistics.report_file(ctx, None, None, file_format)
    return Response(
        report.content,
        media_type=report.media_type,
        headers={"Content-Disposition": f'attachment; filename="{report.filename}"'},
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
    return render(request, ctx, "surveys.html", invitations=surveys.my_open_surveys(ctx))


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
            SurveyAnswerCreate(
                csat=int(csat) if csat else None, nps=int(nps) if nps else None, comment=comment
            ),
        )
    except (XieshangError, ValueError) as error:
        return render(
            request,
            ctx,
            "surveys.html",
            invitations=surveys.my_open_surveys(ctx),
            problem=_problem(error),
        )
    return RedirectResponse("/app/surveys?thanks=1", status_code=303)


@router.get("/app/team", name="ui.team")
def team_page(request: Request, ctx: Page) -> HTMLResponse:
    """Supervisors: deadlines at risk and what each person did in the last 30 days."""
    soon = ctx.today() + timedelta(days=max(load_policy().complaints.reminder_days_before))
    at_risk = complaint_service.queue(ctx, due_by=soon, page_size=100)
    approver = ctx.user is not None and ctx.user.role is Role.SUPERVISOR
    waiting = negotiations.list_cases(ctx, awaiting=True, page_size=100).items if approver else []
    outcomes = activity_by_person(ctx, ctx.now() - timedelta(days=30))
    return render(
        request,
        ctx,
        "team.html",
        at_risk=at_risk.items,
        soon=soon,
        waiting=waiting,
        outcomes=outcomes,
        columns=list(OUTCOMES.values()),
    )


@router.get("/app/policy", name="ui.policy")
def policy_page(request: Request, ctx: Page) -> HTMLResponse:
    return render(request, ctx, "policy.html", policy=policy_in_force(ctx), review=None, draft="")


@router.post("/app/policy/review", name="ui.policy.review")
def policy_review_page(
    request: Request,
    ctx: FormPage,
    draft: Annotated[str, Form(max_length=200_000)] = "",
) -> HTMLResponse:
    """Paste a draft policy: what it would change, and every problem that would refuse it."""
    review = review_draft(ctx, draft)
    return render(
        request, ctx, "policy.html", policy=policy_in_force(ctx), review=review, draft=draft
    )


@router.get("/app/audit", name="ui.audit")
def audit_page(request: Request, ctx: Page) -> HTMLResponse:
    return render(request, ctx, "audit.html", report=verify_chain(ctx))


@router.get("/app/portfolio", name="ui.portfolio")
def portfolio_page(request: Request, ctx: Page) -> HTMLResponse:
    report = portfolio(ctx)
    complaints: list[Row] = []
    assert ctx.user is not None
    if ctx.user.role in (Role.COMPLIANCE, Role.ADMIN):
        today = ctx.today()
        month = complaint_statistics.complaint_statistics(ctx, today.replace(day=1), today)
        complaints = [
            Row(key=category, loans=count, principal="0")
            for category, count in month.by_category.most_common()
        ]
    return render(request, ctx, "portfolio.html", report=report, bars=_bars, complaints=complaints)


def _bars(rows: list[Any], width: int = 320) -> list[dict[str, Any]]:
    """Bar lengths for a server-drawn chart (the table beside it carries the same figures)."""
    top = max((r.loans for r in rows), default=0) or 1
    return [
        {"key": r.key, "loans": r.loans, "y": i * 26, "length": round(width * r.loans / top)}
        for i, r in enumerate(rows)
    ]


def _safe_next(path: str) -> str:
    """Only a path on this site (never //host or a scheme): no open redirect."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/app"
    return quote(path, safe="/?=&-_.")


def _yuan(text: str) -> str:
    value = Decimal(text)
    return f"¥{value:,.2f}"


def _percent(text: str) -> str:
    return f"{Decimal(text) * 100:.2f}%"


def _problem(error: Exception) -> str:
    if isinstance(error, XieshangError):
        return str(error)
    errors = getattr(error, "errors", None)
    if callable(errors):
        first = errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(error)
