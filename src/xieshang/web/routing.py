"""Every route's database transaction ends when its endpoint returns, in the thread that ran it.

FastAPI runs a sync endpoint in a worker thread, then validates its result in *another* worker
thread and only closes request-scoped dependencies after the response is sent. A session left open
across those hand-offs (a service commits, then reads the result back) kept its connection — and on
SQLite the write lock — while the request waited for a free worker; when every worker was waiting for
that lock or connection, the server answered nothing for minutes. :class:`Router` wraps each endpoint
so that the session of every :class:`~xieshang.kit.context.Context` it was given is closed before the
endpoint's thread is handed back. Closing does not expire what was loaded, so the result still reads.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

from xieshang.kit.context import Context

ENDS_TRANSACTION = "xieshang_ends_transaction"


def _close_sessions(kwargs: dict[str, Any]) -> None:
    for value in kwargs.values():
        if isinstance(value, Context):
            value.session.close()


def ends_transaction(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """``endpoint`` with its contexts' sessions closed as it returns or raises."""
    if inspect.iscoroutinefunction(endpoint):

        @functools.wraps(endpoint)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            try:
                return await endpoint(*args, **kwargs)
            finally:
                _close_sessions(kwargs)

        setattr(run_async, ENDS_TRANSACTION, True)
        return run_async

    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return endpoint(*args, **kwargs)
        finally:
            _close_sessions(kwargs)

    setattr(run, ENDS_TRANSACTION, True)
    return run


class Router(APIRouter):
    """The application's router: an ``APIRouter`` whose endpoints end their transactions."""

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().add_api_route(path, ends_transaction(endpoint), **kwargs)
