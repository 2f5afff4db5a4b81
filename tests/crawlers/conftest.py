"""A config that points every source at the local fixture server."""

from __future__ import annotations

import pytest

from tests.crawlers.helpers import make_config

FAST = {"AUTOTHROTTLE_ENABLED": False}


def sources_toml(server) -> str:
    return f"""
[crawl]
download_delay_s = 0.0
backoff_s = 0.0
max_retries = 1
[sources.news]
feeds = ["{server.url('news/tribun.xml')}", "{server.url('news/antara.atom')}"]
sitemaps = ["{server.url('news/sitemap_index.xml')}"]
listings = ["{server.url('news/beritadaerah/')}"]
[sources.playstore]
apps = ["app.bpjs.mobile"]
base_url = "{server.url('playstore')}"
[sources.youtube]
enabled = true
api_key = "AIzaTEST"
channels = ["UCpemprovjateng000000001"]
api_url = "{server.url('youtube/v3')}"
[sources.mastodon]
instances = ["{server.url('mastodon')}"]
tags = ["jateng"]
[sources.bluesky]
enabled = true
handle = "pantau-jateng.bsky.social"
app_password = "abcd-efgh-ijkl-mnop"
queries = ["jateng"]
service = "{server.url('bluesky')}"
[sources.x]
enabled = true
bearer_token = "AAAATEST"
api_url = "{server.url('x')}"
"""


@pytest.fixture
def local_config(tmp_path, file_server):
    return make_config(tmp_path, sources_toml(file_server))
