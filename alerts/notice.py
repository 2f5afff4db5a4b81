"""A notice: everything one email section says about one rule's condition, as plain data.

Notices are stored as JSON in the outbox (history) and rendered by the email templates; they
hold no post author, only masked sample texts, and times in UTC (shown in WIB by the templates).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote


@dataclass
class Notice:
    key: str  # idempotency key: rule, scope and window
    rule: str
    kind: str  # alert, repeat, resolved, watch
    detector: str
    scope: str  # the scope as a query-language string
    window_start: datetime
    window_end: datetime
    title: str = ""  # who or what it is about, e.g. the agency's short name
    description: str = ""
    language: str = "id"
    finding: dict[str, Any] = field(default_factory=dict)  # unit, observed, expected, ratio, z, severity
    sentiment: dict[str, int] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    regions: list[tuple[str, int]] = field(default_factory=list)
    sources: list[tuple[str, int]] = field(default_factory=list)
    samples: list[dict[str, Any]] = field(default_factory=list)
    amplification: dict[str, Any] | None = None
    chart: list[tuple[datetime, int]] = field(default_factory=list)  # hourly posts, last 7 days
    link: str = ""

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        for name in ("window_start", "window_end"):
            data[name] = getattr(self, name).isoformat()
        data["chart"] = [(t.isoformat(), n) for t, n in self.chart]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Notice:
        values = dict(data)
        for name in ("window_start", "window_end"):
            values[name] = datetime.fromisoformat(values[name])
        values["chart"] = [(datetime.fromisoformat(t), n) for t, n in values.get("chart", [])]
        values["regions"] = [tuple(r) for r in values.get("regions", [])]
        values["sources"] = [tuple(s) for s in values.get("sources", [])]
        return cls(**values)


def dashboard_link(base_url: str, scope: str) -> str:
    """The dashboard's search page filtered to exactly the scope."""
    return f"{base_url.rstrip('/')}/search?q={quote(scope, safe='')}"
