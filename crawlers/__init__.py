"""Pantau's crawlers: the Scrapy project that turns public sources into Post records in the spool.

- ``spiders/<source>.py``: one spider per source, on the bases in ``spiders/bases/``;
- ``pipelines/``: clean -> validate -> duplicates -> relevance -> spool, one class per module;
- ``middlewares/``: retries with backoff and Retry-After, credentials added in the downloader,
  callback failures counted;
- ``state.py``: seen ids and high-water marks per source; ``vocabulary.py``: relevance terms;
- ``run.py``: :func:`~crawlers.run.crawl`, one cycle in a child process, and its report.

Entry points: ``pantau crawl``, ``pantau import``, ``pantau bench crawl``, and Scrapy's own
``scrapy list|check|crawl`` through ``scrapy.cfg``. Nothing here indexes: posts stop at the spool.
"""
