"""A crawler with a spider and the pipeline under test (alltheplaces style)."""

from __future__ import annotations

import pytest

from crawlers.spiders.mastodon import MastodonSpider
from tests.crawlers.helpers import FROZEN_NOW, make_config, make_spider
from pantau.post import Post


@pytest.fixture
def spider(tmp_path):
    return make_spider(MastodonSpider, make_config(tmp_path))


@pytest.fixture
def post():
    def build(native_id: str = "1", text: str = "Jalan rusak di Tembalang", **fields) -> Post:
        return Post(source="mastodon", native_id=native_id, text=text, published_at=FROZEN_NOW, **fields)
    return build
