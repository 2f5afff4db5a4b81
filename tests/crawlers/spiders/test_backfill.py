"""Backfill mode of each spider on the saved pages: what a page yields, the resume point after
it, where paging stops (``since`` reached, last page), a rerun starting from the saved point, and
the normal crawl's marks left alone."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy.http import Request

from crawlers.backfill import Checkpoint, Resume
from crawlers.spiders.bluesky import BlueskySpider
from crawlers.spiders.mastodon import MastodonSpider
from crawlers.spiders.news import NewsSpider
from crawlers.spiders.playstore import PlaystoreSpider
from crawlers.spiders.x import XSpider
from crawlers.spiders.youtube import YoutubeSpider
from crawlers.spiders.bases.news_formats import Entry
from pantau.post import Post
from tests.crawlers.helpers import FROZEN_NOW, make_config, make_spider, response, stat

LONG_AGO = "2026-01-01T00:00:00+00:00"


def outputs(results):
    items = list(results or [])
    return ([x for x in items if isinstance(x, Post)], [x for x in items if isinstance(x, Checkpoint)],
            [x for x in items if isinstance(x, Request)])


def point(checkpoints) -> Resume:
    assert len(checkpoints) == 1
    return Resume.from_json(checkpoints[0].value)


def spider_for(cls, tmp_path, since=LONG_AGO, toml=""):
    return make_spider(cls, make_config(tmp_path, toml), since=since)


# -- Play Store ---------------------------------------------------------------------------------
PLAY = "playstore/_/PlayStoreUi/data/batchexecute"


def test_play_page_yields_reviews_then_its_point_then_the_next_page(tmp_path):
    spider = spider_for(PlaystoreSpider, tmp_path)
    posts, checkpoints, requests = outputs(spider.parse_back(response(PLAY), app="app.bpjs.mobile", resume=Resume()))
    saved = point(checkpoints)
    assert len(posts) == 2 and saved.cursor == "CpEBCo4BKmTOKENPAGE2" and saved.pages == 1 and saved.posts == 2
    assert saved.oldest == datetime.fromtimestamp(1795126500, timezone.utc).isoformat() and not saved.exhausted
    assert checkpoints[0].mark == "backfill:app.bpjs.mobile"
    assert len(requests) == 1 and "CpEBCo4BKmTOKENPAGE2" in requests[0].body.decode() and requests[0].callback == spider.parse_back


def test_play_stops_at_since(tmp_path):
    since = datetime.fromtimestamp(1795143600 - 60, timezone.utc)
    spider = spider_for(PlaystoreSpider, tmp_path, since.isoformat())
    posts, checkpoints, requests = outputs(spider.parse_back(response(PLAY), app="app.bpjs.mobile", resume=Resume()))
    assert len(posts) == 1 and requests == [] and point(checkpoints).reached(since)
    assert stat(spider, "skipped/before_since") == 1 and stat(spider, "skipped/rating_only") == 1


def test_play_last_page_is_exhausted(tmp_path):
    spider = spider_for(PlaystoreSpider, tmp_path)
    _, checkpoints, requests = outputs(spider.parse_back(response(f"{PLAY}@CpEBCo4BKmTOKENPAGE2"), app="app.bpjs.mobile",
                                                         resume=Resume("CpEBCo4BKmTOKENPAGE2", None, False, 1, 2)))
    saved = point(checkpoints)
    assert saved.exhausted and saved.pages == 2 and requests == []


def test_play_rerun_starts_from_the_saved_token(tmp_path):
    spider = spider_for(PlaystoreSpider, tmp_path, toml='[sources.playstore]\napps = ["app.bpjs.mobile"]\n')
    spider.crawl_state.set_marks("playstore", {"backfill:app.bpjs.mobile": Resume("TOK3", "2026-11-01T00:00:00+00:00", False, 2, 9).to_json()})
    (request,) = list(_start(spider))
    assert "TOK3" in request.body.decode() and request.callback == spider.parse_back


def test_backfill_proposes_no_normal_mark(tmp_path):
    spider = spider_for(PlaystoreSpider, tmp_path)
    spider.propose_mark("app.bpjs.mobile:newest", "2026-11-20T00:00:00+00:00")
    assert spider.pending_marks == {}


# -- Mastodon -------------------------------------------------------------------------------------
TOOTS = "mastodon/api/v1/timelines/tag/jateng"


def test_mastodon_pages_back_by_max_id(tmp_path):
    spider = spider_for(MastodonSpider, tmp_path)
    posts, checkpoints, requests = outputs(spider.parse_back(response(TOOTS), instance="https://mastodon.social", tag="jateng", resume=Resume()))
    ids = [raw["id"] for raw in json.loads((response(TOOTS).body))]
    saved = point(checkpoints)
    assert posts and saved.cursor == min(ids, key=int) and checkpoints[0].mark == "backfill:mastodon.social:jateng"
    assert parse_qs(urlsplit(requests[0].url).query)["max_id"] == [saved.cursor]


def test_mastodon_empty_page_ends_the_timeline(tmp_path):
    spider = spider_for(MastodonSpider, tmp_path)
    _, checkpoints, requests = outputs(spider.parse_back(response("x.json", body=b"[]"), instance="https://mastodon.social",
                                                         tag="jateng", resume=Resume("5", LONG_AGO, False, 3, 100)))
    assert point(checkpoints).exhausted and requests == []


def test_mastodon_finished_point_fetches_nothing(tmp_path):
    spider = spider_for(MastodonSpider, tmp_path, since="2026-06-01T00:00:00+00:00",
                        toml='[sources.mastodon]\ninstances = ["https://mastodon.social"]\ntags = ["jateng"]\n')
    spider.crawl_state.set_marks("mastodon", {"backfill:mastodon.social:jateng": Resume("5", "2026-05-30T00:00:00+00:00").to_json()})
    assert list(_start(spider)) == [] and stat(spider, "backfill/already_done") == 1


# -- YouTube --------------------------------------------------------------------------------------
YT = "youtube/v3/commentThreads"
YT_TOML = '[sources.youtube]\nenabled = true\napi_key = "k"\nchannels = ["UC1"]\ndaily_quota = 3\n'


def test_youtube_page_point_is_its_next_page_token(tmp_path):
    spider = spider_for(YoutubeSpider, tmp_path, toml=YT_TOML)
    posts, checkpoints, requests = outputs(spider.parse_back(response(YT), target=("allThreadsRelatedToChannelId", "UC1"), resume=Resume()))
    assert len(posts) == 2 and point(checkpoints).cursor == "QURTSl9pMlRfUEFHRTI"
    assert "pageToken=QURTSl9pMlRfUEFHRTI" in requests[0].url


def test_youtube_quota_pauses_the_backfill_with_its_point_kept(tmp_path):
    spider = spider_for(YoutubeSpider, tmp_path, toml=YT_TOML)
    spider.crawl_state.set_marks("youtube", {spider._quota_key(): "3"})
    posts, checkpoints, requests = outputs(spider.parse_back(response(YT), target=("allThreadsRelatedToChannelId", "UC1"), resume=Resume()))
    assert len(posts) == 2 and len(checkpoints) == 1 and requests == []
    assert stat(spider, "youtube/quota_exhausted") == 1


# -- Bluesky --------------------------------------------------------------------------------------
def test_bluesky_asks_since_and_on_a_rerun_until_just_after_the_point(tmp_path):
    spider = spider_for(BlueskySpider, tmp_path, toml='[sources.bluesky]\nqueries = ["jateng"]\n')
    first = spider.back_page("jateng", None, Resume(), None)
    assert parse_qs(urlsplit(first.url).query)["since"] == [LONG_AGO] and "until" not in first.url
    spider.crawl_state.set_marks("bluesky", {"backfill:jateng": Resume(None, "2026-11-20T03:00:00+00:00", False, 4, 90).to_json()})
    spider.access_token = "t"
    (rerun,) = [r for r in spider.parse_session(response("s.json", body=b'{"accessJwt": "t"}'))]
    assert parse_qs(urlsplit(rerun.url).query)["until"] == ["2026-11-20T03:00:01+00:00"]
    posts, checkpoints, requests = outputs(spider.parse_back(response("bluesky/xrpc/app.bsky.feed.searchPosts"), query="jateng",
                                                             resume=Resume(), until="2026-11-20T03:00:01+00:00"))
    assert len(posts) == 2 and point(checkpoints).oldest == "2026-11-20T03:00:00+00:00"
    query = parse_qs(urlsplit(requests[0].url).query)
    assert query["cursor"] == ["cursor-page-2"] and query["until"] == ["2026-11-20T03:00:01+00:00"]  # same search


# -- X --------------------------------------------------------------------------------------------
def test_x_since_older_than_the_7_day_window_is_cut_and_said(tmp_path, caplog):
    spider = spider_for(XSpider, tmp_path, toml='[sources.x]\nenabled = true\nbearer_token = "b"\n')
    (request,) = list(_start(spider))
    start = FROZEN_NOW - timedelta(days=7) + timedelta(minutes=1)
    assert parse_qs(urlsplit(request.url).query)["start_time"] == [start.strftime("%Y-%m-%dT%H:%M:%SZ")]
    assert "since_id" not in request.url and stat(spider, "backfill/limited") == 1
    assert "reaches back only 7 days" in caplog.text


def test_x_page_point_and_next_token(tmp_path):
    spider = spider_for(XSpider, tmp_path, since="2026-11-19T00:00:00+00:00")
    start = datetime.fromisoformat("2026-11-19T00:00:00+00:00")
    posts, checkpoints, requests = outputs(spider.parse_back(response("x/2/tweets/search/recent"), resume=Resume(), start=start, end=None))
    assert len(posts) == 2 and not point(checkpoints).exhausted
    assert "next_token=b26v89c19zqg8o3fpds" in requests[0].url and "start_time=2026-11-19T00%3A00%3A00Z" in requests[0].url


# -- News -----------------------------------------------------------------------------------------
def test_news_does_not_fetch_sitemap_entries_older_than_since(tmp_path):
    spider = spider_for(NewsSpider, tmp_path, since="2026-11-01T00:00:00+00:00")
    old = Entry("https://x.example/a", published_at=datetime(2026, 10, 1, tzinfo=timezone.utc))
    new = Entry("https://x.example/b", published_at=datetime(2026, 11, 2, tzinfo=timezone.utc))
    assert list(spider.follow(old)) == [] and len(list(spider.follow(new))) == 1
    assert stat(spider, "skipped/before_since") == 1


def test_news_listing_pages_on_through_pages_already_read(tmp_path):
    spider = spider_for(NewsSpider, tmp_path)
    page = response("news/beritadaerah/index.html", url="http://127.0.0.1/news/beritadaerah/")
    first = [r for r in spider.parse_listing(page, page=1) if isinstance(r, Request)]
    for request in first:
        if request.callback == spider.parse_article:
            spider.crawl_state.mark_seen("news", [Post(source="news", native_id=request.cb_kwargs["hint"]["url"], text="x",
                                                       published_at=FROZEN_NOW).id])
    again = [r for r in spider.parse_listing(page, page=1) if isinstance(r, Request)]
    assert [r.callback for r in again] == [spider.parse_listing]  # nothing new, but the next page is read


def _start(spider):
    import asyncio

    async def drain():
        return [r async for r in spider.start()]

    return asyncio.run(drain())


def test_a_page_past_since_keeps_its_own_cursor_for_an_earlier_date_later(tmp_path):
    since = datetime.fromtimestamp(1795143600 - 60, timezone.utc)
    spider = spider_for(PlaystoreSpider, tmp_path, since.isoformat())
    before = Resume("TOK1", "2026-11-21T05:00:00+00:00", False, 1, 3)
    _, checkpoints, _ = outputs(spider.parse_back(response(PLAY), app="app.bpjs.mobile", resume=before))
    saved = point(checkpoints)
    assert saved.cursor == "TOK1" and saved.oldest == since.isoformat() and saved.reached(since)
    assert not saved.reached(since - timedelta(days=1))  # a backfill to an earlier date reads this page again
