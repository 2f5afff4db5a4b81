"""The overview page (``/``) and ``GET /api/overview``: what the PR team keeps open all day.

The agency page is the same view narrowed to one agency (``views/agency.py``).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from dashboard.auth import current_user
from dashboard.charts import terms_chart, volume_chart
from dashboard.context import context
from dashboard.data.alerts_feed import current_alerts
from dashboard.data.overview import DEFAULT_INTERVAL, RANGES, overview
from dashboard.errors import DashboardError
from dashboard.labels import Labels
from dashboard.params import INTERVALS, SearchParams
from dashboard.render import language, render
from dashboard.tiles import region_tiles
from dashboard.users import User
from indexer.query import FieldIs


def window(range_: str, interval: str | None) -> tuple[str, str]:
    if range_ not in RANGES:
        raise DashboardError(f"range: expected one of {', '.join(RANGES)}", field="range")
    interval = interval or DEFAULT_INTERVAL[range_]
    if interval not in INTERVALS:
        raise DashboardError(f"interval: expected one of {', '.join(INTERVALS)}", field="interval")
    return range_, interval


def overview_api(request: Request, range: str = "7d", interval: str | None = None,
                 user: User = Depends(current_user)) -> dict[str, Any]:
    """Volume and sentiment over time, kinds, top topics/agencies/sources, posts per region,
    posts new since the caller's previous visit and current alerts, within the caller's scope.
    ``range``: 24h, 7d, 30d or 90d; ``interval``: hour, day or week."""
    range_, interval_ = window(range, interval)
    ctx = context(request)
    data = overview(ctx, user, range_, interval_)
    data["alerts"] = current_alerts(ctx, user)
    return data


def overview_page(request: Request, range: str = "7d", interval: str | None = None,
                  user: User = Depends(current_user)) -> HTMLResponse:
    return dashboard_page(request, user, range, interval)


def dashboard_page(request: Request, user: User, range: str, interval: str | None,
                   agency: str | None = None) -> HTMLResponse:
    """The overview, or with ``agency`` the agency page: the same charts narrowed to it."""
    range_, interval_ = window(range, interval)
    ctx = context(request)
    focus = FieldIs("agency", agency) if agency else None
    data = overview(ctx, user, range_, interval_, datetime.now(timezone.utc), focus)
    labels = Labels(ctx, language(request))
    narrowed = (("agency", agency),) if agency else ()
    base = SearchParams(filters=narrowed, since=data["start"])
    charts = {
        "chart-volume": volume_chart(data["volume"], interval_, data["end"], labels,
                                     SearchParams(filters=narrowed, interval=interval_)),
        "chart-sentiment": terms_chart("sentiment", data["sentiment"], labels, base, kind="doughnut"),
        "chart-kinds": terms_chart("kind", data["kinds"], labels, base, kind="doughnut"),
        "chart-topics": terms_chart("topic", data["topics"], labels, base),
        "chart-agencies": terms_chart("agency", data["agencies"], labels, base),
        "chart-sources": terms_chart("source", data["sources"], labels, base, kind="doughnut"),
    }
    return render(request, "overview.html", data=data, charts=charts, labels=labels, ranges=list(RANGES),
                  intervals=INTERVALS, tiles=region_tiles(ctx, data["regions"], base), agency=agency,
                  alerts=current_alerts(ctx, user, agency), base=base)
