"""From Pantau's config to Scrapy settings, per source.

The :class:`~pantau.config.Config` object itself travels in the ``PANTAU_CONFIG`` setting; when
it is absent (``scrapy crawl`` from a shell) the usual ``pantau.toml`` lookup applies.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pantau.config import Config, load_config

#: Sources whose pages are HTML meant for people: robots.txt applies to them.
HTML_SOURCES = frozenset({"news"})
#: Sources whose login sends the password in a request body, which a JOBDIR would write to disk;
#: they run without one (their cycles are short: a search read newest first).
SECRET_BODIES = frozenset({"bluesky"})


def config_from_settings(settings: Any) -> Config:
    cfg = settings.get("PANTAU_CONFIG")
    return cfg if isinstance(cfg, Config) else load_config()


def user_agent(cfg: Config) -> str:
    return f"{cfg.crawl.user_agent} contact: {cfg.crawl.contact}"


def source_settings(cfg: Config, source: str) -> dict[str, Any]:
    """Scrapy settings for one source's crawler, from the [crawl] section."""
    crawl = cfg.crawl
    concurrency = crawl.source_concurrency.get(source, crawl.concurrency_per_domain)
    settings: dict[str, Any] = {
        "USER_AGENT": user_agent(cfg),
        "ROBOTSTXT_OBEY": crawl.obey_robots and source in HTML_SOURCES,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "CONCURRENT_REQUESTS": max(concurrency, 4) if source == "news" else concurrency,
        "DOWNLOAD_DELAY": crawl.download_delay_s,
        "AUTOTHROTTLE_START_DELAY": max(crawl.download_delay_s, 0.0),
        "RETRY_TIMES": crawl.max_retries,
        "PANTAU_BACKOFF_S": crawl.backoff_s,
        "PANTAU_RETRY_AFTER_CAP_S": crawl.retry_after_cap_s,
        "DOWNLOAD_TIMEOUT": crawl.timeout_s,
        "PANTAU_MAX_PAGES": crawl.max_pages,
    }
    if crawl.jobdir and source not in SECRET_BODIES:
        jobdir = Path(crawl.jobdir).expanduser()
        if not jobdir.is_absolute():
            jobdir = cfg.data_dir / jobdir
        settings["JOBDIR"] = str(jobdir / source)
    return settings
