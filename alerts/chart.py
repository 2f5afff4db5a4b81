"""The small 7-day chart of an alert email: hourly posts as a PNG (matplotlib, Agg backend)."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo


def render_chart(series: list[tuple[datetime, int]], window: tuple[datetime, datetime], tz: str = "Asia/Jakarta",
                 title: str = "") -> bytes:
    """A 600x200 PNG: posts per hour in local time, the alert window shaded."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure

    zone = ZoneInfo(tz)
    fig = Figure(figsize=(6, 2), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    if series:
        times = [t.astimezone(zone).replace(tzinfo=None) for t, _ in series]
        ax.fill_between(times, [n for _, n in series], step="post", color="#4a7ab5", alpha=0.8, linewidth=0)
    ax.axvspan(window[0].astimezone(zone).replace(tzinfo=None), window[1].astimezone(zone).replace(tzinfo=None),
               color="#d9534f", alpha=0.25, linewidth=0)
    ax.xaxis.set_major_locator(mdates.DayLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d/%m"))
    ax.tick_params(labelsize=7)
    ax.set_ylim(bottom=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title, fontsize=8, loc="left")
    fig.tight_layout(pad=0.4)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
