"""Whole crawls: every spider through the local server into a real spool, twice."""

from __future__ import annotations

import dataclasses

import pytest

from crawlers.run import CrawlError, crawl
from crawlers.spiders.mastodon import timeline_key
from crawlers.state import STATE_FILE, CrawlState
from pantau.spool import Spool
from tests.crawlers.conftest import FAST, sources_toml
from tests.crawlers.helpers import FILES, make_config

#: posts each source's saved copies hold (kept + dropped as irrelevant; the split follows the taxonomy)
SERVED = {"news": 8, "playstore": 4, "youtube": 3, "mastodon": 2, "bluesky": 3, "x": 3}


def judged(report) -> dict[str, int]:
    return {s.source: s.kept + s.dropped.get("irrelevant", 0) for s in report.sources}


def spooled(cfg) -> dict[str, int]:
    counts: dict[str, int] = {}
    with Spool(cfg.data_dir / "spool.sqlite3") as spool:
        while batch := spool.claim(500):
            for post in batch.posts:
                counts[post.source] = counts.get(post.source, 0) + 1
    return counts




def test_two_crawls_spool_everything_once(local_config):
    first = crawl(local_config, settings=FAST)
    assert judged(first) == SERVED
    assert first.failed == [] and all(s.errors == {} for s in first.sources)
    assert first.get("news").dropped == {"irrelevant": 1} and first.get("playstore").kept == 4
    second = crawl(local_config, settings=FAST)
    assert {s.source: s.kept for s in second.sources} == dict.fromkeys(SERVED, 0)
    assert second.failed == []
    assert spooled(local_config) == {s.source: s.kept for s in first.sources}


def test_second_run_fetches_no_article_again(local_config, file_server):
    crawl(local_config, ["news"], settings=FAST)
    before = len(file_server.requests)
    crawl(local_config, ["news"], settings=FAST)
    again = file_server.requests[before:]
    assert not [r for r in again if "/articles/" in r]


def test_marks_are_saved_per_source(local_config):
    crawl(local_config, ["playstore", "mastodon", "x"], settings=FAST)
    state = CrawlState(local_config.data_dir / STATE_FILE)
    assert state.mark("playstore", "app.bpjs.mobile:newest") == "2026-11-20T05:00:00+00:00"
    assert state.mark("mastodon", timeline_key(local_config.sources.mastodon.instances[0], "jateng")) == "113500000000000012"
    assert state.mark("x", "newest_id") == "1858000000000000002"


def test_dry_run_spools_nothing_and_moves_no_mark(local_config):
    report = crawl(local_config, ["x"], dry_run=True, settings=FAST)
    assert judged(report) == {"x": 3} and report.dry_run
    assert not (local_config.data_dir / "spool.sqlite3").exists()
    assert CrawlState(local_config.data_dir / STATE_FILE).mark("x", "newest_id") is None


def test_a_source_failing_entirely_is_reported(local_config, file_server):
    broken = dataclasses.replace(local_config, sources=dataclasses.replace(
        local_config.sources, mastodon=dataclasses.replace(local_config.sources.mastodon, instances=[file_server.url("nowhere")])))
    report = crawl(broken, ["mastodon", "x"], settings=FAST)
    assert report.failed == ["mastodon"] and report.get("mastodon").errors == {"http_404": 1}


def test_unknown_source_is_a_clear_error(local_config):
    with pytest.raises(CrawlError, match="unknown source facebook; known: news"):
        crawl(local_config, ["facebook"])


def test_robots_txt_is_obeyed_for_news(tmp_path, serve_folder):
    import shutil

    site = tmp_path / "site"
    shutil.copytree(FILES / "news", site / "news")
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /news/articles/antrean\n", encoding="utf-8")
    server = serve_folder(site)
    cfg = make_config(tmp_path, f'[crawl]\ndownload_delay_s = 0.0\n[sources.news]\nfeeds = ["{server.url("news/tribun.xml")}"]\n'
                      "sitemaps = []\nlistings = []\n")
    report = crawl(cfg, ["news"], settings=FAST).get("news")
    assert report.skipped == {"robots_txt": 1} and report.kept == 1
    assert "/news/articles/antrean-ktp-kudus.html" not in server.requests


def test_jobdir_keeps_resume_state_per_source(tmp_path, file_server):
    cfg = make_config(tmp_path, sources_toml(file_server))
    cfg = dataclasses.replace(cfg, crawl=dataclasses.replace(cfg.crawl, jobdir="jobs"))
    report = crawl(cfg, ["x"], settings=FAST)
    assert judged(report) == {"x": 3}
    assert (cfg.data_dir / "jobs" / "x" / "requests.seen").exists()


def test_display_names_can_be_dropped(tmp_path, file_server):
    cfg = make_config(tmp_path, sources_toml(file_server))
    cfg = dataclasses.replace(cfg, crawl=dataclasses.replace(cfg.crawl, keep_authors_names=False))
    crawl(cfg, ["x"], settings=FAST)
    with Spool(cfg.data_dir / "spool.sqlite3") as spool:
        posts = spool.claim(10).posts
    assert posts and all(p.author_name is None and p.author_hash for p in posts)
