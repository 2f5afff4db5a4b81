"""News: RSS/Atom feeds, news sitemaps and HTML listings of regional outlets; article text by trafilatura.

Every configured feed, sitemap and listing is read each cycle; articles already delivered are
not fetched again (the crawl state knows their URLs). A listing is paged until a page brings
nothing new or ``crawl.max_pages`` is reached.

Backfill (``since``): feeds hold only their latest items and cannot go back; the history comes
from sitemaps (every child sitemap is read, entries dated before ``since`` are not fetched) and
listings (paged to their last page, at most ``LISTING_BACKFILL_PAGES``, through pages already
read). Articles published before ``since`` are not kept. The resume point is the seen ids: a
rerun reads the sitemaps and listings again but fetches only the articles not yet spooled.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Request, Response, TextResponse

from crawlers.spiders.bases import PantauSpider
from crawlers.spiders.bases.news_formats import Entry, FormatError, article, canonical_url, feed_entries, listing_links, sitemap_entries


LISTING_BACKFILL_PAGES = 1000


class NewsSpider(PantauSpider):
    name = "news"

    async def start(self) -> AsyncIterator[Request]:
        section = self.settings_section
        for url in section.feeds:
            yield self.request(url, self.parse_feed)
        for url in section.sitemaps:
            yield self.request(url, self.parse_sitemap, cb_kwargs={"depth": 0})
        for url in section.listings:
            yield self.request(url, self.parse_listing, cb_kwargs={"page": 1})

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """@fixture news/tribun.xml
        @returns requests 3
        """
        try:
            content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
            entries = feed_entries(response.body, response.url, content_type)
        except FormatError as exc:
            self.fail("bad_feed", "news: feed %s unreadable: %s", response.url, exc)
            return
        self.page_ok()
        for entry in entries:
            yield from self.follow(entry)

    def parse_sitemap(self, response: Response, depth: int) -> Iterator[Request]:
        try:
            entries, children, problem = sitemap_entries(response.body, response.url)
        except FormatError as exc:
            self.fail("bad_sitemap", "news: sitemap %s unreadable: %s", response.url, exc)
            return
        if problem:
            self.fail("bad_sitemap", "news: sitemap %s is broken (%s); reading what could be recovered", response.url, problem)
        else:
            self.page_ok()
        if depth < 2:
            for child in children if self.backfill_since else children[: self.max_pages]:
                yield self.request(child, self.parse_sitemap, cb_kwargs={"depth": depth + 1})
        for entry in entries:
            yield from self.follow(entry)

    def parse_listing(self, response: Response, page: int) -> Iterator[Request]:
        if not isinstance(response, TextResponse):
            self.fail("not_html", "news: listing %s is not HTML", response.url)
            return
        try:
            links, next_url = listing_links(response.text, response.url)
        except FormatError as exc:
            self.fail("bad_listing", "news: listing %s unreadable: %s", response.url, exc)
            return
        self.page_ok()
        fresh = [request for link in links for request in self.follow(Entry(link))]
        yield from fresh
        more = page < LISTING_BACKFILL_PAGES if self.backfill_since else fresh and page < self.max_pages
        if next_url and more:
            yield self.request(next_url, self.parse_listing, cb_kwargs={"page": page + 1})

    def follow(self, entry: Entry) -> Iterator[Request]:
        url = canonical_url(entry.url)
        if self.is_seen(url):
            self.count("skipped/seen")
            return
        if entry.published_at is not None and self.before_since(entry.published_at):
            return
        hint = {"url": url, "title": entry.title, "summary": entry.summary,
                "published": entry.published_at.isoformat() if entry.published_at else None}
        yield self.request(url, self.parse_article, cb_kwargs={"hint": hint}, dont_filter=False)

    def parse_article(self, response: Response, hint: dict[str, Any]) -> Iterator[Any]:
        """@fixture news/articles/jalan-rusak-tembalang.html
        @cb_kwargs {"hint": {"title": null, "summary": null, "published": null}}
        @returns items 1 1
        @scrapes native_id text title published_at url site
        """
        if not isinstance(response, TextResponse):
            self.fail("not_html", "news: article %s is not HTML", response.url)
            return
        self.page_ok()
        found = article(response.text, response.url)
        text = found.text if found else hint.get("summary")
        if not text:
            self.fail("no_text", "news: no article text in %s", response.url)
            return
        if found is None:
            self.count("news/summary_only")
        published = (found.published_at if found else None) or _time(hint.get("published"))
        if published is None:
            self.count("news/time_unknown")
            published = self.now()
        if self.before_since(published):
            return
        url = hint.get("url") or canonical_url(response.url)  # the id checked before fetching, whatever redirects did
        yield self.make_post(
            native_id=url, url=response.url, site=urlsplit(url).netloc, text=text,
            title=(found.title if found else None) or hint.get("title"), published_at=published,
            author_id=found.author if found else None, author_name=found.author if found else None,
        )


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
