import pytest
from scrapy.exceptions import DropItem

from crawlers.pipelines.validate import ValidatePipeline
from tests.crawlers.helpers import stat


def test_valid_post_passes(spider, post):
    item = post()
    assert ValidatePipeline.from_crawler(spider.crawler).process_item(item) is item


def test_invalid_post_is_dropped_and_counted_by_field(spider, post):
    with pytest.raises(DropItem):
        ValidatePipeline.from_crawler(spider.crawler).process_item(post(text="  "))
    assert stat(spider, "dropped/invalid/text") == 1


def test_text_over_the_limit_is_dropped(spider, post):
    with pytest.raises(DropItem):
        ValidatePipeline.from_crawler(spider.crawler).process_item(post(text="a" * 20001))
    assert stat(spider, "dropped/invalid/text") == 1


def test_not_a_post_is_dropped(spider):
    with pytest.raises(DropItem):
        ValidatePipeline.from_crawler(spider.crawler).process_item({"text": "x"})
    assert stat(spider, "dropped/not_a_post") == 1
