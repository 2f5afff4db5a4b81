"""YouTube comments: Data API v3 ``commentThreads.list``, newest first (``order=time``).

One query per configured channel (``allThreadsRelatedToChannelId``) and video (``videoId``),
optionally narrowed by ``searchTerms``. Every call costs one quota unit; units are counted per
Pacific day (when Google resets the quota) in the crawl state and the spider stops before
``daily_quota``. Paging stops at the newest comment already delivered.

Backfill (``since``): the same pages followed by ``pageToken`` until a comment older than
``since`` or the last page, one quota unit each; when the day's quota runs out the backfill
stops with its point saved, and a rerun after Google's reset (midnight Pacific) goes on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawlers.backfill import Resume
from crawlers.spiders.bases import ApiSpider, BackPage, ShapeError, dig
from crawlers.spiders.bases.news_formats import parse_time
from pantau.post import Post

QUOTA_TZ = ZoneInfo("America/Los_Angeles")
UNITS_PER_CALL = 1


class YoutubeSpider(ApiSpider):
    name = "youtube"

    async def start(self) -> AsyncIterator[Request]:
        section = self.settings_section
        if not section.api_key:
            self.fail("no_api_key", "youtube: no API key; set sources.youtube.api_key or PANTAU_YOUTUBE_API_KEY")
            return
        targets = [("allThreadsRelatedToChannelId", c) for c in section.channels] + [("videoId", v) for v in section.videos]
        for target in targets:
            if self.backfill_since is None:
                request = self.page(target, None, 1, self.mark(f"{target[1]}:newest"), None)
            else:
                resume = self.resume(target[1])
                if resume.reached(self.backfill_since):
                    self.count("backfill/already_done")
                    continue
                request = self.back_page(target, resume)
            if request is not None:
                yield request

    def back_page(self, target: tuple[str, str], resume: Resume) -> Request | None:
        request = self.page(target, resume.cursor, resume.pages + 1, None, None)
        if request is None:
            self.logger.warning("youtube: backfill of %s paused at %s by the daily quota; run it again tomorrow",
                                target[1], resume.oldest or "the newest comment")
            return None
        return request.replace(callback=self.parse_back, cb_kwargs={"target": target, "resume": resume})

    def parse_back(self, response: Response, target: tuple[str, str], resume: Resume) -> Iterator[Any]:
        """One page of a backfill: the comments not older than ``since``, then the resume point."""
        page = self.read_page(response, "items", kind=list)
        if page is None:
            return
        data, items = page
        tally = BackPage()
        for post in self.parsed(response, items, lambda raw: self.thread(target, raw), "comment thread"):
            if self.keep_back(tally, post):
                yield post
        token = dig(data, "nextPageToken", kind=str, default=None)
        resume = self.page_point(resume, token, token is None, tally)
        yield self.checkpoint(target[1], resume)
        if token and not tally.passed:
            request = self.back_page(target, resume)
            if request is not None:
                yield request

    def _quota_key(self) -> str:
        return f"quota:{datetime.now(QUOTA_TZ).date().isoformat()}"

    def page(self, target: tuple[str, str], token: str | None, number: int, stop_at: str | None,
             newest: str | None) -> Request | None:
        section = self.settings_section
        used = int(self.mark(self._quota_key()) or 0)
        if used + UNITS_PER_CALL > section.daily_quota:
            self.count("youtube/quota_exhausted")
            self.logger.warning("youtube: daily quota of %d units used up; %s waits for tomorrow", section.daily_quota, target[1])
            return None
        self.crawl_state.set_marks(self.name, {self._quota_key(): str(used + UNITS_PER_CALL)})
        self.count("youtube/quota_units", UNITS_PER_CALL)
        params = {"part": "snippet", target[0]: target[1], "order": "time", "maxResults": 100, "textFormat": "plainText"}
        if section.search_terms:
            params["searchTerms"] = section.search_terms
        if token:
            params["pageToken"] = token
        url = f"{section.api_url.rstrip('/')}/commentThreads?{urlencode(params)}"
        return self.request(url, self.parse_threads, errback=self.on_api_error, meta={"pantau_auth": True},
                            cb_kwargs={"target": target, "number": number, "stop_at": stop_at, "newest": newest})

    def auth_headers(self) -> dict[str, str]:
        return {"X-Goog-Api-Key": self.settings_section.api_key.reveal()}

    def on_api_error(self, failure: Failure) -> None:
        status, message = self.error_detail(failure)
        if status == 403 and "disabled comments" in message.lower():
            self.count("youtube/comments_disabled")
            return
        if status == 403 and "quota" in message.lower():  # Google's count wins over ours: stop for today
            self.crawl_state.set_marks(self.name, {self._quota_key(): str(self.settings_section.daily_quota)})
        reason = {400: "bad_request", 403: "forbidden", 404: "not_found"}.get(status or 0, f"http_{status}")
        self.fail(reason, "youtube: API refused the request (HTTP %s): %s", status, message)

    def parse_threads(self, response: Response, target: tuple[str, str], number: int, stop_at: str | None,
                      newest: str | None) -> Iterator[Any]:
        """@fixture youtube/v3/commentThreads
        @cb_kwargs {"target": ["allThreadsRelatedToChannelId", "UC1"], "number": 1, "stop_at": null, "newest": null}
        @returns items 2 2
        @scrapes native_id text published_at likes replies url
        """
        page = self.read_page(response, "items", kind=list)
        if page is None:
            return
        data, items = page
        reached_old = False
        for post in self.parsed(response, items, lambda raw: self.thread(target, raw), "comment thread"):
            stamp = post.published_at.isoformat()
            if stop_at is not None and stamp < stop_at:
                reached_old = True
                break
            newest = max(newest or stamp, stamp)
            yield post
        token = dig(data, "nextPageToken", kind=str, default=None)
        if token and not reached_old and number < self.max_pages:
            request = self.page(target, token, number + 1, stop_at, newest)
            if request is not None:
                yield request
                return
        if newest:
            self.propose_mark(f"{target[1]}:newest", newest)

    def thread(self, target: tuple[str, str], raw: Any) -> Post:
        top = dig(raw, "snippet", "topLevelComment", kind=dict)
        snippet = dig(top, "snippet", kind=dict)
        published = parse_time(dig(snippet, "publishedAt", kind=str))
        if published is None:
            raise ShapeError(f"publishedAt is not a time: {snippet.get('publishedAt')!r}")
        video = dig(snippet, "videoId", kind=str, default=None) or dig(raw, "snippet", "videoId", kind=str, default=None)
        comment_id = dig(top, "id", kind=str)
        return self.make_post(
            native_id=comment_id, thread_id=dig(raw, "id", kind=str, default=None),
            site=dig(raw, "snippet", "channelId", kind=str, default=target[1]),
            text=dig(snippet, "textOriginal", kind=str, default=None) or dig(snippet, "textDisplay", kind=str),
            published_at=published, likes=dig(snippet, "likeCount", kind=int, default=0),
            replies=dig(raw, "snippet", "totalReplyCount", kind=int, default=0),
            author_id=dig(snippet, "authorChannelId", "value", kind=str, default=None),
            author_name=dig(snippet, "authorDisplayName", kind=str, default=None),
            url=f"https://www.youtube.com/watch?v={video}&lc={comment_id}" if video else None,
            extra={"video_id": video} if video else {},
        )
