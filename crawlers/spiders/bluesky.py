"""Bluesky: ``app.bsky.feed.searchPosts`` with a session from an app password.

``com.atproto.server.createSession`` (handle + app password) gives an access token; each
configured query is searched newest first (``sort=latest``, ``lang``), paged by ``cursor``
until the newest post already delivered (``since`` and the ``<query>:newest`` mark) or
``crawl.max_pages``. A missing or rejected password is a clear, counted error.

Backfill (``since``): the search is asked for posts since then (``since``) and paged by
``cursor`` to its end. The cursor is only good within one session, so the saved point is the
oldest post reached: a rerun searches ``until`` one second after it (the posts of that second
already spooled are skipped as seen). The search index itself may not reach back to old posts.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

from scrapy.http import JsonRequest, Request, Response
from twisted.python.failure import Failure

from crawlers.backfill import Resume
from crawlers.spiders.bases import ApiSpider, BackPage, ShapeError, dig
from crawlers.spiders.bases.news_formats import parse_time
from pantau.post import Post


class BlueskySpider(ApiSpider):
    name = "bluesky"
    access_token = ""

    async def start(self) -> AsyncIterator[Request]:
        section = self.settings_section
        if not section.handle or not section.app_password:
            self.fail("no_credentials", "bluesky: set sources.bluesky.handle and an app password "
                      "(sources.bluesky.app_password or PANTAU_BLUESKY_APP_PASSWORD)")
            return
        yield JsonRequest(
            f"{section.service.rstrip('/')}/xrpc/com.atproto.server.createSession",
            data={"identifier": section.handle, "password": section.app_password.reveal()},
            callback=self.parse_session, errback=self.on_session_error, dont_filter=True,
        )

    def on_session_error(self, failure: Failure) -> None:
        status, message = self.error_detail(failure)
        if status in (400, 401):
            self.fail("login_rejected", "bluesky: the handle or app password was rejected (HTTP %s: %s); "
                      "create an app password in Settings > App passwords", status, message)
        else:
            self.fail(f"http_{status}" if status else "session", "bluesky: createSession failed: %s", message)

    def parse_session(self, response: Response) -> Iterator[Request]:
        page = self.read_page(response, "accessJwt", kind=str, what="session")
        if page is None:
            return
        self.access_token = page[1]
        for query in self.settings_section.queries:
            if self.backfill_since is None:
                yield self.page(query, None, 1, self.mark(f"{query}:newest"), None)
                continue
            resume = self.resume(query)
            if resume.reached(self.backfill_since):
                self.count("backfill/already_done")
                continue
            # A rerun: everything newer than the saved point is spooled; the cursor died with its session.
            until = (datetime.fromisoformat(resume.oldest) + timedelta(seconds=1)).isoformat() if resume.oldest else None
            yield self.back_page(query, None, resume, until)

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}

    def back_page(self, query: str, cursor: str | None, resume: Resume, until: str | None) -> Request:
        since = self.backfill_since.isoformat() if self.backfill_since else None
        request = self.page(query, cursor, resume.pages + 1, since, None)
        if until:  # kept on every page: a cursor belongs to the search it came from
            request = request.replace(url=f"{request.url}&{urlencode({'until': until})}")
        return request.replace(callback=self.parse_back, cb_kwargs={"query": query, "resume": resume, "until": until})

    def parse_back(self, response: Response, query: str, resume: Resume, until: str | None) -> Iterator[Any]:
        """One page of a backfill: the posts not older than ``since``, then the resume point."""
        page = self.read_page(response, "posts", kind=list)
        if page is None:
            return
        data, posts = page
        tally = BackPage()
        for post in self.parsed(response, posts, self.post, "post"):
            if self.keep_back(tally, post):
                yield post
        cursor = dig(data, "cursor", kind=str, default=None)
        exhausted = not cursor or not posts
        resume = self.page_point(resume, None, exhausted, tally)
        yield self.checkpoint(query, resume)
        if not exhausted and not tally.passed:
            yield self.back_page(query, cursor, resume, until)

    def page(self, query: str, cursor: str | None, number: int, stop_at: str | None, newest: str | None) -> Request:
        section = self.settings_section
        params = {"q": query, "sort": "latest", "limit": 100}
        if section.lang:
            params["lang"] = section.lang
        if stop_at:
            params["since"] = stop_at
        if cursor:
            params["cursor"] = cursor
        return self.request(
            f"{section.service.rstrip('/')}/xrpc/app.bsky.feed.searchPosts?{urlencode(params)}", self.parse_posts,
            meta={"pantau_auth": True},
            cb_kwargs={"query": query, "number": number, "stop_at": stop_at, "newest": newest},
        )

    def parse_posts(self, response: Response, query: str, number: int, stop_at: str | None,
                    newest: str | None) -> Iterator[Any]:
        """@fixture bluesky/xrpc/app.bsky.feed.searchPosts
        @cb_kwargs {"query": "jateng", "number": 1, "stop_at": null, "newest": null}
        @returns items 2 2
        @returns requests 1 1
        @scrapes native_id text published_at url
        """
        page = self.read_page(response, "posts", kind=list)
        if page is None:
            return
        data, posts = page
        reached_old = False
        for post in self.parsed(response, posts, self.post, "post"):
            stamp = post.published_at.isoformat()
            if stop_at is not None and stamp < stop_at:
                reached_old = True
                break
            newest = max(newest or stamp, stamp)
            yield post
        cursor = dig(data, "cursor", kind=str, default=None)
        if cursor and posts and not reached_old and number < self.max_pages:
            yield self.page(query, cursor, number + 1, stop_at, newest)
        elif newest:
            self.propose_mark(f"{query}:newest", newest)

    def post(self, raw: Any) -> Post:
        record = dig(raw, "record", kind=dict)
        published = parse_time(dig(record, "createdAt", kind=str))
        if published is None:
            raise ShapeError(f"createdAt is not a time: {json.dumps(record.get('createdAt'))}")
        uri = dig(raw, "uri", kind=str)
        handle = dig(raw, "author", "handle", kind=str)
        langs = dig(record, "langs", kind=list, default=[])
        return self.make_post(
            native_id=uri, site="bsky.app", text=dig(record, "text", kind=str), published_at=published,
            url=f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}",
            lang=langs[0] if langs and isinstance(langs[0], str) else None,
            thread_id=dig(record, "reply", "root", "uri", kind=str, default=None),
            parent_id=dig(record, "reply", "parent", "uri", kind=str, default=None),
            likes=dig(raw, "likeCount", kind=int, default=0), replies=dig(raw, "replyCount", kind=int, default=0),
            shares=dig(raw, "repostCount", kind=int, default=0),
            author_id=dig(raw, "author", "did", kind=str),
            author_name=dig(raw, "author", "displayName", kind=str, default=None) or handle,
        )
