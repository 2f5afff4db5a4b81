"""Mastodon: ``/api/v1/timelines/tag/:tag`` on each configured instance and tag.

The first run reads the newest page; later runs page forward from the newest status delivered
with ``min_id`` (the API answers the statuses just after it) until a page comes back empty or
``crawl.max_pages`` is reached. The native id is the status URI, the same on every instance,
so a status seen through two instances is one post. Boosts are skipped (the original counts).

Backfill (``since``): each timeline is paged back with ``max_id`` (the oldest status of the
page) until a status older than ``since`` or an empty page; the instance only has what it
received (statuses federated to it), and a page's ``max_id`` is saved after its statuses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from lxml import etree, html
from scrapy.http import Request, Response

from crawlers.backfill import Resume
from crawlers.spiders.bases import ApiSpider, BackPage, ShapeError, dig
from crawlers.spiders.bases.news_formats import parse_time
from pantau.post import Post


def _newer_id(a: str, b: str) -> bool:
    return (len(a), a) > (len(b), b)


def timeline_key(instance: str, tag: str) -> str:
    """The crawl-state key of one instance's tag timeline: the instance's host *and* path, so
    that two instances served from one host (``https://host/a``, ``https://host/b``) keep
    separate marks; for an instance at the root of its host it is ``host:tag``."""
    parts = urlsplit(instance)
    return f"{parts.netloc}{parts.path.rstrip('/')}:{tag}"


def status_text(content: str) -> str:
    """Plain text of a status's HTML, paragraphs and line breaks kept as new lines."""
    if not content.strip():
        return ""
    try:
        tree = html.fromstring(f"<div>{content}</div>")
    except (etree.ParserError, ValueError):
        return content
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for p in tree.iter("p"):
        p.tail = "\n\n" + (p.tail or "")
    return tree.text_content().strip()


class MastodonSpider(ApiSpider):
    name = "mastodon"

    async def start(self) -> AsyncIterator[Request]:
        section = self.settings_section
        for instance in section.instances:
            for tag in section.tags:
                key = timeline_key(instance, tag)
                if self.backfill_since is None:
                    yield self.page(instance, tag, self.mark(key), 1)
                    continue
                resume = self.resume(key)
                if resume.reached(self.backfill_since):
                    self.count("backfill/already_done")
                    continue
                yield self.back_page(instance, tag, resume)

    def _url(self, instance: str, tag: str, **params: Any) -> str:
        return f"{instance.rstrip('/')}/api/v1/timelines/tag/{quote(tag)}?{urlencode({'limit': 40, **params})}"

    def page(self, instance: str, tag: str, min_id: str | None, number: int) -> Request:
        url = self._url(instance, tag, **({"min_id": min_id} if min_id else {}))
        return self.request(url, self.parse_statuses, cb_kwargs={"instance": instance, "tag": tag, "min_id": min_id, "number": number})

    def back_page(self, instance: str, tag: str, resume: Resume) -> Request:
        url = self._url(instance, tag, **({"max_id": resume.cursor} if resume.cursor else {}))
        return self.request(url, self.parse_back, cb_kwargs={"instance": instance, "tag": tag, "resume": resume})

    def parse_back(self, response: Response, instance: str, tag: str, resume: Resume) -> Iterator[Any]:
        """One page of a backfill: the statuses not older than ``since``, then the resume point."""
        page = self.read_page(response, kind=list)
        if page is None:
            return
        oldest_id, tally = resume.cursor, BackPage()
        for raw in page[1]:
            try:
                status_id = dig(raw, "id", kind=str)
                if oldest_id is None or _newer_id(oldest_id, status_id):
                    oldest_id = status_id
                if dig(raw, "reblog", default=None) is not None:
                    self.count("skipped/boost")
                    continue
                post = self.status(instance, raw)
            except ShapeError as exc:
                self.shape_failure(response, exc, "status")
                continue
            if self.keep_back(tally, post):
                yield post
        resume = self.page_point(resume, oldest_id, not page[1], tally)
        yield self.checkpoint(timeline_key(instance, tag), resume)
        if page[1] and not tally.passed:
            yield self.back_page(instance, tag, resume)

    def parse_statuses(self, response: Response, instance: str, tag: str, min_id: str | None, number: int) -> Iterator[Any]:
        """@fixture mastodon/api/v1/timelines/tag/jateng
        @cb_kwargs {"instance": "https://mastodon.social", "tag": "jateng", "min_id": null, "number": 1}
        @returns items 2 2
        @returns requests 0 0
        @scrapes native_id text published_at url lang
        """
        page = self.read_page(response, kind=list)
        if page is None:
            return
        data = page[1]
        key = timeline_key(instance, tag)
        newest = None
        for raw in data:
            try:
                status_id = dig(raw, "id", kind=str)
                newest = status_id if newest is None or _newer_id(status_id, newest) else newest
                if dig(raw, "reblog", default=None) is not None:
                    self.count("skipped/boost")
                    continue
                yield self.status(instance, raw)
            except ShapeError as exc:
                self.shape_failure(response, exc, "status")
        if newest is None:
            return
        self.propose_mark(key, newest, _newer_id)
        if min_id is not None and _newer_id(newest, min_id) and number < self.max_pages:
            yield self.page(instance, tag, newest, number + 1)

    def status(self, instance: str, raw: Any) -> Post:
        published = parse_time(dig(raw, "created_at", kind=str))
        if published is None:
            raise ShapeError(f"created_at is not a time: {raw.get('created_at')!r}")
        text = status_text(dig(raw, "content", kind=str))
        warning = dig(raw, "spoiler_text", kind=str, default="")
        account = dig(raw, "account", kind=dict)
        return self.make_post(
            native_id=dig(raw, "uri", kind=str), site=urlsplit(instance).netloc,
            url=dig(raw, "url", kind=str, default=None) or dig(raw, "uri", kind=str),
            text=f"{warning}\n\n{text}" if warning else text, published_at=published,
            lang=dig(raw, "language", kind=str, default=None),
            parent_id=dig(raw, "in_reply_to_id", kind=str, default=None),
            likes=dig(raw, "favourites_count", kind=int, default=0),
            replies=dig(raw, "replies_count", kind=int, default=0),
            shares=dig(raw, "reblogs_count", kind=int, default=0),
            author_id=dig(account, "url", kind=str, default=None) or dig(account, "acct", kind=str),
            author_name=dig(account, "display_name", kind=str, default=None) or dig(account, "acct", kind=str, default=None),
        )
