"""The child process of one crawl cycle: ``python -m crawlers.runner JOB REPORT``.

A Twisted reactor cannot be restarted in one process, and the daemon runs a cycle every few
minutes for weeks; so each cycle's Scrapy runs here, in a fresh process (which also returns
all its memory), and the parent gets a JSON report. JOB is a pickle written by
:func:`crawlers.run.crawl` (the parent's own temp file), REPORT the JSON path to write.
The runner asks for SIGTERM when its parent dies, so a killed ``pantau crawl`` (or daemon)
leaves no crawl running on: Scrapy stops cleanly, flushing the spool and saving its state.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
import time
from pathlib import Path
from typing import Any

from crawlers.report import SourceReport


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawlers.settings", priority="project")
    settings.set("PANTAU_CONFIG", job["config"], priority="project")
    settings.set("PANTAU_DRY_RUN", job["dry_run"], priority="project")
    settings.set("LOG_LEVEL", job.get("log_level", "WARNING"), priority="project")
    settings.setdict(job.get("settings", {}), priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = {}
    for source in job["sources"]:
        crawler = process.create_crawler(process.spider_loader.load(source))
        process.crawl(crawler, **job.get("spider_args", {}).get(source, {}))
        crawlers[source] = crawler
    started = time.monotonic()
    process.start()
    reports = [SourceReport.from_stats(s, c.stats.get_stats() if c.stats else {}).to_dict() for s, c in crawlers.items()]
    return {"elapsed_s": round(time.monotonic() - started, 3), "dry_run": job["dry_run"], "sources": reports}


def main(argv: list[str]) -> int:
    from crawlers.run import PARENT_ENV, die_with_parent

    die_with_parent()
    if os.environ.get(PARENT_ENV) not in (None, str(os.getppid())):
        return 1  # the parent died before the line above: nobody is waiting for this crawl
    job_path, report_path = Path(argv[0]), Path(argv[1])
    with job_path.open("rb") as handle:
        job = pickle.load(handle)  # written by our own parent process, never by a user
    report = run_job(job)
    report_path.write_text(json.dumps(report, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
