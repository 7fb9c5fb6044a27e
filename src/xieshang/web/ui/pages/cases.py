"""A negotiation case, for the customer and for staff: offers, what-if, terms and consent, shaping
a plan, approving, and the approval queue."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xieshang.agreements import service as agreements
from xieshang.agreements.schemas import AcceptIn
from xieshang.contacts import workbench
from xieshang.contacts.worklist import worklist
from xieshang.domain.errors import XieshangError
from xieshang.kit.context import Context
from xieshang.models.user import Role
from xieshang.negotiations import service as negotiations
from xieshang.negotiations.schemas import (
    ESCALATION_REASONS,
    AdjustIn,
    CounterIn,
    DeclineIn,
    EscalateIn,
)
from xieshang.web.routing import Router
from xieshang.web.ui.pages.common import (
    FormPage,
    Page,
    error_page,
    problem,
    problem_field,
    render,
)
from xieshang.web.ui.session import (
    csrf_token,
    language,
    session_token,
)

router = Router(include_in_schema=False)


@router.get("/app/negotiations/{case_id}", name="ui.case")
def case_page(request: Request, ctx: Page, case_id: int) -> HTMLResponse:
    return _case(request, ctx, case_id)


def _case(
    request: Request, ctx: Context, case_id: int, status: int = 200, **extra: Any
) -> HTMLResponse:
    """The case; for staff also the workbench beside it (the customer's masked picture, the
    ledger, the engine's recommendation and reasons, escalation)."""
    case = negotiations.get_case(ctx, case_id)
    staff = ctx.user is not None and ctx.user.role in (Role.AGENT, Role.SUPERVISOR)
    values: dict[str, Any] = {
        "picture": workbench.case_picture(ctx, case_id) if staff else None,
        "reasons": ESCALATION_REASONS,
        "adjust": {"problem": None, "field": None, "values": {}},
        "escalation": {"problem": None, "field": None, "offer": None, "values": {}},
        "talk": {"problem": None, "proposed": ""},
    } | extra
    return render(request, ctx, "case.html", status=status, case=case, **values)


@router.get("/app/negotiations/{case_id}/what-if", name="ui.what_if")
def what_if(request: Request, ctx: Page, case_id: int, monthly_payment: str = "0") -> HTMLResponse:
    """The slider's live answer (an HTML fragment for htmx)."""
    try:
        answer = negotiations.what_if(ctx, case_id, monthly_payment)
    except (XieshangError, ValueError) as error:
        return render(request, ctx, "_what_if.html", answer=None, problem=problem(request, error))
    return render(
        request, ctx, "_what_if.html", answer=answer, proposed=monthly_payment, problem=None
    )


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
        return render(
            request, ctx, "_adjust_preview.html", checked=None, problem=problem(request, error)
        )
    return render(request, ctx, "_adjust_preview.html", checked=checked, problem=None)


@router.post("/app/negotiations/{case_id}/adjust", name="ui.adjust")
def adjust_submit(
    request: Request, ctx: FormPage, case_id: int, form: Annotated[AdjustForm, Depends()]
) -> Response:
    try:
        negotiations.adjust(ctx, case_id, form.parsed())
    except (XieshangError, ValueError) as error:
        adjust = {
            "problem": problem(request, error),
            "field": problem_field(error),
            "values": form.values,
        }
        return _case(request, ctx, case_id, 422, adjust=adjust)
    return RedirectResponse(f"/app/negotiations/{case_id}", status_code=303)


@router.post("/app/negotiations/{case_id}/offers/{offer_id}/escalate", name="ui.escalate")
def escalate(
    request: Request,
    ctx: FormPage,
    case_id: int,
    offer_id: int,
    reason: Annotated[str, Form(max_length=32)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """An agent sends an offer up to a supervisor with a reason."""
    try:
        negotiations.escalate(
            ctx, case_id, offer_id, EscalateIn.model_validate({"reason": reason, "note": note})
        )
    except (XieshangError, ValueError) as error:
        escalation = {
            "problem": problem(request, error),
            "field": problem_field(error),
            "offer": offer_id,
            "values": {"reason": reason, "note": note},
        }
        return _case(request, ctx, case_id, 422, escalation=escalation)
    return RedirectResponse(f"/app/negotiations/{case_id}", status_code=303)


@router.get("/app/negotiations/{case_id}/offers/{offer_id}", name="ui.terms")
def terms_page(request: Request, ctx: Page, case_id: int, offer_id: int) -> HTMLResponse:
    terms = agreements.offer_terms(ctx, case_id, offer_id, language(request))
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
    consent_channel: Annotated[Literal["phone", "branch"], Form()] = "phone",
) -> Response:
    """The customer consents on the web; staff record the consent the customer gave them by phone
    or in branch, and how."""
    if consent != "yes":
        terms = agreements.offer_terms(ctx, case_id, offer_id, language(request))
        case = negotiations.get_case(ctx, case_id)
        return render(request, ctx, "terms.html", case=case, terms=terms, need_consent=True)
    agreement = agreements.accept_offer(
        ctx,
        case_id,
        offer_id,
        AcceptIn(
            consent=True, terms_sha256=terms_sha256, channel=_consent_channel(ctx, consent_channel)
        ),
        f"web-{csrf_token(ctx.settings, session_token(request) or '')[:16]}-{case_id}-{offer_id}",
    ).answer
    return RedirectResponse(f"/app/loans/{agreement.loan_id}", status_code=303)


def _consent_channel(
    ctx: Context, told: Literal["phone", "branch"]
) -> Literal["web", "phone", "branch"]:
    """A customer consents here, on the web; a member of staff records how the customer told them."""
    return "web" if ctx.user is not None and ctx.user.role is Role.CUSTOMER else told


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


@router.post("/app/negotiations/{case_id}/propose", name="ui.propose")
def propose(
    request: Request,
    ctx: FormPage,
    case_id: int,
    monthly_payment: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """The customer's own proposal ("I can pay ¥X a month"): the engine answers on the case page,
    and the case goes to staff with that answer."""
    try:
        negotiations.counter(
            ctx, case_id, CounterIn.model_validate({"monthly_payment": monthly_payment})
        )
    except (XieshangError, ValueError) as error:
        talk = {"problem": problem(request, error), "proposed": monthly_payment}
        return _case(request, ctx, case_id, talk=talk)
    return RedirectResponse(f"/app/negotiations/{case_id}#talk", status_code=303)


@router.post("/app/negotiations/{case_id}/call-me", name="ui.call_me")
def call_me(request: Request, ctx: FormPage, case_id: int) -> Response:
    negotiations.call_me(ctx, case_id)
    return RedirectResponse(f"/app/negotiations/{case_id}#callback-due", status_code=303)


@router.post("/app/negotiations/{case_id}/decline", name="ui.decline")
def decline(
    request: Request,
    ctx: FormPage,
    case_id: int,
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    negotiations.decline(ctx, case_id, DeclineIn(note=note))
    return RedirectResponse(f"/app/negotiations/{case_id}", status_code=303)


@router.get("/app/queue", name="ui.queue")
def queue(request: Request, ctx: Page) -> HTMLResponse:
    """The agent's worklist: cases and complaints, deadline first, then risk."""
    return render(request, ctx, "queue.html", work=worklist(ctx))
