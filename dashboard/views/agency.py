"""Agency pages: the list of agencies the user may see, and one agency's dashboard.

An agency-role user sees only the agencies in their scope; asking for another one is a 403.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from dashboard.auth import current_user
from dashboard.context import Dashboard, context
from dashboard.data.alerts_feed import current_alerts
from dashboard.data.overview import overview
from dashboard.errors import Forbidden, NotFound
from dashboard.labels import Labels
from dashboard.params import scoped
from dashboard.render import language, render
from dashboard.users import User
from dashboard.views.overview import dashboard_page, window
from indexer.query import DateRange, FieldIs
from indexer.store import Terms

LIST_WINDOW = timedelta(days=7)


def _check(ctx: Dashboard, user: User, slug: str) -> None:
    if slug not in ctx.taxonomy.agencies:
        raise NotFound(f"no agency {slug!r} in the taxonomy")
    if not user.may_see_agency(slug):
        raise Forbidden(f"your account may see {', '.join(user.agencies)} only")


def _agencies(ctx: Dashboard, user: User) -> list[dict[str, Any]]:
    """The agencies the user may see, with their posts and negative posts of the last 7 days."""
    now = datetime.now(timezone.utc)
    visible = [a for a in ctx.taxonomy.agencies.values() if user.may_see_agency(a.slug)]
    result = ctx.store.aggregate(scoped(user, DateRange(start=now - LIST_WINDOW, end=now)), {
        "agency": Terms("agency", size=len(ctx.taxonomy.agencies) + 20, sub={"sentiment": Terms("sentiment", size=3)}),
    })
    counts = {b.key: b for b in result["agency"].buckets}
    rows = []
    for agency in visible:
        bucket = counts.get(agency.slug)
        negative = next((s.count for s in bucket.sub["sentiment"].buckets if s.key == "negative"), 0) if bucket else 0
        rows.append({"slug": agency.slug, "name": agency.name, "short": agency.short, "kind": agency.kind,
                     "posts_7d": bucket.count if bucket else 0, "negative_7d": negative})
    return rows


def agencies_api(request: Request, user: User = Depends(current_user)) -> list[dict[str, Any]]:
    """The agencies the caller may see, with posts and negative posts of the last 7 days."""
    return _agencies(context(request), user)


def agencies_page(request: Request, user: User = Depends(current_user)) -> HTMLResponse:
    ctx = context(request)
    return render(request, "agencies.html", agencies=_agencies(ctx, user), labels=Labels(ctx, language(request)))


def agency_api(request: Request, slug: str, range: str = "7d", interval: str | None = None,
               user: User = Depends(current_user)) -> dict[str, Any]:
    """The overview narrowed to one agency; 403 when the agency is outside the caller's scope."""
    ctx = context(request)
    _check(ctx, user, slug)
    range_, interval_ = window(range, interval)
    data = overview(ctx, user, range_, interval_, focus=FieldIs("agency", slug))
    data["agency"] = slug
    data["alerts"] = current_alerts(ctx, user, slug)
    return data


def agency_page(request: Request, slug: str, range: str = "7d", interval: str | None = None,
                user: User = Depends(current_user)) -> HTMLResponse:
    _check(context(request), user, slug)
    return dashboard_page(request, user, range, interval, agency=slug)
