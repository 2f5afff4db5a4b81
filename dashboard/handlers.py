"""The one error handler: every error becomes a page or a JSON body of one shape.

JSON for ``/api/...`` and for clients that ask for it; a page otherwise. A browser without a
session is sent to the login page with ``next`` set, an API client gets 401.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from dashboard.errors import DashboardError, NotAuthenticated
from dashboard.render import render
from pantau.errors import PantauError

log = logging.getLogger("pantau.dashboard")


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.startswith("/api/") or ("application/json" in accept and "text/html" not in accept)


def respond(request: Request, error: DashboardError) -> Response:
    if isinstance(error, NotAuthenticated) and not wants_json(request) and request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    headers = {"retry-after": str(error.extra["retry_after"])} if "retry_after" in error.extra else None
    if wants_json(request):
        return JSONResponse(error.payload(), status_code=error.status, headers=headers)
    response = render(request, "error.html", status=error.status, error=error)
    if headers:
        response.headers.update(headers)
    return response


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DashboardError)
    async def dashboard_error(request: Request, exc: DashboardError) -> Response:
        return respond(request, exc)

    @app.exception_handler(PantauError)
    async def pantau_error(request: Request, exc: PantauError) -> Response:
        log.warning("request %s failed: %s", request.url.path, exc)
        return respond(request, DashboardError(str(exc), status=503))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return respond(request, DashboardError(str(exc.detail), status=exc.status_code))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        location = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path", "form")]
        field = ".".join(location) or None
        message = f"{field}: {first.get('msg', 'invalid value')}" if field else str(first.get("msg", "invalid request"))
        return respond(request, DashboardError(message, status=422, field=field))
