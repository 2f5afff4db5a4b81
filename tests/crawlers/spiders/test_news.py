"""News: feeds, sitemaps, listings and article pages from saved copies."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crawlers.spiders.news import NewsSpider
from pantau.post import post_id
from tests.crawlers.helpers import FROZEN_NOW, make_config, make_spider, response, split, stat


@pytest.fixture
def spider(tmp_path):
    return make_spider(NewsSpider, make_config(tmp_path))


@pytest.fixture
def tembalang(spider):
    page = response("news/articles/jalan-rusak-tembalang.html", "https://jateng.tribunnews.com/2026/11/20/jalan-rusak#top")
    posts, _ = split(spider.parse_article(page, hint={"title": "Judul feed", "summary": None, "published": None}))
    return posts[0]


def test_feed_yields_one_article_request_per_entry(spider):
    _, requests = split(spider.parse_feed(response("news/tribun.xml", "https://jateng.tribunnews.com/rss")))
    assert [r.url for r in requests] == [
        "https://jateng.tribunnews.com/news/articles/jalan-rusak-tembalang.html",
        "https://jateng.tribunnews.com/news/articles/antrean-ktp-kudus.html",
        "https://jateng.tribunnews.com/news/articles/tips-merawat-kucing.html",
    ]


def test_feed_entry_time_and_title_travel_to_the_article(spider):
    _, requests = split(spider.parse_feed(response("news/tribun.xml")))
    hint = requests[1].cb_kwargs["hint"]
    assert hint["title"] == "Antrean Pembuatan KTP Elektronik di Disdukcapil Kudus Mengular"
    assert hint["published"] == "2026-11-20T00:30:00+00:00"


def test_atom_feed_is_read(spider):
    _, requests = split(spider.parse_feed(response("news/antara.atom", "https://jateng.antaranews.com/rss/terkini.xml")))
    assert requests[0].url == "https://jateng.antaranews.com/news/articles/banjir-pekalongan.html"
    assert requests[0].cb_kwargs["hint"]["published"] == "2026-11-20T02:00:00+00:00"


def test_sitemap_index_follows_child_sitemaps(spider):
    _, requests = split(spider.parse_sitemap(response("news/sitemap_index.xml", "https://www.detik.com/jateng/sitemap_news.xml"), depth=0))
    assert [r.url for r in requests] == ["https://www.detik.com/news/sitemap_news.xml"]


def test_news_sitemap_gives_articles_with_title_and_time(spider):
    _, requests = split(spider.parse_sitemap(response("news/sitemap_news.xml"), depth=1))
    assert requests[0].url.endswith("/news/articles/pdam-semarang-mati.html")
    assert requests[0].cb_kwargs["hint"]["title"] == "Air PDAM Mati Tiga Hari, Warga Semarang Barat Beli Air Galon"
    assert requests[0].cb_kwargs["hint"]["published"] == "2026-11-20T03:20:00+00:00"


def test_listing_gives_article_links_and_next_page(spider):
    _, requests = split(spider.parse_listing(response("news/beritadaerah/index.html", "https://jatengprov.go.id/news/beritadaerah/"), page=1))
    assert [r.url for r in requests] == [
        "https://jatengprov.go.id/news/beritadaerah/gubernur-tinjau-rsud/",
        "https://jatengprov.go.id/news/beritadaerah/samsat-keliling-pajak/",
        "https://jatengprov.go.id/news/beritadaerah/page/2/",
    ]


def test_listing_stops_paging_at_max_pages(spider):
    _, requests = split(spider.parse_listing(response("news/beritadaerah/index.html", "https://jatengprov.go.id/news/beritadaerah/"), page=20))
    assert not any("/page/" in r.url for r in requests)


def test_article_text_is_the_body_without_navigation(tembalang):
    assert "mengeluhkan jalan rusak di Jalan Bulusan" in tembalang.text
    assert "Terpopuler" not in tembalang.text and "Hak cipta" not in tembalang.text


def test_article_title(tembalang):
    assert tembalang.title == "Warga Tembalang Keluhkan Jalan Rusak yang Tak Kunjung Diperbaiki"


def test_article_published_at_from_page_metadata(tembalang):
    assert tembalang.published_at == datetime(2026, 11, 20, 1, 0, tzinfo=timezone.utc)


def test_article_native_id_is_the_url_without_fragment(tembalang):
    assert tembalang.native_id == "https://jateng.tribunnews.com/2026/11/20/jalan-rusak"


def test_article_site_is_the_host(tembalang):
    assert tembalang.site == "jateng.tribunnews.com"


def test_article_author_is_hashed(tembalang):
    assert tembalang.author_name == "Rahmat Hidayat"
    assert tembalang.author_hash and "Rahmat" not in tembalang.author_hash


def test_article_collected_at_is_the_frozen_clock(tembalang):
    assert tembalang.collected_at == FROZEN_NOW


def test_article_without_time_takes_the_feed_time(spider):
    page = response("news/articles/antrean-ktp-kudus.html")
    posts, _ = split(spider.parse_article(page, hint={"title": None, "summary": None, "published": "2026-11-20T00:30:00+00:00"}))
    assert posts[0].published_at == datetime(2026, 11, 20, 0, 30, tzinfo=timezone.utc)


def test_seen_article_is_not_fetched_again(spider):
    spider.crawl_state.mark_seen("news", [post_id("news", "http://127.0.0.1/news/articles/antrean-ktp-kudus.html")])
    _, requests = split(spider.parse_feed(response("news/tribun.xml")))
    assert len(requests) == 2 and stat(spider, "skipped/seen") == 1


def test_redirected_article_keeps_the_id_it_was_followed_by(spider):
    page = response("news/articles/antrean-ktp-kudus.html", "https://m.tribunnews.com/amp/antrean")
    hint = {"url": "https://jateng.tribunnews.com/antrean", "title": None, "summary": None, "published": None}
    (post,), _ = split(spider.parse_article(page, hint=hint))
    assert post.native_id == "https://jateng.tribunnews.com/antrean" and post.url == "https://m.tribunnews.com/amp/antrean"


def test_article_without_any_time_is_counted_and_stamped_now(spider):
    (post,), _ = split(spider.parse_article(response("news/articles/antrean-ktp-kudus.html"),
                                            hint={"title": None, "summary": None, "published": None}))
    assert post.published_at == FROZEN_NOW and stat(spider, "news/time_unknown") == 1


def test_page_without_text_falls_back_to_the_feed_summary(spider):
    page = response("news/x.html", body=b"<html><body></body></html>")
    (post,), _ = split(spider.parse_article(page, hint={"title": "T", "summary": "Ringkasan banjir", "published": None}))
    assert post.text == "Ringkasan banjir" and stat(spider, "news/summary_only") == 1
