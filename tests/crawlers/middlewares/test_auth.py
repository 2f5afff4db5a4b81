from scrapy.http import Request

from crawlers.middlewares.auth import AuthHeadersMiddleware
from crawlers.spiders.x import XSpider
from tests.crawlers.helpers import make_config, make_spider


def test_marked_requests_get_the_credentials_on_the_way_out(tmp_path):
    spider = make_spider(XSpider, make_config(tmp_path, '[sources.x]\nbearer_token = "AAAA"\n'))
    mw = AuthHeadersMiddleware.from_crawler(spider.crawler)
    marked, plain = Request("http://127.0.0.1/a", meta={"pantau_auth": True}), Request("http://127.0.0.1/b")
    mw.process_request(marked)
    mw.process_request(plain)
    assert marked.headers["Authorization"] == b"Bearer AAAA" and "Authorization" not in plain.headers
