"""``crawl()``: one crawl cycle of the chosen sources, callable again and again from one process.

The spiders run in a child process (see :mod:`crawlers.runner`), so the caller never holds a
Twisted reactor and can run a hundred cycles in a row; the result is a :class:`CrawlReport`
with requests, posts kept, drops and errors per source.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crawlers.history import record_crawl
from crawlers.report import CrawlReport, SourceReport
from pantau.config import Config
from pantau.errors import PantauError

#: Sources a crawl cycle can read (``import`` reads a file: see ``pantau import``).
CRAWL_SOURCES = ("news", "playstore", "youtube", "mastodon", "bluesky", "x")
ALL_SOURCES = (*CRAWL_SOURCES, "import")
ROOT = Path(__file__).resolve().parent.parent
PR_SET_PDEATHSIG = 1
#: the pid the crawl runner checks it still belongs to (it sets its own parent-death signal:
#: crawl() may run in a thread, where a preexec_fn is not safe)
PARENT_ENV = "PANTAU_CRAWL_PARENT"


class CrawlError(PantauError):
    """A crawl could not be started or its process died."""


def die_with_parent() -> None:
    """In a child (before exec, or first thing): SIGTERM it when its parent dies, even by kill -9 (Linux).

    A crawl then stops cleanly (Scrapy flushes the spool and saves its state) instead of going
    on as an orphan, and a dashboard child frees its port for the restarted daemon's.
    """
    if _LIBC is not None:  # elsewhere children outlive a killed parent, which the spool and state tolerate
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _libc() -> ctypes.CDLL | None:
    """libc with ``prctl``, looked up in the parent (a forked child must not start processes)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None
    return libc if hasattr(libc, "prctl") else None


_LIBC = _libc()


def enabled_sources(cfg: Config) -> list[str]:
    return [s for s in CRAWL_SOURCES if getattr(cfg.sources, s).enabled]


def crawl(cfg: Config, sources: Sequence[str] | None = None, *, dry_run: bool = False,
          settings: dict[str, Any] | None = None, spider_args: dict[str, dict[str, Any]] | None = None,
          log_level: str = "WARNING", timeout_s: float | None = None) -> CrawlReport:
    """Crawl ``sources`` (default: the enabled ones) once; posts go to the spool unless ``dry_run``."""
    chosen = list(sources) if sources else enabled_sources(cfg)
    unknown = [s for s in chosen if s not in ALL_SOURCES]
    if unknown:
        raise CrawlError(f"unknown source {', '.join(unknown)}; known: {', '.join(ALL_SOURCES)}")
    if not chosen:
        raise CrawlError("no source is enabled; enable one in pantau.toml ([sources.<name>] enabled = true)")
    job = {"config": cfg, "sources": chosen, "dry_run": dry_run, "settings": settings or {},
           "spider_args": spider_args or {}, "log_level": log_level}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="pantau-crawl-") as tmp:
        job_path, report_path = Path(tmp) / "job.pickle", Path(tmp) / "report.json"
        with job_path.open("wb") as handle:
            pickle.dump(job, handle)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
               PARENT_ENV: str(os.getpid())}
        try:
            done = subprocess.run([sys.executable, "-m", "crawlers.runner", str(job_path), str(report_path)],
                                  env=env, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired:
            raise CrawlError(f"the crawl of {', '.join(chosen)} took longer than {timeout_s} s and was stopped") from None
        if done.returncode != 0 or not report_path.exists():
            raise CrawlError(f"the crawl process of {', '.join(chosen)} died (exit {done.returncode}); run with -v for its log")
        data = json.loads(report_path.read_text(encoding="utf-8"))
    report = CrawlReport([SourceReport.from_dict(s) for s in data["sources"]],
                         elapsed_s=round(time.monotonic() - started, 3), dry_run=dry_run, crawl_s=data["elapsed_s"])
    record_crawl(cfg.data_dir, report)
    return report
