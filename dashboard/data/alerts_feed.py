"""Alert notices from the alerts outbox (history), as the dashboard shows them.

Read through ``alerts.outbox.Outbox`` only. An agency user sees a notice only when its scope
names one of their agencies.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from dashboard.context import Dashboard
from dashboard.users import User
from indexer.query import FieldIs, QuerySyntaxError, parse, walk

CURRENT_WINDOW = timedelta(hours=24)


def scope_agencies(scope: str) -> set[str]:
    """The agencies a notice's scope (a query-language string) filters on."""
    try:
        tree = parse(scope)
    except QuerySyntaxError:
        return set()
    return {node.value for node in walk(tree) if isinstance(node, FieldIs) and node.field == "agency"}


def visible(user: User, scope: str, agency: str | None = None) -> bool:
    agencies = scope_agencies(scope)
    if agency is not None and agency not in agencies:
        return False
    return not user.scoped or bool(agencies & set(user.agencies))


def history(ctx: Dashboard, user: User, since: datetime | None = None, agency: str | None = None,
            rule: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Notices newest first, with their deliveries, within the user's scope."""
    from alerts.outbox import FILE_NAME, Outbox

    path = ctx.cfg.data_dir / FILE_NAME
    if not path.exists():
        return []
    with Outbox(path) as outbox:
        rows = outbox.history(since=since, rule=rule, limit=limit * 4 if user.scoped or agency else limit)
    items = []
    for row in rows:
        payload = row.payload
        scope = str(payload.get("scope", ""))
        if not visible(user, scope, agency):
            continue
        finding = payload.get("finding") or {}
        items.append({
            "key": row.key, "rule": row.rule, "kind": row.kind, "at": row.created_at.isoformat(),
            "title": payload.get("title", ""), "scope": scope, "detector": payload.get("detector", ""),
            "window_start": payload.get("window_start"), "window_end": payload.get("window_end"),
            "finding": finding, "terms": payload.get("terms", []), "samples": payload.get("samples", []),
            "summary": _summary(payload),
            "search_url": "/search?" + _query_string(scope) if scope else "",
            "deliveries": [{"recipient": r, "status": s, "attempts": a} for r, s, a in row.deliveries],
            "payload": payload,
        })
    return items[:limit]


def current_alerts(ctx: Dashboard, user: User, agency: str | None = None) -> list[dict[str, Any]]:
    """Notices of the last 24 hours."""
    return history(ctx, user, since=datetime.now(timezone.utc) - CURRENT_WINDOW, agency=agency, limit=10)


def _summary(payload: dict[str, Any]) -> str:
    finding = payload.get("finding") or {}
    parts = [str(payload.get("title") or "")]
    if isinstance(finding.get("observed"), (int, float)) and isinstance(finding.get("expected"), (int, float)):
        parts.append(f"{finding['observed']:g} vs {finding['expected']:g} {finding.get('unit', '')}".strip())
    if payload.get("terms"):
        parts.append(", ".join(payload["terms"][:5]))
    return " · ".join(p for p in parts if p)


def _query_string(scope: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"q": scope})


def sent_email(ctx: Dashboard, notice_key: str):  # -> email.message.EmailMessage | None
    """The stored email (as sent) that carried the notice, parsed; None when none was queued
    (a rule without recipients)."""
    import email
    import email.policy

    from alerts.outbox import FILE_NAME, Outbox

    path = ctx.cfg.data_dir / FILE_NAME
    if not path.exists():
        return None
    with Outbox(path) as outbox:
        messages = outbox.messages_of(notice_key)
    if not messages:
        return None
    return email.message_from_bytes(messages[0].mime, policy=email.policy.default)
