"""The daily digest per agency, queued once a day at ``alerts.digest_time`` (local time).

It covers the 24 hours before the digest time: posts and unique voices against the 7-day daily
average, the negative share, driving terms, top regions and sources, three sample posts (one per
cluster), the alerts of the agency's rules, and a note when posts far outnumber voices.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta

from alerts.details import one_per_cluster
from alerts.labels import labels
from alerts.notifiers.email import EmailNotifier
from alerts.outbox import Outbox
from alerts.render import render_digest
from alerts.rules import Rule
from alerts.series import SeriesReader
from indexer.query import DateRange, FieldIs, all_of
from indexer.store import SignificantTerms, Sort, Terms
from pantau.config import Config


def digest_due(cfg: Config, now: datetime) -> tuple[datetime, str] | None:
    """(end of the digest period, local date) when today's digest time has passed, else None."""
    local = now.astimezone(cfg.tz)
    hour, minute = (int(p) for p in cfg.alerts.digest_time.split(":"))
    at = datetime.combine(local.date(), time(hour, minute), tzinfo=cfg.tz)
    return (at, local.date().isoformat()) if local >= at else None


def digest_recipients(rules: list[Rule]) -> dict[str, list[str]]:
    """Agency slug -> recipients of its rules that ask for the digest."""
    out: dict[str, list[str]] = defaultdict(list)
    for rule in rules:
        if rule.enabled and rule.digest:
            for agency in rule.agencies:
                out[agency].extend(r for r in rule.recipients if r not in out[agency])
    return {a: r for a, r in out.items() if r}


def digest_context(reader: SeriesReader, agency: str, title: str, end: datetime, history: list) -> dict:
    """What the digest of one agency says about the 24 hours before ``end``."""
    query = FieldIs("agency", agency)
    start, week_start = end - timedelta(days=1), end - timedelta(days=8)
    today = reader.counts(query, start, end)
    week = reader.counts(query, week_start, start)
    day = all_of(query, DateRange(start, end))
    found = reader.store.aggregate(day, {
        "sentiment": Terms("sentiment", size=3), "regions": Terms("region", size=3), "sources": Terms("source", size=3),
        "terms": SignificantTerms(background=all_of(query, DateRange(week_start, end)), size=10),
    })
    hits = reader.store.search(all_of(day, FieldIs("sentiment", "negative")), sort=Sort.NEWEST, size=50).hits
    names = {h.post.region.code: h.post.region.name for h in hits if h.post.region}
    return {
        "agency": title, "start": start, "end": end,
        "posts": today.posts, "voices": today.voices, "week_voices": week.voices / 7,
        "negative_share": today.negative / today.voices if today.voices else 0.0,
        "sentiment": {b.key: b.count for b in found["sentiment"].buckets},  # type: ignore[union-attr]
        "terms": [t.term for t in found["terms"].terms if len(t.term) > 2 and not t.term.isdigit()][:5],  # type: ignore[union-attr]
        "regions": [(names.get(b.key, b.key), b.count) for b in found["regions"].buckets],  # type: ignore[union-attr]
        "sources": [(b.key, b.count) for b in found["sources"].buckets],  # type: ignore[union-attr]
        "samples": one_per_cluster(hits, 3),
        "amplified": today.posts >= 3 * max(today.voices, 1) and today.posts - today.voices >= 10,
        "alerts": [{"rule": h.rule, "kind": h.kind, "at": h.created_at} for h in history],
    }


def queue_digests(cfg: Config, reader: SeriesReader, rules: list[Rule], outbox: Outbox, notifier: EmailNotifier,
                  now: datetime, titles: dict[str, str]) -> int:
    """Queue today's digests that are due and not yet queued; returns how many emails."""
    due = digest_due(cfg, now)
    if due is None:
        return 0
    end, date = due
    queued = 0
    for agency, recipients in sorted(digest_recipients(rules).items()):
        key = f"digest|{agency}|{date}"
        if outbox.has_digest(key):
            continue
        names = {r.name for r in rules if agency in r.agencies}
        history = [h for h in outbox.history(since=end - timedelta(days=1), limit=200) if h.rule in names]
        context = digest_context(reader, agency, titles.get(agency, agency), end, history)
        language = next((r.language for r in rules if agency in r.agencies and r.language), cfg.alerts.language)
        text, html = render_digest({**context, "date": date, "link": f"{cfg.alerts.dashboard_url.rstrip('/')}/search?q=agency%3A{agency}"},
                                   language, cfg.province.timezone)
        subject = f"[Pantau {cfg.province.name}] " + labels(language)["digest_subject"].format(agency=context["agency"], date=date)
        with outbox.transaction():
            outbox.add_digest(key, agency, date, {"title": context["agency"], "posts": context["posts"], "voices": context["voices"],
                                                  "negative_share": round(context["negative_share"], 3)}, now)
            for recipient in recipients:
                message = notifier.compose(recipient, subject, text, html, {}, f"{key}|{recipient}", now)
                queued += outbox.enqueue(f"{key}|{recipient}", recipient, subject, notifier.serialize(message), [key], now)
    return queued
