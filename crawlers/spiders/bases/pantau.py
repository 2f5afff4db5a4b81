"""The base of every Pantau spider.

Subclasses set ``name`` (the source slug) and implement ``start()`` (async) and their callbacks;
they build posts with :meth:`PantauSpider.make_post`, which stamps the source, the collection
time and the keyed author hash. Hooks and helpers:

- ``settings_section`` -> the source's ``[sources.<name>]`` settings (property);
- ``author(account_id)`` -> keyed hash (the raw id never leaves the spider);
- ``request(url, callback, ...)`` -> a Request whose failures are counted by ``on_error``;
- ``count(key)`` / ``fail(reason, message)`` -> ``pantau/...`` stats (fail also logs);
- ``mark(key)`` / ``propose_mark(key, value)`` -> high-water marks, saved when the run flushed;
- ``is_seen(native_id)`` -> the post was delivered by an earlier run;
- ``auth_headers()`` -> credentials for requests marked ``meta={"pantau_auth": True}``, added
  in the downloader so they are never logged or written to a JOBDIR;
- backfill (``pantau backfill``, spider argument ``since``): ``backfill_since`` is the aware
  time to reach back to (None in a normal crawl), ``resume(key)`` where an interrupted backfill
  of ``key`` stopped, ``keep_back(page, post)`` tallies a page's post in a :class:`BackPage`
  and says whether to yield it, ``page_point(...)`` the resume point after the page, and
  ``checkpoint(key, resume)`` the item to yield after a page's posts (saved once they are spooled). In backfill mode ``propose_mark`` does nothing: a backfill never
  moves the normal crawl's high-water marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, ClassVar

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawlers.backfill import BACKFILL_PREFIX, Checkpoint, Resume
from crawlers.configure import config_from_settings, source_settings
from crawlers.state import STATE_FILE, CrawlState
from pantau.config import Config
from pantau.post import Post, post_id
from pantau.privacy import author_hash, author_key



@dataclass
class BackPage:
    """What one backfill page held: its oldest post, the posts kept, whether it went past ``since``."""

    oldest: datetime | None = None
    kept: int = 0
    passed: bool = False

class PantauSpider(scrapy.Spider):
    name: ClassVar[str] = ""
    cfg: Config
    crawl_state: CrawlState
    max_pages: int
    #: marks proposed during the run, saved by the spool pipeline after its last flush
    pending_marks: dict[str, str]

    def __init__(self, *args: Any, since: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.backfill_since: datetime | None = datetime.fromisoformat(since) if since else None
        if self.backfill_since is not None and self.backfill_since.tzinfo is None:
            raise ValueError(f"since must carry a time zone, got {since!r}")

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        for key, value in source_settings(config_from_settings(settings), cls.name).items():
            settings.set(key, value, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> PantauSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.cfg = config_from_settings(crawler.settings)
        spider.max_pages = crawler.settings.getint("PANTAU_MAX_PAGES", 20)
        spider.crawl_state = CrawlState(spider.cfg.data_dir / STATE_FILE)
        spider.pending_marks = {}
        spider._author_key = author_key(spider.cfg)
        frozen = crawler.settings.get("PANTAU_NOW")
        spider._now = datetime.fromisoformat(frozen) if frozen else None
        crawler.signals.connect(spider._close_state, signal=signals.spider_closed)
        return spider

    def _close_state(self) -> None:
        self.crawl_state.close()

    @property
    def settings_section(self) -> Any:
        return getattr(self.cfg.sources, self.name if self.name != "import" else "import_")

    def now(self) -> datetime:
        """The collection time (frozen in tests by the PANTAU_NOW setting)."""
        return self._now or datetime.now(timezone.utc)

    def author(self, account_id: str | None) -> str | None:
        return author_hash(self._author_key, self.name, account_id) if account_id else None

    def make_post(self, *, native_id: str, author_id: str | None = None, **fields: Any) -> Post:
        if not self.cfg.crawl.keep_authors_names:
            fields["author_name"] = None
        return Post(source=self.name, native_id=native_id, author_hash=self.author(author_id),
                    collected_at=self.now(), **fields)

    def is_seen(self, native_id: str) -> bool:
        return self.crawl_state.is_seen(self.name, post_id(self.name, native_id))

    def count(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"pantau/{key}", n)

    def fail(self, reason: str, message: str, *args: Any) -> None:
        """A counted failure (``pantau/errors/<reason>``), logged with what went wrong."""
        self.logger.error(message, *args)
        self.count(f"errors/{reason}")

    def mark(self, key: str) -> str | None:
        return self.crawl_state.mark(self.name, key)

    def propose_mark(self, key: str, value: str, newer: Any = None) -> None:
        """Remember ``value`` as the new mark ``key`` if it beats the one proposed so far.

        ``newer(a, b)`` says whether a is newer than b (default: string order, right for ISO
        times and equal-length ids). The spool pipeline saves proposals after its last flush.
        A backfill proposes nothing: the next normal crawl goes on from where the last one was.
        """
        if self.backfill_since is not None:
            return
        current = self.pending_marks.get(key)
        is_newer = newer or (lambda a, b: a > b)
        if current is None or is_newer(value, current):
            self.pending_marks[key] = value

    def resume(self, key: str) -> Resume:
        """Where the backfill of ``key`` stopped last time (the start when it never ran)."""
        return Resume.from_json(self.crawl_state.mark(self.name, BACKFILL_PREFIX + key))

    def checkpoint(self, key: str, resume: Resume) -> Checkpoint:
        self.count("backfill/pages")
        return Checkpoint(self.name, BACKFILL_PREFIX + key, resume.to_json())

    def keep_back(self, page: BackPage, post: Post) -> bool:
        """Tally a backfill page's ``post``; True when it is to be yielded (not older than ``since``)."""
        page.oldest = min(page.oldest or post.published_at, post.published_at)
        if self.before_since(post.published_at):
            page.passed = True
            return False
        page.kept += 1
        return True

    def page_point(self, resume: Resume, cursor: str | None, exhausted: bool, page: BackPage) -> Resume:
        """The resume point after a backfill page. A page that went past ``since`` leaves the point
        at ``since`` with the page's own cursor, so a later backfill to an earlier date reads
        that page again (its posts before ``since`` were skipped) and goes on from there."""
        if page.passed:
            return resume.after_page(resume.cursor, self.backfill_since, False, page.kept)
        return resume.after_page(cursor, page.oldest, exhausted, page.kept)

    def before_since(self, published: datetime) -> bool:
        """The post is older than the backfill reaches (counted as ``skipped/before_since``)."""
        if self.backfill_since is not None and published < self.backfill_since:
            self.count("skipped/before_since")
            return True
        return False

    def auth_headers(self) -> dict[str, str]:
        return {}

    def request(self, url: str, callback: Any, **kwargs: Any) -> Request:
        kwargs.setdefault("dont_filter", True)
        kwargs.setdefault("errback", self.on_error)
        return Request(url, callback=callback, **kwargs)

    def page_ok(self) -> None:
        self.count("pages/ok")

    def on_error(self, failure: Failure) -> None:
        """Download failures end here: log and count them by kind, never raise."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if failure.check(IgnoreRequest) and str(failure.value).startswith("Forbidden by robots.txt"):
            return  # a polite skip, counted by Scrapy as robotstxt/forbidden, not an error
        if failure.check(HttpError):
            status = failure.value.response.status
            self.fail(f"http_{status}", "%s: HTTP %s from %s", self.name, status, url)
        else:
            kind = type(failure.value).__name__
            self.fail(kind, "%s: request to %s failed: %s", self.name, url, str(failure.value) or kind)
