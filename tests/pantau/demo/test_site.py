"""The sample site speaks the sources' formats and paging the way the real spiders read them."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone

import pytest

from crawlers.spiders.bases.news_formats import article, feed_entries, listing_links, sitemap_entries
from crawlers.spiders.playstore import request_payload, unwrap
from pantau.demo.sample import build
from pantau.demo.server import SiteServer
from pantau.demo.site import write_site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    server = SiteServer(root)
    manifest = write_site(build(datetime(2026, 11, 25, 10, 7, tzinfo=timezone.utc)), root, server.base_url)
    server.start()
    yield server, manifest
    server.stop()


def _get(url: str | urllib.request.Request, data: bytes | None = None):
    with urllib.request.urlopen(url, data) as response:
        return response.read(), response.headers


def test_feeds_sitemaps_listing_and_articles(site) -> None:
    server, manifest = site
    news = manifest["sources"]["news"]
    urls = {e.url for feed in news["feeds"] for e in feed_entries(_get(feed)[0], feed)}
    index = news["sitemaps"][0]
    for child in sitemap_entries(_get(index)[0], index)[1]:
        urls |= {e.url for e in sitemap_entries(_get(child)[0], child)[0]}
    page: str | None = news["listings"][0]
    while page:
        links, page = listing_links(_get(page)[0].decode(), page)
        urls |= set(links)
    assert len(urls) == manifest["posts"]["news"]
    found = article(_get(sorted(urls)[0])[0].decode(), sorted(urls)[0])
    assert found is not None and len(found.text) > 300 and found.published_at is not None


def test_play_reviews_page_through_every_review(site) -> None:
    server, manifest = site
    endpoint = server.base_url + "play/_/PlayStoreUi/data/batchexecute?rpcids=UsvDTd&hl=id&gl=id"
    total, token = 0, None
    for app in manifest["sources"]["playstore"]["apps"]:
        while True:
            body = urllib.parse.urlencode({"f.req": request_payload(app, 100, token)}).encode()
            data = unwrap(_get(endpoint, body)[0])
            total += len(data[0])
            token = data[-1][-1] if len(data) > 1 else None
            if not token:
                break
    assert total == manifest["posts"]["playstore"]


def test_youtube_needs_a_key_and_pages_with_next_page_token(site) -> None:
    server, manifest = site
    channel = manifest["sources"]["youtube"]["channels"][0]
    base = server.base_url + f"youtube/v3/commentThreads?part=snippet&allThreadsRelatedToChannelId={channel}&maxResults=100"
    with pytest.raises(urllib.error.HTTPError) as refused:
        _get(base)
    assert refused.value.code == 403
    first = json.loads(_get(base + "&key=k")[0])
    request = urllib.request.Request(base + f"&pageToken={first['nextPageToken']}", headers={"X-Goog-Api-Key": "k"})
    second = json.loads(_get(request)[0])
    assert len(first["items"]) == 100 and second["items"][0]["id"] != first["items"][0]["id"]
    assert first["items"][0]["snippet"]["topLevelComment"]["snippet"]["publishedAt"] >= second["items"][0]["snippet"]["topLevelComment"]["snippet"]["publishedAt"]


def test_mastodon_min_id_answers_the_statuses_just_after_it(site) -> None:
    server, manifest = site
    timeline = manifest["sources"]["mastodon"]["instances"][0] + "/api/v1/timelines/tag/jateng"
    body, headers = _get(timeline + "?limit=40")
    newest = json.loads(body)
    assert len(newest) == 40 and 'rel="next"' in headers["Link"]
    older = json.loads(_get(timeline + f"?limit=40&max_id={newest[-1]['id']}")[0])
    after = json.loads(_get(timeline + f"?limit=5&min_id={older[10]['id']}")[0])
    assert [s["id"] for s in after] == [s["id"] for s in older[5:10]]
    assert json.loads(_get(timeline + f"?min_id={newest[0]['id']}")[0]) == []
