import asyncio

import pytest
from scrapy.exceptions import DropItem

from crawlers.pipelines.relevance import RelevancePipeline
from crawlers.vocabulary import Relevance, from_config
from tests.crawlers.helpers import make_config, make_spider, stat
from crawlers.spiders.import_ import ImportSpider


def test_terms_by_kind():
    relevance = Relevance({"service": ["jalan rusak", "banjir*"], "watch": ["demo"]})
    assert relevance.kinds("Jalan  rusak dan banjirnya parah") == {"service"}
    assert relevance.kinds("Ada DEMO") == {"watch"}
    assert relevance.kinds("demokrasi") == set()


def test_real_vocabulary_knows_services_agencies_regions_and_watch_terms(tmp_path):
    relevance = from_config(make_config(tmp_path))
    assert "service" in relevance.kinds("Air PDAM mati tiga hari")
    assert "agency" in relevance.kinds("Pelayanan Disdukcapil lambat")
    assert "region" in relevance.kinds("Lomba layang-layang di Kota Tegal")
    assert "watch" in relevance.kinds("ada demo di depan gedung")
    assert relevance.kinds("Tips merawat kucing peliharaan agar tetap sehat") == set()


def test_irrelevant_post_is_dropped_counted_and_remembered(spider, post):
    pipeline = RelevancePipeline.from_crawler(spider.crawler)
    with pytest.raises(DropItem):
        pipeline.process_item(post("1", "Sisir bulu kucing setiap minggu"))
    asyncio.run(pipeline.close_spider())
    assert stat(spider, "dropped/irrelevant") == 1 and spider.crawl_state.is_seen("mastodon", post("1").id)


def test_relevant_post_counts_its_kinds(spider, post):
    RelevancePipeline.from_crawler(spider.crawler).process_item(post("2", "Jalan rusak di Disdukcapil"))
    assert stat(spider, "relevant/service") == 1 and stat(spider, "relevant/agency") == 1


def test_keep_all_sources_pass_everything(tmp_path, post):
    spider = make_spider(ImportSpider, make_config(tmp_path))
    item = post("3", "Sisir bulu kucing")
    item.source = "import"
    assert RelevancePipeline.from_crawler(spider.crawler).process_item(item) is item
    assert stat(spider, "relevant/keep_all") == 1
