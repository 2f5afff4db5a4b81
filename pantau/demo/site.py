"""Write the sample site folder: static news pages and the APIs' records, plus a manifest.

Static files (feeds, sitemaps, listing and article pages) are served as they are; the API
records (Play reviews, YouTube comment threads, Mastodon statuses) are stored newest first,
one JSON file per app, channel or instance, and :mod:`pantau.demo.server` answers each API
request from them the way the real API pages, so the spiders' paging logic is exercised.
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Any

from pantau.demo import formats
from pantau.demo.items import Item
from pantau.demo.news import OUTLETS
from pantau.demo.sample import Sample
from pantau.demo.social import INSTANCES
from pantau.demo.reviews import APPS

SITE_VERSION = 1
FEED_OUTLETS = ("tribun", "detik", "antara", "suaramerdeka")
FEED_ITEMS = 60
LISTING_PAGE = 10
MANIFEST = "manifest.json"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def article_path(a: Item) -> str:
    outlet = str(a.extra["outlet"])
    if outlet == "beritadaerah":
        return f"news/beritadaerah/{a.native_id}/"
    return f"news/{outlet}/{a.published_at:%Y/%m}/{a.native_id}.html"


def _news(sample: Sample, root: Path, base: str) -> dict[str, list[str]]:
    news = sorted(sample.by_source("news"), key=lambda a: a.published_at, reverse=True)
    by_outlet: dict[str, list[Item]] = defaultdict(list)
    for a in news:
        by_outlet[str(a.extra["outlet"])].append(a)
        page = article_path(a) + ("index.html" if article_path(a).endswith("/") else "")
        _write(root / page, formats.article_html(a, OUTLETS[str(a.extra["outlet"])]))
    for outlet in FEED_OUTLETS:
        entries = [(a, base + article_path(a)) for a in by_outlet[outlet][:FEED_ITEMS]]
        _write(root / f"news/{outlet}/rss.xml", formats.rss(OUTLETS[outlet], f"{base}news/{outlet}/", entries))
    months: dict[str, list[tuple[Item, str]]] = defaultdict(list)
    for a in by_outlet["detik"]:
        months[f"{a.published_at:%Y-%m}"].append((a, base + article_path(a)))
    for month, entries in months.items():
        _write(root / f"news/detik/sitemap-{month}.xml", formats.news_sitemap(entries, OUTLETS["detik"]))
    _write(root / "news/detik/sitemap.xml", formats.sitemap_index([f"{base}news/detik/sitemap-{m}.xml" for m in sorted(months, reverse=True)]))
    listed = by_outlet["beritadaerah"]
    pages = max(1, -(-len(listed) // LISTING_PAGE))
    for number in range(1, pages + 1):
        chunk = listed[(number - 1) * LISTING_PAGE: number * LISTING_PAGE]
        links = [(f"/{article_path(a)}", a.title or "") for a in chunk]
        next_href = f"/news/beritadaerah/page/{number + 1}/" if number < pages else None
        folder = "news/beritadaerah/" if number == 1 else f"news/beritadaerah/page/{number}/"
        _write(root / folder / "index.html", formats.listing_html("Berita Daerah Jawa Tengah", links, next_href))
    return {"feeds": [f"{base}news/{o}/rss.xml" for o in FEED_OUTLETS], "sitemaps": [f"{base}news/detik/sitemap.xml"],
            "listings": [f"{base}news/beritadaerah/"]}


def _snowflake(moment_ms: int, seq: int) -> str:
    """Mastodon ids: milliseconds since the epoch shifted left 16 bits, plus a sequence."""
    return str((moment_ms << 16) | (seq & 0xFFFF))


def _apis(sample: Sample, root: Path) -> None:
    for key, (package, _count, _versions) in APPS.items():
        reviews = sorted((r for r in sample.by_source("playstore") if r.topic == key), key=lambda r: r.published_at, reverse=True)
        _write(root / f"api/play/{package}.json", json.dumps([formats.review_array(r) for r in reviews], ensure_ascii=False))
    videos = {v.id: v for v in sample.videos}
    threads: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in sorted(sample.by_source("youtube"), key=lambda c: c.published_at, reverse=True):
        threads[videos[str(c.extra["video"])].channel].append(formats.comment_thread(c, videos[str(c.extra["video"])]))
    for channel, items in threads.items():
        _write(root / f"api/youtube/{channel}.json", json.dumps(items, ensure_ascii=False))
    timelines: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for seq, t in enumerate(sorted(sample.by_source("mastodon"), key=lambda t: t.published_at)):
        ms = int(t.published_at.timestamp() * 1000)
        home = str(t.extra["instance"])
        timelines[home].append(formats.status(t, _snowflake(ms, seq), home))
        if t.extra["federated"]:
            other = next(i for i in INSTANCES if i != home)
            arrived = ms + int(timedelta(seconds=3 + seq % 40).total_seconds() * 1000)
            timelines[other].append(formats.status(t, _snowflake(arrived, seq), other))
    for instance, statuses in timelines.items():
        statuses.sort(key=lambda s: int(s["id"]), reverse=True)
        _write(root / f"api/mastodon/{instance}.json", json.dumps(statuses, ensure_ascii=False))


def write_site(sample: Sample, root: Path, base_url: str) -> dict[str, Any]:
    """Write the site for ``base_url`` (``http://127.0.0.1:PORT/``) into ``root``; return the manifest."""
    base = base_url.rstrip("/") + "/"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    _write(root / "robots.txt", "User-agent: *\nAllow: /\n")
    news = _news(sample, root, base)
    _apis(sample, root)
    counts: dict[str, int] = defaultdict(int)
    for item in sample.items:
        counts[item.source] += 1
    manifest = {
        "version": SITE_VERSION, "anchor": sample.anchor.isoformat(), "base_url": base, "posts": dict(counts),
        "spikes": [{**asdict(s), "start": s.start.isoformat(), "end": s.end.isoformat(),
                    "voices": sum(1 for i in sample.items if i.spike == s.name)} for s in sample.spikes],
        "sources": {
            "news": news,
            "playstore": {"base_url": f"{base}play", "apps": [p for p, _c, _v in APPS.values()]},
            "youtube": {"api_url": f"{base}youtube/v3", "channels": sorted({v.channel for v in sample.videos})},
            "mastodon": {"instances": [f"{base}mastodon/{i}" for i in INSTANCES], "tags": ["jateng", "semarang", "jawatengah"]},
        },
    }
    _write(root / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest
