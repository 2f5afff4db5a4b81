"""Play Store: the batchexecute envelope, reviews by position, paging, and changed shapes."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from urllib.parse import parse_qs

import pytest

from crawlers.spiders.playstore import PlaystoreSpider, request_payload
from tests.crawlers.helpers import FILES, make_config, make_spider, response, split, stat

PAGE = "playstore/_/PlayStoreUi/data/batchexecute"
KW = {"app": "app.bpjs.mobile", "number": 1, "stop_at": None, "newest": None}


@pytest.fixture
def spider(tmp_path):
    return make_spider(PlaystoreSpider, make_config(tmp_path))


@pytest.fixture
def parsed(spider):
    return split(spider.parse_reviews(response(PAGE), **KW))


@pytest.fixture
def budi(parsed):
    return parsed[0][0]


def test_request_payload_is_the_web_clients_f_req():
    outer = json.loads(request_payload("app.bpjs.mobile", 100, "TOKEN"))
    assert outer[0][0][0] == "UsvDTd"
    assert json.loads(outer[0][0][1]) == [None, None, [2, 2, [100, None, "TOKEN"], None, [None, None]], ["app.bpjs.mobile", 7]]




def test_first_request_asks_newest_first_in_indonesian(spider):
    request = spider.page("app.bpjs.mobile", None, 1, None, None)
    assert "hl=id&gl=id" in request.url and "rpcids=UsvDTd" in request.url
    form = parse_qs(request.body.decode())
    assert json.loads(json.loads(form["f.req"][0])[0][0][1])[2][1] == 2


def test_rating_only_review_is_skipped_and_counted(spider, parsed):
    assert len(parsed[0]) == 2 and stat(spider, "skipped/rating_only") == 1


def test_native_id(budi):
    assert budi.native_id == "gp:AOqpTOFxU1ZxM2tQbW9iaWxlSktOMDAx"


def test_text(budi):
    assert budi.text.startswith("Aplikasi sering error saat login")


def test_rating(budi):
    assert budi.rating == 1.0


def test_published_at(budi):
    assert budi.published_at == datetime(2026, 11, 20, 5, 0, tzinfo=timezone.utc)


def test_likes_are_thumbs_up(budi):
    assert budi.likes == 12


def test_site_is_the_app_id(budi):
    assert budi.site == "app.bpjs.mobile"


def test_app_version(budi):
    assert budi.extra["app_version"] == "4.12.0"


def test_developer_reply_and_its_time(budi):
    assert budi.extra["reply_text"].startswith("Mohon maaf atas ketidaknyamanannya")
    assert budi.extra["reply_at"] == "2026-11-20T08:30:00+00:00"
    assert budi.extra["reply_delay_s"] == 3.5 * 3600


def test_review_without_reply_has_no_reply_keys(parsed):
    agus = parsed[0][1]
    assert "reply_text" not in agus.extra and agus.extra["app_version"] == "4.11.2"


def test_author_is_hashed_and_named(budi):
    assert budi.author_name == "Budi Santoso"
    assert len(budi.author_hash) == 32 and "budi" not in budi.author_hash


def test_url_points_at_the_review(budi):
    assert budi.url == "https://play.google.com/store/apps/details?id=app.bpjs.mobile&reviewId=gp:AOqpTOFxU1ZxM2tQbW9iaWxlSktOMDAx"


def test_next_page_carries_the_token(parsed):
    (request,) = parsed[1]
    assert "CpEBCo4BKmTOKENPAGE2" in parse_qs(request.body.decode())["f.req"][0]
    assert request.cb_kwargs["number"] == 2 and request.cb_kwargs["newest"] == "2026-11-20T05:00:00+00:00"


def test_last_page_proposes_the_newest_mark(spider):
    page2 = response(PAGE, body=(FILES / f"{PAGE}@CpEBCo4BKmTOKENPAGE2").read_bytes())
    posts, requests = split(spider.parse_reviews(page2, **{**KW, "number": 2, "newest": "2026-11-20T05:00:00+00:00"}))
    assert len(posts) == 2 and not requests
    assert spider.pending_marks == {"app.bpjs.mobile:newest": "2026-11-20T05:00:00+00:00"}


def test_paging_stops_at_the_newest_review_already_seen(spider):
    posts, requests = split(spider.parse_reviews(response(PAGE), **{**KW, "stop_at": "2026-11-20T04:00:00+00:00"}))
    assert [p.native_id for p in posts] == ["gp:AOqpTOFxU1ZxM2tQbW9iaWxlSktOMDAx"] and not requests


@pytest.mark.parametrize("copy", ["playstore/changed-shape.txt", "playstore/rpc-error.txt", "playstore/html-instead.txt"])
def test_changed_shape_is_a_counted_failure_not_zeros(spider, copy):
    posts, _ = split(spider.parse_reviews(response(copy), **KW))
    assert all(p.published_at.year == 2026 for p in posts)
    assert stat(spider, "errors/shape") + stat(spider, "errors/shape_item") >= 1


def test_one_changed_review_is_skipped_and_the_rest_kept(spider):
    posts, _ = split(spider.parse_reviews(response("playstore/changed-shape.txt"), **KW))
    assert [p.native_id for p in posts] == ["gp:AOqpTOFxU1ZxM2tQbW9iaWxlSktOMDAz"] and stat(spider, "errors/shape_item") == 1


def test_truncated_answer_is_a_counted_failure(spider):
    body = (FILES / PAGE).read_bytes()[:300]
    posts, requests = split(spider.parse_reviews(response(PAGE, body=body), **KW))
    assert (posts, requests) == ([], []) and stat(spider, "errors/shape") == 1
