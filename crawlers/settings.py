"""Scrapy settings of the Pantau project (``scrapy.cfg`` points here).

Only what is the same for every installation lives here; what comes from ``pantau.toml``
(User-Agent contact, delays, concurrency, retries) is applied per spider by
:func:`crawlers.configure.source_settings`, so ``scrapy crawl``/``scrapy check`` and
``pantau crawl`` behave alike.
"""

BOT_NAME = "pantau"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

# Politeness: robots.txt is obeyed by HTML spiders (set per spider), AutoThrottle adapts delays.
ROBOTSTXT_OBEY = False
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
COOKIES_ENABLED = False
REDIRECT_MAX_TIMES = 5
# A 5 MB article is an attack or a mistake, not news: refuse it (counted as an error).
DOWNLOAD_MAXSIZE = 4 * 1024 * 1024
DOWNLOAD_WARNSIZE = 1024 * 1024

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.retry.BackoffRetryMiddleware": 550,
    "crawlers.middlewares.auth.AuthHeadersMiddleware": 560,
}
SPIDER_MIDDLEWARES = {
    "crawlers.middlewares.failures.FailureCountMiddleware": 45,
}
ITEM_PIPELINES = {
    "crawlers.pipelines.clean.CleanPipeline": 100,
    "crawlers.pipelines.validate.ValidatePipeline": 200,
    "crawlers.pipelines.duplicates.DuplicatesPipeline": 300,
    "crawlers.pipelines.relevance.RelevancePipeline": 400,
    "crawlers.pipelines.spool.SpoolPipeline": 900,
}

SPIDER_CONTRACTS = {"crawlers.contracts.FixtureContract": 10}
LOG_FORMATTER = "crawlers.logformatter.PantauLogFormatter"
