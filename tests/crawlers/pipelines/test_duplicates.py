import pytest
from scrapy.exceptions import DropItem

from crawlers.pipelines.duplicates import DuplicatesPipeline
from tests.crawlers.helpers import stat


def test_same_post_twice_in_one_run_is_dropped(spider, post):
    pipeline = DuplicatesPipeline.from_crawler(spider.crawler)
    pipeline.process_item(post("7"))
    with pytest.raises(DropItem):
        pipeline.process_item(post("7"))
    assert stat(spider, "dropped/duplicate") == 1


def test_post_delivered_by_an_earlier_run_is_dropped(spider, post):
    spider.crawl_state.mark_seen("mastodon", [post("8").id])
    with pytest.raises(DropItem):
        DuplicatesPipeline.from_crawler(spider.crawler).process_item(post("8"))


def test_new_post_passes(spider, post):
    assert DuplicatesPipeline.from_crawler(spider.crawler).process_item(post("9")).native_id == "9"
