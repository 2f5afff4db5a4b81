"""The benchmark's generated site: the counts it promises and the pages its server answers."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

from crawlers.benchsite import APPS, build, serve
from crawlers.spiders.playstore import request_payload, unwrap


def test_build_counts_and_paged_answers(tmp_path):
    counts = build(tmp_path, pages=3, per_page=5, feeds=2, per_feed=4)
    assert counts == {"news": 8, "playstore": 30, "youtube": 15, "bluesky": 15, "x": 15, "mastodon": 40}
    with serve(tmp_path) as base:
        def get(path: str, data: bytes | None = None) -> bytes:
            with urllib.request.urlopen(base + path, data=data) as answer:
                return answer.read()

        page2 = json.loads(get("/youtube/commentThreads?pageToken=yt1"))
        assert page2["items"][0]["id"] == "t5" and page2["nextPageToken"] == "yt2"
        assert "nextPageToken" not in json.loads(get("/youtube/commentThreads?pageToken=yt2"))
        body = urllib.parse.urlencode({"f.req": request_payload(APPS[1], 5, None)}).encode()
        reviews = unwrap(get("/playstore/_/PlayStoreUi/data/batchexecute", body))
        assert reviews[0][0][0] == "gp:bench1000000" and reviews[1][1] == f"tok1{APPS[1]}"
        assert b"<article>" in get("/news/a/7.html")
