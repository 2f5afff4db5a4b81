import pytest
import asyncio

from crawlers.pipelines.spool import SpoolPipeline
from pantau.spool import Spool
from tests.crawlers.helpers import make_config, make_crawler, stat
from crawlers.spiders.mastodon import MastodonSpider


def run(spider, pipeline, posts):
    async def go():
        pipeline.open_spider()
        for p in posts:
            await pipeline.process_item(p)
        await pipeline.close_spider()
    asyncio.run(go())


def test_posts_reach_the_spool_then_are_marked_seen_and_marks_saved(spider, post):
    spider.propose_mark("mastodon.social:jateng", "42")
    run(spider, SpoolPipeline.from_crawler(spider.crawler), [post("1"), post("2")])
    with Spool(spider.cfg.data_dir / "spool.sqlite3") as spool:
        batch = spool.claim(10)
    assert sorted(p.native_id for p in batch.posts) == ["1", "2"]
    assert spider.crawl_state.is_seen("mastodon", post("2").id) and stat(spider, "spooled") == 2
    assert spider.crawl_state.mark("mastodon", "mastodon.social:jateng") == "42"


def test_dry_run_writes_nothing(tmp_path, post):
    crawler = make_crawler(MastodonSpider, make_config(tmp_path), PANTAU_DRY_RUN=True)
    spider = MastodonSpider.from_crawler(crawler)
    crawler.spider = spider
    crawler.stats.open_spider()
    spider.propose_mark("k", "1")
    run(spider, SpoolPipeline.from_crawler(crawler), [post("1")])
    assert not (spider.cfg.data_dir / "spool.sqlite3").exists()
    assert not spider.crawl_state.is_seen("mastodon", post("1").id) and spider.crawl_state.mark("mastodon", "k") is None
    assert stat(spider, "dry_run") == 1


def test_unwritable_spool_is_counted_and_marks_are_kept_back(spider, post):
    pipeline = SpoolPipeline.from_crawler(spider.crawler)
    spider.propose_mark("k", "1")

    async def go():
        pipeline.open_spider()
        pipeline.spool.close()  # a spool that fails every write
        await pipeline.process_item(post("1"))
        await pipeline._flush()
        pipeline.spool = None

    asyncio.run(go())
    asyncio.run(pipeline.close_spider())
    assert stat(spider, "errors/spool") == 1
    assert not spider.crawl_state.is_seen("mastodon", post("1").id) and spider.crawl_state.mark("mastodon", "k") is None


def test_a_checkpoint_is_saved_only_after_the_posts_before_it_are_spooled(spider, post):
    from crawlers.backfill import Checkpoint
    from scrapy.exceptions import DropItem

    pipeline = SpoolPipeline.from_crawler(spider.crawler)
    seen_when_saved = {}
    original = spider.crawl_state.set_marks

    def watch(source, marks):
        seen_when_saved["1"] = spider.crawl_state.is_seen("mastodon", post("1").id)
        original(source, marks)

    spider.crawl_state.set_marks = watch

    async def go():
        pipeline.open_spider()
        await pipeline.process_item(post("1"))
        try:
            await pipeline.process_item(Checkpoint("mastodon", "backfill:k", '{"cursor": "9"}'))
        except DropItem:
            pass  # a resume point is not a post: dropped once saved, never counted as kept
        await pipeline.close_spider()

    asyncio.run(go())
    assert seen_when_saved == {"1": True}
    assert spider.crawl_state.mark("mastodon", "backfill:k") == '{"cursor": "9"}'


def test_a_checkpoint_after_a_failed_spool_write_is_not_saved(spider, post):
    from crawlers.backfill import Checkpoint
    from scrapy.exceptions import DropItem

    pipeline = SpoolPipeline.from_crawler(spider.crawler)

    async def go():
        pipeline.open_spider()
        pipeline.spool.close()  # every write fails
        await pipeline.process_item(post("1"))
        with pytest.raises(DropItem):
            await pipeline.process_item(Checkpoint("mastodon", "backfill:k", "{}"))

    asyncio.run(go())
    assert spider.crawl_state.mark("mastodon", "backfill:k") is None and stat(spider, "errors/spool") == 1
