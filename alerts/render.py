"""Jinja2 rendering of alert and digest emails: autoescaped HTML, plain text, times in WIB.

Autoescape is on for every ``*.html.j2`` template, so a post text such as
``<script>`` or ``<a href=...>`` arrives as visible text, never as markup.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

from alerts.labels import labels
from alerts.notice import Notice

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=8)
def environment(tz: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=True, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    zone = ZoneInfo(tz)
    env.filters["local"] = lambda moment: local_time(moment, zone)
    env.filters["num"] = _number
    env.filters["pct"] = lambda v: f"{100 * float(v):.0f}%"
    env.filters["amplification"] = amplification_sentence
    return env


def amplification_sentence(amp: dict[str, int], words: dict[str, str]) -> str:
    """``posts from only N voices``, then the copied text and the busiest account when they matter."""
    parts = [words["amplification_text"].format(**amp)]
    if amp.get("cluster_accounts", 0) > 1 and amp.get("cluster_posts", 0) > 2:
        parts.append(words["amplification_cluster"].format(**amp))
    if amp.get("author_posts", 0) > 2:
        parts.append(words["amplification_author"].format(**amp))
    parts.append(words["amplification_note"])
    return " ".join(parts)


def local_time(moment: datetime | str, zone: ZoneInfo) -> str:
    """``25/11/2026 10:00 WIB``: the province's local time with its abbreviation."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    local = moment.astimezone(zone)
    return f"{local:%d/%m/%Y %H:%M} {local.tzname()}"


def _number(value: float, digits: int = 0) -> str:
    return f"{float(value):.{digits}f}"


def notice_view(notice: Notice, cid: str | None) -> dict[str, Any]:
    view = {f.name: getattr(notice, f.name) for f in dataclasses.fields(notice)}
    view["finding"] = {"severity": "medium", **notice.finding}
    view["cid"] = cid
    return view


def subject(notices: list[Notice], language: str, province: str) -> str:
    words = labels(language)
    first = notices[0]
    prefix = f"{words[first.kind]}: " if first.kind in ("repeat", "resolved") else ""
    ratio = f" ({first.finding['ratio']:.1f}x)" if first.finding.get("unit") in ("voices", "posts") and first.detector != "watch_terms" and first.kind != "resolved" else ""
    title = f"{prefix}{words[first.detector]} - {first.title}{ratio}"
    text = words["subject_one"].format(title=title) if len(notices) == 1 else words["subject_many"].format(n=len(notices), title=title)
    return f"[Pantau {province}] {text}"


def render_alert(notices: list[Notice], cids: list[str | None], language: str, tz: str, province: str) -> tuple[str, str, str]:
    """(subject, text, html) of one grouped alert email."""
    env = environment(tz)
    title = subject(notices, language, province)
    context = {"notices": [notice_view(n, c) for n, c in zip(notices, cids)], "L": labels(language),
               "language": language, "subject": title}
    return title, env.get_template("alert.txt.j2").render(context), env.get_template("alert.html.j2").render(context)


def render_digest(context: dict[str, Any], language: str, tz: str) -> tuple[str, str]:
    """(text, html) of a daily digest."""
    env = environment(tz)
    full = {**context, "L": labels(language), "language": language}
    return env.get_template("digest.txt.j2").render(full), env.get_template("digest.html.j2").render(full)
