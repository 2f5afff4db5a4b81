"""``pantau bench crawl``: crawl a large local copy of every source kind, and ``scrapy bench``.

Builds >= 5,000 posts across news (feeds + article pages through trafilatura), Play Store,
YouTube, Mastodon, Bluesky and X in a temp dir, serves them on loopback, runs one full crawl
cycle (all pipelines, into a real spool) and reports pages/s and posts/s of the crawl itself
(process start-up excluded). In the same run, ``scrapy bench`` measures what bare Scrapy does
on this machine; ``ratio`` is ours / scrapy bench (target >= 0.5). Politeness is off for both:
no delays, no AutoThrottle, the same concurrency (16), as ``scrapy bench`` runs.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import click

SOURCES = ("news", "playstore", "youtube", "mastodon", "bluesky", "x")


def _config_toml(base: str, data_dir: Path, feeds: int) -> str:
    from crawlers.benchsite import APPS

    feed_urls = ", ".join(f'"{base}/news/feed{f}.xml"' for f in range(feeds))
    apps = ", ".join(f'"{a}"' for a in APPS)
    return f"""[paths]
data_dir = "{data_dir}"
[privacy]
author_key = "bench"
[crawl]
obey_robots = false
download_delay_s = 0.0
concurrency_per_domain = 16
source_concurrency = {{}}
max_pages = 50
[sources.news]
feeds = [{feed_urls}]
sitemaps = []
listings = []
[sources.playstore]
apps = [{apps}]
base_url = "{base}/playstore"
[sources.youtube]
enabled = true
api_key = "bench"
channels = ["UCbench"]
api_url = "{base}/youtube"
[sources.mastodon]
instances = ["{base}/mastodon"]
tags = ["jateng"]
[sources.bluesky]
enabled = true
handle = "bench.bsky.social"
app_password = "bench"
queries = ["jateng"]
service = "{base}/bluesky"
[sources.x]
enabled = true
bearer_token = "bench"
api_url = "{base}/x"
"""


def scrapy_bench(seconds: int) -> float:
    """Pages/s of ``scrapy bench`` (its own local server and spider), from its final stats."""
    with tempfile.TemporaryDirectory(prefix="pantau-scrapy-bench-") as tmp:  # outside the project: bare Scrapy
        done = subprocess.run([sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}"],
                              cwd=tmp, capture_output=True, text=True, timeout=seconds + 120, check=False)
    pages = re.search(r"'response_received_count': (\d+)", done.stderr)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", done.stderr)
    if not pages or not elapsed:
        raise click.ClickException(f"scrapy bench gave no stats (exit {done.returncode}): {done.stderr[-500:]}")
    return int(pages.group(1)) / float(elapsed.group(1))


def run(pages: int = 10, per_page: int = 100, feeds: int = 3, per_feed: int = 100, scrapy_seconds: int = 10) -> dict:
    from crawlers.benchsite import build, serve
    from crawlers.run import crawl
    from pantau.config import load_config

    with tempfile.TemporaryDirectory(prefix="pantau-bench-crawl-") as tmp:
        root = Path(tmp)
        available = build(root / "site", pages=pages, per_page=per_page, feeds=feeds, per_feed=per_feed)
        with serve(root / "site") as base:
            (root / "pantau.toml").write_text(_config_toml(base, root / "data", feeds), encoding="utf-8")
            cfg = load_config(root / "pantau.toml", env={})
            report = crawl(cfg, SOURCES, settings={"AUTOTHROTTLE_ENABLED": False, "LOGSTATS_INTERVAL": 3600})
    fetched = sum(s.requests for s in report.sources)
    kept = sum(s.kept for s in report.sources)
    ours = fetched / report.crawl_s
    theirs = scrapy_bench(scrapy_seconds)
    return {
        "posts_available": sum(available.values()), "posts_kept": kept, "pages": fetched,
        "crawl_s": round(report.crawl_s, 2), "pages_per_s": round(ours, 1), "posts_per_s": round(kept / report.crawl_s, 1),
        "scrapy_bench_pages_per_s": round(theirs, 1), "ratio": round(ours / theirs, 2),
        "errors": {s.source: s.errors for s in report.sources if s.errors},
        "per_source": {s.source: {"pages": s.requests, "kept": s.kept} for s in report.sources},
    }


@click.command(name="crawl")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--pages", default=10, show_default=True, help="API pages per paged source.")
@click.option("--per-page", default=100, show_default=True, help="Posts per API page.")
@click.option("--feeds", default=3, show_default=True, help="News feeds (each with --per-feed articles).")
@click.option("--per-feed", default=100, show_default=True, help="Articles per news feed.")
@click.option("--scrapy-seconds", default=10, show_default=True, help="How long `scrapy bench` runs.")
def command(as_json: bool, pages: int, per_page: int, feeds: int, per_feed: int, scrapy_seconds: int) -> None:
    """Crawl >= 5,000 local posts of every source kind; compare pages/s with `scrapy bench`."""
    result = run(pages, per_page, feeds, per_feed, scrapy_seconds)
    if as_json:
        click.echo(json.dumps(result))
    else:
        for key, value in result.items():
            click.echo(f"{key:26} {value}")
