"""Hostile answers: no spider may crash; each failure is logged and counted.

Transport-level cases (429 with Retry-After, truncated bodies, redirect loops, 5 MB bodies)
go through a real crawl against the local server; format-level cases (malformed, empty,
truncated, wrong charset, huge) are fed to every spider's callbacks directly.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from crawlers.run import crawl
from crawlers.spiders.bluesky import BlueskySpider
from crawlers.spiders.mastodon import MastodonSpider
from crawlers.spiders.news import NewsSpider
from crawlers.spiders.playstore import PlaystoreSpider
from crawlers.spiders.x import XSpider
from crawlers.spiders.youtube import YoutubeSpider
from tests.crawlers.conftest import FAST
from tests.crawlers.helpers import FILES, make_config, make_spider, response, split

FIVE_MB = b"[" + b" " * (5 * 1024 * 1024) + b"{"


def news_config(tmp_path, feeds):
    toml = "[crawl]\ndownload_delay_s = 0.0\nbackoff_s = 0.0\nmax_retries = 1\n[sources.news]\nsitemaps = []\nlistings = []\nfeeds = ["
    return make_config(tmp_path, toml + ", ".join(f'"{f}"' for f in feeds) + "]\n")


def test_429_with_retry_after_is_waited_retried_and_counted(tmp_path, file_server):
    url = file_server.url("news/tribun.xml?status=429&retry_after=1&case=retry")
    report = crawl(news_config(tmp_path, [url]), ["news"], settings=FAST).get("news")
    assert report.errors == {"http_429": 1} and report.failed
    assert [r for r in file_server.requests if "case=retry" in r] == ["/news/tribun.xml?status=429&retry_after=1&case=retry"] * 2


def test_transport_failures_are_counted_and_the_rest_still_crawled(tmp_path, file_server, serve_folder):
    big = tmp_path / "big"
    big.mkdir()
    (big / "big.xml").write_bytes(b"<rss>" + b"x" * (5 * 1024 * 1024) + b"</rss>")
    loop = "/news/tribun.xml"
    for _ in range(8):
        loop = "/news/tribun.xml?redirect=" + quote(loop, safe="")
    feeds = [
        file_server.url("news/hostile/malformed.xml"), file_server.url("news/hostile/empty.xml"),
        file_server.url("news/hostile/not-a-feed.html"), file_server.url("news/tribun.xml?truncate=200"),
        file_server.url(loop), serve_folder(big).url("big.xml"), file_server.url("news/antara.atom?charset=windows-1252"),
    ]
    report = crawl(news_config(tmp_path, feeds), ["news"], settings=FAST).get("news")
    assert report.errors == {"bad_feed": 3, "ResponseDataLossError": 1, "IgnoreRequest": 1, "DownloadCancelledError": 1}
    assert report.kept == 1 and not report.failed


@pytest.mark.parametrize("charset", ["windows-1252", "latin-1"])
def test_pages_in_other_charsets_are_decoded(tmp_path, charset):
    spider = make_spider(NewsSpider, make_config(tmp_path))
    text = (FILES / "news/articles/jalan-rusak-tembalang.html").read_text(encoding="utf-8")
    body = text.encode(charset, errors="replace")
    page = response("news/articles/jalan-rusak-tembalang.html", body=body, headers={"Content-Type": f"text/html; charset={charset}"})
    (post,), _ = split(spider.parse_article(page, hint={"title": None, "summary": None, "published": None}))
    assert "Kecamatan Tembalang, Kota Semarang" in post.text
    if charset == "windows-1252":
        assert "“Lubangnya makin lebar" in post.text


def test_page_lying_about_its_charset_does_not_crash(tmp_path):
    spider = make_spider(NewsSpider, make_config(tmp_path))
    body = (FILES / "news/articles/jalan-rusak-tembalang.html").read_text(encoding="utf-8").encode("cp1252")
    page = response("news/articles/jalan-rusak-tembalang.html", body=body, headers={"Content-Type": "text/html; charset=utf-8"})
    (post,), _ = split(spider.parse_article(page, hint={"title": None, "summary": None, "published": None}))
    assert "Tembalang" in post.text


API_CALLBACKS = {
    "playstore": (PlaystoreSpider, "", "parse_reviews", {"app": "a", "number": 1, "stop_at": None, "newest": None}),
    "youtube": (YoutubeSpider, '[sources.youtube]\napi_key = "k"\n', "parse_threads",
                {"target": ("videoId", "v"), "number": 1, "stop_at": None, "newest": None}),
    "mastodon": (MastodonSpider, "", "parse_statuses", {"instance": "https://m.example", "tag": "t", "min_id": None, "number": 1}),
    "bluesky": (BlueskySpider, "", "parse_posts", {"query": "q", "number": 1, "stop_at": None, "newest": None}),
    "x": (XSpider, "", "parse_tweets", {"number": 1, "since_id": None}),
}
BODIES = {
    "empty": b"", "truncated": b'{"items": [{"snippet": {"topLevelComment": {"id": "Ugz', "five_mb": FIVE_MB,
    "html": b"<html><body>502 Bad Gateway</body></html>", "cp1252": '{"posts": [{"record": {"text": "café “kutip”"}}]}'.encode("cp1252"),
    "wrong_types": b'{"items": 5, "posts": "x", "data": {"id": 1}, "meta": []}', "null": b"null",
}


@pytest.mark.parametrize("body", BODIES, ids=list(BODIES))
@pytest.mark.parametrize("source", API_CALLBACKS, ids=list(API_CALLBACKS))
def test_api_spiders_count_bad_bodies_instead_of_crashing(tmp_path, source, body):
    cls, toml, callback, kwargs = API_CALLBACKS[source]
    spider = make_spider(cls, make_config(tmp_path, toml))
    posts, requests = split(getattr(spider, callback)(response("x.json", body=BODIES[body]), **kwargs))
    assert (posts, requests) == ([], [])
    errors = {k: v for k, v in spider.crawler.stats.get_stats().items() if k.startswith("pantau/errors/")}
    assert sum(errors.values()) >= 1, errors


def test_x_page_without_data_is_not_an_error(tmp_path):
    spider = make_spider(XSpider, make_config(tmp_path))
    posts, requests = split(spider.parse_tweets(response("x.json", body=b'{"meta": {"result_count": 0}}'), number=1, since_id=None))
    assert (posts, requests) == ([], []) and spider.crawler.stats.get_value("pantau/pages/ok") == 1


NEWS_CALLBACKS = {
    "feed": ("parse_feed", {}), "sitemap": ("parse_sitemap", {"depth": 0}), "listing": ("parse_listing", {"page": 1}),
    "article": ("parse_article", {"hint": {"title": None, "summary": None, "published": None}}),
}
NEWS_BODIES = {
    "empty": b"", "malformed": (FILES / "news/hostile/malformed.xml").read_bytes(),
    "truncated": (FILES / "news/sitemap_news.xml").read_bytes()[:120], "five_mb": b"<" * (5 * 1024 * 1024),
    "binary": bytes(range(256)) * 64,
}


@pytest.mark.parametrize("body", NEWS_BODIES, ids=list(NEWS_BODIES))
@pytest.mark.parametrize("callback", NEWS_CALLBACKS, ids=list(NEWS_CALLBACKS))
def test_news_callbacks_count_bad_bodies_instead_of_crashing(tmp_path, callback, body):
    spider = make_spider(NewsSpider, make_config(tmp_path))
    name, kwargs = NEWS_CALLBACKS[callback]
    page = response("news/page.html", body=NEWS_BODIES[body], headers={"Content-Type": "text/html; charset=utf-8"})
    posts, requests = split(getattr(spider, name)(page, **kwargs))
    assert posts == [] and requests == []
    errors = {k: v for k, v in spider.crawler.stats.get_stats().items() if k.startswith("pantau/errors/")}
    assert sum(errors.values()) == 1, errors
