"""Build spiders and pipelines without running a crawl, and responses from saved copies.

City Bureau style: a spider's callback is called on a saved copy with a frozen clock, and each
extracted field gets its own small test.
"""

from __future__ import annotations

import mimetypes
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse, Request, Response, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from pantau.config import Config, load_config
from pantau.post import Post

FILES = Path(__file__).resolve().parent.parent / "files"
FROZEN_NOW = datetime(2026, 11, 21, 0, 0, tzinfo=timezone.utc)


def make_config(tmp_path: Path, toml: str = "") -> Config:
    path = tmp_path / "pantau.toml"
    path.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n[privacy]\nauthor_key = "test-key"\n{toml}', encoding="utf-8")
    return load_config(path, env={})


def make_crawler(spidercls: type, cfg: Config, **settings: Any) -> Any:
    base = {"PANTAU_CONFIG": cfg, "PANTAU_NOW": FROZEN_NOW.isoformat(), "PANTAU_MAX_PAGES": 20}
    return get_crawler(spidercls, {**base, **settings})


def make_spider(spidercls: type, cfg: Config, *args: Any, **kwargs: Any) -> Any:
    crawler = make_crawler(spidercls, cfg)
    spider = spidercls.from_crawler(crawler, *args, **kwargs)
    crawler.spider = spider
    crawler.stats.open_spider()
    return spider


def response(path: str, url: str | None = None, *, body: bytes | None = None, status: int = 200,
             headers: dict[str, str] | None = None, **request_kwargs: Any) -> Response:
    """A response whose body is ``tests/files/<path>`` (or ``body``), as Scrapy would build it."""
    data = (FILES / path).read_bytes() if body is None else body
    url = url or f"http://127.0.0.1/{path}"
    request = Request(url, **request_kwargs)
    kind = mimetypes.guess_type(path)[0] or ""
    cls: type[Response] = (HtmlResponse if "html" in kind else XmlResponse if "xml" in kind or path.endswith(".atom")
                           else TextResponse if kind.startswith("text") or "json" in kind else Response)
    return cls(url, body=data, status=status, headers=headers, request=request, **({"encoding": "utf-8"} if cls is TextResponse and not headers else {}))


def split(results: Any) -> tuple[list[Post], list[Request]]:
    items = list(results or [])
    return [x for x in items if isinstance(x, Post)], [x for x in items if isinstance(x, Request)]


def stat(spider: Any, key: str) -> int:
    return int(spider.crawler.stats.get_value(f"pantau/{key}", 0))
