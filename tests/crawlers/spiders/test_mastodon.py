"""Mastodon: tag timeline statuses, boosts, min_id paging and shape changes."""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from crawlers.spiders.mastodon import MastodonSpider, status_text
from tests.crawlers.helpers import FILES, make_config, make_spider, response, split, stat

PAGE = "mastodon/api/v1/timelines/tag/jateng"
KW = {"instance": "https://mastodon.social", "tag": "jateng", "min_id": None, "number": 1}


@pytest.fixture
def spider(tmp_path):
    return make_spider(MastodonSpider, make_config(tmp_path))


@pytest.fixture
def parsed(spider):
    return split(spider.parse_statuses(response(PAGE), **KW))


@pytest.fixture
def lestari(parsed):
    return parsed[0][0]


def test_boosts_are_skipped_and_counted(spider, parsed):
    assert len(parsed[0]) == 2 and stat(spider, "skipped/boost") == 1


def test_native_id_is_the_status_uri(lestari):
    assert lestari.native_id == "https://mastodon.social/users/lestari/statuses/113500000000000012"


def test_text_is_plain_with_paragraphs(lestari):
    assert lestari.text == "Banjir lagi di Kaligawe, bus Trans Semarang tidak bisa lewat. #jateng\n\nKapan tanggulnya diperbaiki?"


def test_published_at(lestari):
    assert lestari.published_at == datetime(2026, 11, 20, 7, 45, 10, tzinfo=timezone.utc)


def test_engagement(lestari):
    assert (lestari.likes, lestari.replies, lestari.shares) == (5, 2, 3)


def test_lang_and_site(lestari):
    assert (lestari.lang, lestari.site) == ("id", "mastodon.social")


def test_url(lestari):
    assert lestari.url == "https://mastodon.social/@lestari/113500000000000012"


def test_author(lestari):
    assert lestari.author_name == "Lestari 🌾" and len(lestari.author_hash) == 32


def test_content_warning_is_kept_before_the_text(parsed):
    andi = parsed[0][1]
    assert andi.text == "pajak kendaraan\n\nPelayanan Samsat Semarang pagi ini cepat,\ncuma 20 menit."


def test_first_run_reads_one_page_and_marks_the_newest_id(spider, parsed):
    assert parsed[1] == [] and spider.pending_marks == {"mastodon.social:jateng": "113500000000000012"}


def test_instances_sharing_a_host_keep_separate_marks(spider):
    for instance in ("http://127.0.0.1:8080/mastodon/a", "http://127.0.0.1:8080/mastodon/b/"):
        split(spider.parse_statuses(response(PAGE), **{**KW, "instance": instance}))
    assert sorted(spider.pending_marks) == ["127.0.0.1:8080/mastodon/a:jateng", "127.0.0.1:8080/mastodon/b:jateng"]


def test_later_runs_page_forward_with_min_id(spider):
    body = (FILES / f"{PAGE}@min_id=113500000000000010").read_bytes()
    posts, requests = split(spider.parse_statuses(response(PAGE, body=body), **{**KW, "min_id": "113500000000000010"}))
    assert len(posts) == 2 and posts[0].parent_id == "113500000000000012"
    assert parse_qs(urlsplit(requests[0].url).query)["min_id"] == ["113500000000000031"]


def test_page_not_newer_than_min_id_ends_paging(spider):
    posts, requests = split(spider.parse_statuses(response(PAGE), **{**KW, "min_id": "113500000000000012"}))
    assert len(posts) == 2 and requests == []


def test_empty_page_ends_paging(spider):
    posts, requests = split(spider.parse_statuses(response(PAGE, body=b"[]"), **{**KW, "min_id": "1"}))
    assert (posts, requests) == ([], [])


def test_error_object_instead_of_list_is_a_shape_failure(spider):
    split(spider.parse_statuses(response("mastodon/api/v1/timelines/tag/semarang"), **KW))
    assert stat(spider, "errors/shape") == 1


def test_status_text_keeps_line_breaks():
    assert status_text("<p>satu<br>dua</p><p>tiga</p>") == "satu\ndua\n\ntiga"
