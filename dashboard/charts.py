"""Chart specifications for ``static/app.js``: labels, series, and a search link per point.

Every chart is clickable: each point, bar or slice links to the search filtered to what it
shows (the bucket's time span, the term, the sentiment).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from dashboard.labels import Labels
from dashboard.params import SearchParams
from pantau.post import SENTIMENT_LABELS

COLORS = {"positive": "#2e8540", "neutral": "#8a94a6", "negative": "#c0392b", "total": "#0b5fa5"}
PALETTE = ["#0b5fa5", "#d98c00", "#2e8540", "#c0392b", "#6f42c1", "#17a2b8", "#8a94a6", "#e83e8c", "#20c997", "#795548"]
_TICK = {"hour": "%d/%m %H:%M", "day": "%d/%m", "week": "%d/%m"}


_STEP = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(weeks=1)}


def _spans(volume: list[dict[str, Any]], interval: str, end: str | None) -> list[tuple[str, str]]:
    """[start, end) of each bucket; the last one ends at ``end`` or one interval after its start."""
    starts = [b["start"] for b in volume]
    if starts and end is None:
        end = (datetime.fromisoformat(starts[-1]) + _STEP[interval]).isoformat()
    return list(zip(starts, [*starts[1:], end or ""]))


def volume_chart(volume: list[dict[str, Any]], interval: str, end: str | None, labels: Labels, base: SearchParams,
                 with_sentiment: bool = True) -> dict[str, Any]:
    """Posts over time; with ``with_sentiment`` one line per sentiment label as well."""
    spans = _spans(volume, interval, end)
    ticks = [datetime.fromisoformat(b["start"]).strftime(_TICK[interval]) for b in volume]
    links = [base.url(since=s, until=e, page=1) for s, e in spans]
    series = [{"label": labels.t("total"), "data": [b["count"] for b in volume], "color": COLORS["total"], "links": links}]
    if with_sentiment:
        for label in SENTIMENT_LABELS:
            series.append({
                "label": labels.t(f"sentiment_{label}"), "data": [b.get(label, 0) for b in volume], "color": COLORS[label],
                "links": [base.toggled("sentiment", label).url(since=s, until=e) for s, e in spans],
            })
    return {"type": "line", "labels": ticks, "series": series}


def terms_chart(field: str, items: list[dict[str, Any]], labels: Labels, base: SearchParams,
                kind: str = "bar") -> dict[str, Any]:
    """Top values of ``field``; each bar (or slice) searches for that value."""
    colors = [COLORS.get(i["key"], PALETTE[n % len(PALETTE)]) for n, i in enumerate(items)]
    return {
        "type": kind,
        "horizontal": kind == "bar",
        "labels": [labels.value(field, i["key"]) for i in items],
        "series": [{"label": labels.t(f"facet_{field}"), "data": [i["count"] for i in items],
                    "color": colors[0] if kind == "bar" and colors else None, "colors": colors}],
        "links": [base.toggled(field, i["key"]).url() for i in items],
    }
