"""The demo's steps: sample site, mail catcher, config, crawl, tag and index, alerts, login.

:class:`Demo` is used by ``pantau demo`` (which then serves the dashboard) and by ``pantau
bench e2e``. Every stage is the real one, called through its public function: the crawlers'
``crawl()``, ``pantau.pipeline.drain`` with the tagger and the store, ``alerts.check.check``.

State kept in ``<data_dir>/demo/state.json``: the sample's anchor time and the site's port.
Both are reused by later runs, so the sample (ids, URLs, times) is identical and a second run
adds nothing; delete the data directory for a fresh, current sample.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pantau.config import Config
from pantau.demo.democonfig import write_config
from pantau.demo.errors import DemoError
from pantau.demo.mailcatcher import MailCatcher
from pantau.demo.sample import build
from pantau.demo.server import SiteServer
from pantau.demo.site import MANIFEST, SITE_VERSION, write_site
from pantau.progress import progress_bar
from pantau.spool import Spool

DEMO_USER = "demo"
#: Scrapy settings for crawling our own loopback server: no throttling needed (politeness
#: towards real sites stays as configured; the demo config only points the sources here).
LOOPBACK_SCRAPY = {"AUTOTHROTTLE_ENABLED": False}


@dataclass
class Timings:
    crawl_s: float = 0.0
    process_s: float = 0.0
    tagger_load_s: float = 0.0
    alerts_s: float = 0.0


@dataclass
class Outcome:
    """What one demo run did (for the console, the test and the benchmark)."""

    served: dict[str, int]
    crawled: int
    indexed: int
    total_in_store: int
    notices: list[str]
    emails_queued: int
    emails_sent: int
    timings: Timings
    check_started: datetime | None = None
    crawl_report: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


class Demo:
    def __init__(self, data_dir: Path, dashboard_port: int, quiet: bool = False) -> None:
        self.data_dir = data_dir.resolve()
        self.folder = self.data_dir / "demo"
        self.dashboard_port = dashboard_port
        self.quiet = quiet
        self.state = self._state()

    def _state(self) -> dict[str, Any]:
        path = self.folder / "state.json"
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
        from pantau.demo.mailcatcher import free_port

        now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
        state = {"anchor": now.isoformat(), "site_port": free_port(), "password": secrets.token_urlsafe(12)}
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds the demo login
        with os.fdopen(fd, "w") as handle:
            json.dump(state, handle)
        return state

    @property
    def password(self) -> str:
        return str(self.state["password"])

    @contextmanager
    def services(self) -> Iterator[tuple[Config, dict[str, Any], MailCatcher]]:
        """The sample site and the mail catcher running, and the demo config loaded."""
        with ExitStack() as stack:
            try:
                site = stack.enter_context(SiteServer(self.folder / "site", port=int(self.state["site_port"])))
            except OSError as exc:
                raise DemoError(f"port {self.state['site_port']} of the demo's sample site is busy ({exc}); stop what uses it, "
                                f"or run with a fresh --data-dir") from None
            manifest = self._site(site.base_url)
            site.start()
            catcher = stack.enter_context(MailCatcher(self.folder / "mail"))
            cfg = write_config(self.data_dir, manifest, catcher.port, self.dashboard_port)
            yield cfg, manifest, catcher

    def _site(self, base_url: str) -> dict[str, Any]:
        root = self.folder / "site"
        existing = root / MANIFEST
        if existing.exists():
            manifest = json.loads(existing.read_text(encoding="utf-8"))
            if manifest.get("version") == SITE_VERSION and manifest.get("anchor") == self.state["anchor"] and manifest.get("base_url") == base_url:
                return manifest
        with progress_bar("writing the sample site", 1, quiet=self.quiet) as bar:
            manifest = write_site(build(datetime.fromisoformat(self.state["anchor"])), root, base_url)
            bar.advance(0, 1)
        return manifest

    def crawl(self, cfg: Config, manifest: dict[str, Any], timings: Timings) -> Any:
        """One crawl cycle of every source; the bar follows the posts arriving in the spool."""
        from crawlers.run import crawl

        served = sum(manifest["posts"].values())
        result: dict[str, Any] = {}
        worker = threading.Thread(target=lambda: result.update(report=_catch(lambda: crawl(cfg, settings=LOOPBACK_SCRAPY, timeout_s=900))), daemon=True)
        started = time.monotonic()
        with Spool(cfg.data_dir / "spool.sqlite3") as spool, progress_bar("crawling the sample site", served, quiet=self.quiet) as bar:
            before = spool.stats().pending
            worker.start()
            arrived = 0
            while worker.is_alive():
                worker.join(0.3)
                arrived = spool.stats().pending - before
                bar.update(0, completed=min(served, arrived))
            bar.update(0, total=arrived, completed=arrived)  # the rest was dropped by the relevance filter
        timings.crawl_s = time.monotonic() - started
        report = result["report"]
        if isinstance(report, BaseException):
            raise report
        return report

    def process(self, cfg: Config, timings: Timings) -> tuple[int, int]:
        """Drain the spool through the tagger into the store; (indexed now, posts in the store)."""
        from indexer.factory import open_store
        from indexer.query import MATCH_ALL
        from nlp.tagger import Tagger
        from pantau.pipeline import drain

        started = time.monotonic()
        with Spool(cfg.data_dir / "spool.sqlite3") as spool, open_store(cfg) as store:
            spool.release_claims()
            loading = time.monotonic()
            tagger = Tagger.from_config(cfg)
            timings.tagger_load_s = time.monotonic() - loading
            with progress_bar("tagging and indexing", spool.stats().pending, quiet=self.quiet) as bar:
                indexed = drain(spool, tagger, store, cfg.model.batch_size, on_batch=lambda n: bar.advance(0, n))
            total = store.count(MATCH_ALL)
        timings.process_s = time.monotonic() - started
        return indexed, total

    def alerts(self, cfg: Config, timings: Timings) -> tuple[Any, datetime]:
        from alerts.check import check
        from indexer.factory import open_store

        started_at = datetime.now(timezone.utc)
        started = time.monotonic()
        with open_store(cfg) as store:
            report = check(cfg, store, now=started_at)
        timings.alerts_s = time.monotonic() - started
        return report, started_at

    def login(self, cfg: Config) -> str:
        """Create the demo's admin login through the dashboard's user store (once)."""
        from dashboard.db import FILE_NAME, Database
        from dashboard.users import UserStore

        users = UserStore(Database(cfg.data_dir / FILE_NAME))
        if users.get(DEMO_USER) is None:
            users.add(DEMO_USER, self.password, "admin")
        return DEMO_USER

    def run(self, cfg: Config, manifest: dict[str, Any]) -> Outcome:
        timings = Timings()
        report = self.crawl(cfg, manifest, timings)
        crawled = sum(getattr(s, "kept", 0) for s in getattr(report, "sources", []))
        indexed, total = self.process(cfg, timings)
        check, started_at = self.alerts(cfg, timings)
        return Outcome(served=manifest["posts"], crawled=crawled, indexed=indexed, total_in_store=total,
                       notices=[f"{n.rule}: {n.title}" for n in check.evaluation.notices],
                       emails_queued=check.evaluation.queued, emails_sent=check.delivery.sent,
                       timings=timings, check_started=started_at, crawl_report=report)


def _catch(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which raises it
        return exc
