"""Google Play reviews through the web client's ``batchexecute`` endpoint (rpc ``UsvDTd``).

Newest first, ``hl=id&gl=id``, paged by the token the answer ends with; paging stops at the
newest review already delivered (the ``<app>:newest`` mark) or after ``crawl.max_pages``.
The answer is ``)]}'`` and a JSON array whose ``wrb.fr`` entry carries the payload as a JSON
string; reviews are arrays read by position (as the web client does), each position checked,
so a changed shape is a counted ``errors/shape``, not a crash or a review of zeros.

Backfill (``since``): the same newest-first pages, followed by their tokens until a review
older than ``since`` or the last page, with no page limit; each page's token is saved after its
reviews. A token is the web client's own and may expire: a rerun much later starts over from
the newest review (the reviews already spooled are skipped as seen).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from typing import Any

from scrapy.http import FormRequest, Response

from crawlers.backfill import Resume
from crawlers.spiders.bases import ApiSpider, BackPage, ShapeError, dig
from pantau.post import Post

RPC = "UsvDTd"
SORT_NEWEST = 2


def request_payload(app: str, count: int, token: str | None) -> str:
    """The ``f.req`` form value the web client sends for one page of reviews."""
    inner = [None, None, [2, SORT_NEWEST, [count, None, token], None, [None, None]], [app, 7]]
    return json.dumps([[[RPC, json.dumps(inner, separators=(",", ":")), None, "generic"]]], separators=(",", ":"))


def unwrap(body: bytes) -> Any:
    """The decoded ``UsvDTd`` payload of a batchexecute answer; ShapeError/ValueError when wrong."""
    text = body.decode("utf-8")
    if not text.startswith(")]}'"):
        raise ShapeError("no )]}' prefix: not a batchexecute answer")
    envelope = json.loads(text[4:].lstrip())
    for entry in dig(envelope, kind=list):
        if isinstance(entry, list) and entry[:2] == ["wrb.fr", RPC]:
            payload = dig(entry, 2, default=None)
            if payload is None:
                raise ShapeError(f"{RPC} answered without payload (error {dig(entry, 5, default=None)!r})")
            return json.loads(dig(entry, 2, kind=str))
    raise ShapeError(f"no wrb.fr entry for {RPC}")


def _utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


class PlaystoreSpider(ApiSpider):
    name = "playstore"

    async def start(self) -> AsyncIterator[FormRequest]:
        for app in self.settings_section.apps:
            if self.backfill_since is None:
                yield self.page(app, None, 1, self.mark(f"{app}:newest"), None)
                continue
            resume = self.resume(app)
            if resume.reached(self.backfill_since):
                self.count("backfill/already_done")
                continue
            yield self.back_page(app, resume)

    def back_page(self, app: str, resume: Resume) -> FormRequest:
        request = self.page(app, resume.cursor, resume.pages + 1, None, None)
        return request.replace(callback=self.parse_back, cb_kwargs={"app": app, "resume": resume})

    def parse_back(self, response: Response, app: str, resume: Resume) -> Iterator[Any]:
        """One page of a backfill: the reviews not older than ``since``, then the resume point."""
        page = self.reviews_page(response, app, resume.pages + 1)
        if page is None:
            return
        reviews, token = page
        tally = BackPage()
        for post in self.reviews(app, reviews):
            if not self.keep_back(tally, post):
                continue
            if post.text.strip():
                yield post
            else:  # a rating without text is no post: not kept after all
                tally.kept -= 1
                self.count("skipped/rating_only")
        resume = self.page_point(resume, token, token is None, tally)
        yield self.checkpoint(app, resume)
        if token and not tally.passed:
            yield self.back_page(app, resume)

    def page(self, app: str, token: str | None, number: int, stop_at: str | None, newest: str | None) -> FormRequest:
        section = self.settings_section
        url = f"{section.base_url.rstrip('/')}/_/PlayStoreUi/data/batchexecute?rpcids={RPC}&hl=id&gl=id"
        return FormRequest(url, formdata={"f.req": request_payload(app, section.page_size, token)},
                           callback=self.parse_reviews, errback=self.on_error, dont_filter=True,
                           cb_kwargs={"app": app, "number": number, "stop_at": stop_at, "newest": newest})

    def parse_reviews(self, response: Response, app: str, number: int, stop_at: str | None,
                      newest: str | None) -> Iterator[Any]:
        """@fixture playstore/_/PlayStoreUi/data/batchexecute
        @cb_kwargs {"app": "app.bpjs.mobile", "number": 1, "stop_at": null, "newest": null}
        @returns items 2 2
        @returns requests 1 1
        @scrapes native_id text rating published_at extra
        """
        page = self.reviews_page(response, app, number)
        if page is None:
            return
        reviews, token = page
        reached_old = False
        for post in self.reviews(app, reviews):
            stamp = post.published_at.isoformat()
            if stop_at is not None and stamp < stop_at:
                reached_old = True
                break
            newest = max(newest or stamp, stamp)
            if post.text.strip():
                yield post
            else:
                self.count("skipped/rating_only")
        if token and not reached_old and number < self.max_pages:
            yield self.page(app, token, number + 1, stop_at, newest)
        elif newest:
            self.propose_mark(f"{app}:newest", newest)

    def reviews_page(self, response: Response, app: str, number: int) -> tuple[list[Any], str | None] | None:
        """(the page's raw reviews, the next page's token), the page counted as read; None after
        counting and logging an answer of another format."""
        try:
            data = unwrap(response.body)
            reviews = dig(data, 0, kind=list, default=[])
            token = dig(data, -1, -1, kind=str, default=None) if len(data) > 1 else None
        except (ShapeError, ValueError, UnicodeDecodeError) as exc:
            self.fail("shape", "playstore: %s page %d: unexpected answer (the format may have changed): %s", app, number, exc)
            return None
        self.page_ok()
        return reviews, token

    def reviews(self, app: str, raws: list[Any]) -> Iterator[Post]:
        """The reviews of a page; one of an unexpected shape is counted and skipped."""
        for raw in raws:
            try:
                post = self.review(app, raw)
            except ShapeError as exc:
                self.fail("shape_item", "playstore: %s: a review has an unexpected shape: %s", app, exc)
                continue
            yield post

    def review(self, app: str, raw: Any) -> Post:
        review_id = dig(raw, 0, kind=str)
        published = _utc(dig(raw, 5, 0, kind=int))
        reply_at = dig(raw, 7, 2, 0, kind=int, default=None)
        extra: dict[str, Any] = {"app_version": dig(raw, 10, kind=str, default=None)}
        if reply_at is not None:
            extra.update(reply_text=dig(raw, 7, 1, kind=str, default=None), reply_at=_utc(reply_at).isoformat(),
                         reply_delay_s=reply_at - int(published.timestamp()))
        author = dig(raw, 1, 1, 3, 2, kind=str, default=None) or dig(raw, 1, 0, kind=str, default=None)
        return self.make_post(
            native_id=review_id, site=app, text=dig(raw, 4, kind=str, default=""), published_at=published,
            rating=float(dig(raw, 2, kind=int)), likes=dig(raw, 6, kind=int, default=0),
            author_id=author, author_name=dig(raw, 1, 0, kind=str, default=None),
            url=f"https://play.google.com/store/apps/details?id={app}&reviewId={review_id}", extra=extra,
        )
