"""Administration: logins (open, disable, enable, reset a password) and the batch jobs' runs; and,
for everyone, changing their own password."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from xieshang.auth import service as accounts
from xieshang.auth.schemas import AccountCreate, PasswordChange, PasswordSet
from xieshang.domain.errors import XieshangError
from xieshang.jobs.runner import job_runs
from xieshang.models.user import Role
from xieshang.web.routing import Router
from xieshang.web.ui.pages.common import FormPage, Page, problem, problem_field, render
from xieshang.web.ui.session import clear_session

router = Router(include_in_schema=False)
STAFF_FIRST = (Role.AGENT, Role.SUPERVISOR, Role.COMPLIANCE, Role.ADMIN, Role.CUSTOMER)


@router.get("/app/admin", name="ui.admin")
def admin_page(request: Request, ctx: Page) -> HTMLResponse:
    return _admin(request, ctx)


@router.post("/app/admin/users", name="ui.admin.create")
def create_login(
    request: Request,
    ctx: FormPage,
    username: Annotated[str, Form(max_length=64)] = "",
    display_name: Annotated[str, Form(max_length=64)] = "",
    role: Annotated[str, Form(max_length=16)] = "agent",
    password: Annotated[str, Form(max_length=256)] = "",
    customer_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    values = {
        "username": username.strip(),
        "display_name": display_name,
        "role": role,
        "customer_id": customer_id.strip() or None,
    }
    try:
        made = accounts.open_account(
            ctx, AccountCreate.model_validate(values | {"password": password})
        )
    except (XieshangError, ValidationError) as error:
        return _admin(
            request, ctx, problem=problem(request, error), field=problem_field(error), values=values
        )
    return RedirectResponse(f"/app/admin?created={made.id}", status_code=303)


@router.post("/app/admin/users/{user_id}/{action}", name="ui.admin.user")
def change_login(
    request: Request,
    ctx: FormPage,
    user_id: int,
    action: str,
    password: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    try:
        if action in ("disable", "enable"):
            accounts.set_active(ctx, user_id, action == "enable")
        elif action == "password":
            accounts.set_password(ctx, user_id, PasswordSet(password=password))
        else:
            return _admin(
                request, ctx, status=404, problem=problem(request, f"no such action: {action}")
            )
    except (XieshangError, ValidationError) as error:
        return _admin(request, ctx, problem=problem(request, error), row=user_id)
    return RedirectResponse(f"/app/admin?changed={user_id}", status_code=303)


def _admin(request: Request, ctx: Page, status: int = 200, **extra: Any) -> HTMLResponse:
    values: dict[str, Any] = {
        "problem": None,
        "field": None,
        "values": {"role": Role.AGENT.value},
        "row": None,
    } | extra
    return render(
        request,
        ctx,
        "admin.html",
        status=status,
        logins=accounts.list_accounts(ctx, page_size=200),
        runs=job_runs(ctx, 20),
        roles=[r.value for r in STAFF_FIRST],
        created=request.query_params.get("created"),
        changed=request.query_params.get("changed"),
        **values,
    )


@router.get("/app/account", name="ui.account")
def account_page(request: Request, ctx: Page) -> HTMLResponse:
    return render(request, ctx, "account.html", problem=None, field=None)


@router.post("/app/account/password", name="ui.account.password")
def change_password(
    request: Request,
    ctx: FormPage,
    current_password: Annotated[str, Form(max_length=256)] = "",
    new_password: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    try:
        accounts.change_own_password(
            ctx, PasswordChange(current_password=current_password, new_password=new_password)
        )
    except (XieshangError, ValidationError) as error:
        return render(
            request,
            ctx,
            "account.html",
            problem=problem(request, error),
            field=problem_field(error),
        )
    response = RedirectResponse("/login?changed=1", status_code=303)
    clear_session(response)  # every session ended: sign in again with the new password
    return response
