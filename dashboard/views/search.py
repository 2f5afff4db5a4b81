"""The search page, ``GET /api/search``, exports and saved searches."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from dashboard import export
from dashboard.auth import api_writer, current_user, form_of
from dashboard.charts import volume_chart
from dashboard.context import context
from dashboard.data.search import search, user_query
from dashboard.errors import DashboardError
from dashboard.labels import Labels
from dashboard.params import FACET_FIELDS, INTERVALS, SearchParams
from dashboard.render import language, render
from dashboard.users import User
from indexer.query import QuerySyntaxError
from indexer.store import Sort


def _syntax_error(exc: QuerySyntaxError) -> DashboardError:
    return DashboardError(f"query syntax error at {exc.position}: expected {exc.expected}", field="q",
                          position=exc.position)


def search_api(request: Request, user: User = Depends(current_user)) -> dict[str, Any]:
    """Search with the query language (``q``), facet filters (``f=field:value``, repeatable),
    ``since``/``until``, ``sort`` (newest, oldest, relevance), ``page``, ``size`` and the volume
    ``interval``. A syntax error is a 400 whose ``error.position`` is the offset in ``q``."""
    params = SearchParams.from_request(request.query_params)
    try:
        return search(context(request), user, params)
    except QuerySyntaxError as exc:
        raise _syntax_error(exc) from None


def search_page(request: Request, user: User = Depends(current_user)) -> HTMLResponse:
    ctx = context(request)
    params = SearchParams.from_request(request.query_params)
    labels = Labels(ctx, language(request))
    values: dict[str, Any] = {"params": params, "labels": labels, "facet_fields": FACET_FIELDS, "sorts": list(Sort),
                              "intervals": INTERVALS, "saved": ctx.saved.list(user.username), "charts": {},
                              "result": None, "syntax_error": None}
    try:
        result = search(ctx, user, params)
    except QuerySyntaxError as exc:
        values["syntax_error"] = exc
        return render(request, "search.html", status=400, **values)
    if result["volume"]:
        values["charts"]["chart-query-volume"] = volume_chart(result["volume"], params.interval, None, labels, params,
                                                              with_sentiment=False)
    values["result"] = result
    return render(request, "search.html", **values)


def _export(request: Request, user: User) -> tuple[Any, str]:
    ctx = context(request)
    params = SearchParams.from_request(request.query_params)
    try:
        query = user_query(ctx, user, params)
    except QuerySyntaxError as exc:
        raise _syntax_error(exc) from None
    limit = ctx.cfg.dashboard.export_max_rows
    return export.rows(ctx.store, query, ctx.cfg.tz, limit), params.text()


def export_csv(request: Request, user: User = Depends(current_user)) -> Response:
    """The whole result set (newest first, at most ``[dashboard] export_max_rows``) as CSV."""
    records, _title = _export(request, user)
    return StreamingResponse(export.csv_chunks(records), media_type="text/csv; charset=utf-8",
                             headers={"content-disposition": 'attachment; filename="pantau-posts.csv"'})


def export_xlsx(request: Request, user: User = Depends(current_user)) -> Response:
    """The whole result set as an Excel workbook (sheet ``posts``, and ``query`` with the query)."""
    records, title = _export(request, user)
    return Response(export.xlsx_bytes(records, title),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"content-disposition": 'attachment; filename="pantau-posts.xlsx"'})


def saved_list_api(request: Request, user: User = Depends(current_user)) -> list[dict[str, Any]]:
    """The caller's saved searches."""
    return [vars(s) for s in context(request).saved.list(user.username)]


def saved_create_api(request: Request, name: str, user: User = Depends(api_writer)) -> dict[str, Any]:
    """Save the search given by the query parameters (as for ``/api/search``) under ``name``;
    send the session's CSRF token in ``X-CSRF-Token``."""
    params = SearchParams.from_request(request.query_params)
    return vars(context(request).saved.add(user.username, name, params))


def saved_delete_api(request: Request, search_id: int, user: User = Depends(api_writer)) -> dict[str, Any]:
    """Delete one of the caller's saved searches."""
    context(request).saved.remove(user.username, search_id)
    return {"deleted": search_id}


async def saved_create(request: Request) -> Response:
    form = await form_of(request)
    user = current_user(request)
    params = SearchParams.from_request({k: form.getlist(k) for k in ("q", "f", "since", "until", "sort", "interval")})
    saved = context(request).saved.add(user.username, str(form.get("name", "")), params)
    return RedirectResponse(saved.url, status_code=303)


async def saved_delete(request: Request, search_id: int) -> Response:
    await form_of(request)
    context(request).saved.remove(current_user(request).username, search_id)
    return RedirectResponse("/search", status_code=303)
