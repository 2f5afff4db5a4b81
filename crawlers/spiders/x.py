"""X: API v2 recent search (``/2/tweets/search/recent``) with a bearer token (paid access).

Reads the configured query newer than the newest tweet delivered (``since_id``), paged by
``next_token`` up to ``crawl.max_pages``. Without a token, or with one X rejects, the spider
says so in one clear, counted error instead of failing obscurely.

Backfill (``since``): recent search only reaches the last 7 days (older tweets need full-archive
search, Pro or Enterprise access); an earlier ``since`` is cut to the window's start, said in a
warning and counted (``backfill/limited``). The search runs with ``start_time``, paged by
``next_token``; a rerun searches with ``end_time`` one second after the oldest tweet reached.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawlers.backfill import Resume
from crawlers.spiders.bases import ApiSpider, BackPage, ShapeError, dig
from crawlers.spiders.bases.news_formats import parse_time
from pantau.post import Post

TWEET_FIELDS = "created_at,lang,public_metrics,author_id,conversation_id,in_reply_to_user_id,referenced_tweets"


RECENT_WINDOW = timedelta(days=7)


def _newer_id(a: str, b: str) -> bool:
    return (len(a), a) > (len(b), b)


def _x_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class XSpider(ApiSpider):
    name = "x"

    async def start(self) -> AsyncIterator[Request]:
        if not self.settings_section.bearer_token:
            self.fail("no_token", "x: no bearer token; set sources.x.bearer_token or PANTAU_X_BEARER_TOKEN "
                      "(recent search needs paid API access)")
            return
        if self.backfill_since is None:
            yield self.page(None, 1, self.mark("newest_id"))
            return
        start = self.window_start()
        resume = self.resume("search")
        if resume.reached(start):
            self.count("backfill/already_done")
            return
        end = (datetime.fromisoformat(resume.oldest) + timedelta(seconds=1)) if resume.oldest else None
        yield self.back_page(None, resume, start, end)

    def window_start(self) -> datetime:
        """``since``, or the start of recent search's 7-day window when ``since`` is older."""
        assert self.backfill_since is not None
        earliest = self.now() - RECENT_WINDOW + timedelta(minutes=1)
        if self.backfill_since >= earliest:
            return self.backfill_since
        self.count("backfill/limited")
        self.logger.warning("x: recent search reaches back only 7 days: backfilling from %s, not %s "
                            "(older tweets need full-archive search, Pro or Enterprise access)",
                            earliest.isoformat(timespec="seconds"), self.backfill_since.isoformat())
        return earliest

    def back_page(self, next_token: str | None, resume: Resume, start: datetime, end: datetime | None) -> Request:
        request = self.page(next_token, resume.pages + 1, None)
        times = {"start_time": _x_time(start), **({"end_time": _x_time(end)} if end else {})}
        return request.replace(url=f"{request.url}&{urlencode(times)}", callback=self.parse_back,
                               cb_kwargs={"resume": resume, "start": start, "end": end})

    def parse_back(self, response: Response, resume: Resume, start: datetime, end: datetime | None) -> Iterator[Any]:
        """One page of a backfill: its tweets, then the resume point."""
        page = self.search_page(response, "next_token")
        if page is None:
            return
        tweets, users, (next_token,) = page
        tally = BackPage()
        for post in self.parsed(response, tweets, lambda raw: self.tweet(raw, users), "tweet"):
            if self.keep_back(tally, post):
                yield post
        # The search answers nothing before start_time: its last page means the window is read.
        resume = resume.after_page(None, tally.oldest, next_token is None, tally.kept)
        yield self.checkpoint("search", resume)
        if next_token:
            yield self.back_page(next_token, resume, start, end)

    def page(self, next_token: str | None, number: int, since_id: str | None) -> Request:
        section = self.settings_section
        params = {"query": section.query, "max_results": 100, "tweet.fields": TWEET_FIELDS,
                  "expansions": "author_id", "user.fields": "username,name"}
        if since_id:
            params["since_id"] = since_id
        if next_token:
            params["next_token"] = next_token
        return self.request(
            f"{section.api_url.rstrip('/')}/2/tweets/search/recent?{urlencode(params)}", self.parse_tweets,
            errback=self.on_api_error, meta={"pantau_auth": True},
            cb_kwargs={"number": number, "since_id": since_id},
        )

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.settings_section.bearer_token.reveal()}"}

    def on_api_error(self, failure: Failure) -> None:
        status, message = self.error_detail(failure)
        if status in (401, 403):
            self.fail("token_rejected", "x: the bearer token was rejected (HTTP %s: %s); check "
                      "sources.x.bearer_token and that the app's plan includes recent search", status, message)
        else:
            self.fail(f"http_{status}" if status else type(failure.value).__name__, "x: recent search failed: %s", message)

    def parse_tweets(self, response: Response, number: int, since_id: str | None) -> Iterator[Any]:
        """@fixture x/2/tweets/search/recent
        @cb_kwargs {"number": 1, "since_id": null}
        @returns items 2 2
        @returns requests 1 1
        @scrapes native_id text published_at likes
        """
        page = self.search_page(response, "newest_id", "next_token")
        if page is None:
            return
        tweets, users, (newest, next_token) = page
        yield from self.parsed(response, tweets, lambda raw: self.tweet(raw, users), "tweet")
        if newest:
            self.propose_mark("newest_id", newest, _newer_id)
        if next_token and number < self.max_pages:
            yield self.page(next_token, number + 1, since_id)

    def search_page(self, response: Response, *meta_keys: str) -> tuple[list[Any], dict[str, Any], tuple[str | None, ...]] | None:
        """(the page's tweets, its users by id, the string values of ``meta_keys`` in its meta),
        the page counted as read; None after logging and counting a bad body or a changed shape."""
        data = self.load_json(response)
        if data is None:
            return None
        try:
            tweets = dig(data, "data", kind=list, default=[])
            users = {u["id"]: u for u in dig(data, "includes", "users", kind=list, default=[]) if isinstance(u, dict) and "id" in u}
            meta = tuple(dig(data, "meta", key, kind=str, default=None) for key in meta_keys)
        except ShapeError as exc:
            self.shape_failure(response, exc)
            return None
        self.page_ok()
        return tweets, users, meta

    def tweet(self, raw: Any, users: dict[str, Any]) -> Post:
        tweet_id = dig(raw, "id", kind=str)
        published = parse_time(dig(raw, "created_at", kind=str))
        if published is None:
            raise ShapeError(f"created_at is not a time: {raw.get('created_at')!r}")
        author_id = dig(raw, "author_id", kind=str, default=None)
        user = users.get(author_id, {})
        metrics = dig(raw, "public_metrics", kind=dict, default={})
        parent = next((r.get("id") for r in dig(raw, "referenced_tweets", kind=list, default=[])
                       if isinstance(r, dict) and r.get("type") == "replied_to"), None)
        return self.make_post(
            native_id=tweet_id, site="x.com", text=dig(raw, "text", kind=str), published_at=published,
            url=f"https://x.com/{user.get('username', 'i/web')}/status/{tweet_id}",
            lang=dig(raw, "lang", kind=str, default=None), thread_id=dig(raw, "conversation_id", kind=str, default=None),
            parent_id=parent, likes=dig(metrics, "like_count", kind=int, default=0),
            replies=dig(metrics, "reply_count", kind=int, default=0),
            shares=dig(metrics, "retweet_count", kind=int, default=0) + dig(metrics, "quote_count", kind=int, default=0),
            author_id=author_id, author_name=user.get("name"),
        )
