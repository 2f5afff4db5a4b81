"""``pantau run``: the long-running monitor.

One process per data directory (a lock). Its main loop drains the spool through tagging and
indexing continuously, in batches; a ``schedule`` timetable starts each source's crawl at its
own cadence and the alert evaluation every N minutes (and once the spool is first drained after
a start, so a restart delays no waiting email), each as a child process (``pantau crawl
SOURCE``, ``pantau alerts check``), so Scrapy's reactor and any leak die with the child and
the daemon's memory and open files stay flat however many cycles it runs. Each alert check
also queues the daily digests once ``alerts.digest_time`` has passed (once per agency and day),
so they need no job of their own. Retention runs nightly at a local time of the province. The dashboard is served by a
child ``pantau serve`` that is restarted if it dies.

SIGTERM and Ctrl-C finish the batch in hand, stop the children and exit 0.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time as clock_time

import schedule

from crawlers.run import die_with_parent
from pantau.config import Config
from pantau.errors import StoreUnavailable
from pantau.health import record_success
from pantau.lock import DataDirLock
from indexer.store import Store
from pantau.pipeline import Tagger, process_batch
from pantau.spool import Spool

log = logging.getLogger("pantau.run")

CRAWLED_SOURCES = ("news", "playstore", "youtube", "mastodon", "bluesky", "x")
RETENTION_AT = clock_time(2, 30)
MAX_BACKOFF_S = 60.0


@dataclass
class Child:
    """A job run as a child process; at most one instance at a time."""

    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0

    def start(self) -> None:
        if self.process is not None and self.process.poll() is None:
            log.info("%s is still running; this cycle is skipped", self.name)
            return
        log.info("starting %s", self.name)
        self.process = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
        self.started = time.monotonic()

    def reap(self) -> int | None:
        """The exit code once the child has finished (then forget it), else None."""
        if self.process is None or self.process.poll() is None:
            return None
        code = self.process.returncode
        self.process = None
        return code

    def stop(self, timeout: float = 20.0) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class DailyAt:
    """Fires once a day at a local time (checked from the main loop)."""

    at: clock_time
    tz: object
    last_day: object = None

    def due(self, now: datetime) -> bool:
        local = now.astimezone(self.tz)  # type: ignore[arg-type]
        if local.time() >= self.at and local.date() != self.last_day:
            self.last_day = local.date()
            return True
        return False


@dataclass
class Daemon:
    """``load_tagger`` is called once the crawls and the dashboard have started: the models take
    seconds to load, and the first crawls need not wait for them."""

    cfg: Config
    load_tagger: Callable[[], Tagger]
    store: Store
    cli_prefix: list[str]
    serve: bool = True
    stop_event: threading.Event = field(default_factory=threading.Event)
    children: dict[str, Child] = field(default_factory=dict)

    def _child(self, name: str, *args: str) -> Child:
        if name not in self.children:
            self.children[name] = Child(name, [*self.cli_prefix, *args])
        return self.children[name]

    def _timetable(self) -> schedule.Scheduler:
        timetable = schedule.Scheduler()
        for source in CRAWLED_SOURCES:
            settings = getattr(self.cfg.sources, source)
            if settings.enabled:
                job = self._child(f"crawl:{source}", "crawl", source)
                timetable.every(settings.every_minutes).minutes.do(job.start)
                job.start()
        alerts = self._child("alerts", "alerts", "check")
        timetable.every(self.cfg.alerts.check_every_minutes).minutes.do(alerts.start)
        return timetable

    def request_stop(self, *_: object) -> None:
        log.info("stopping after the batch in hand")
        self.stop_event.set()

    def run(self) -> None:
        with DataDirLock(self.cfg.data_dir), Spool(self.cfg.data_dir / "spool.sqlite3") as spool:
            released = spool.release_claims()
            if released:
                log.info("took back %d posts a previous run had claimed", released)
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, self.request_stop)
            timetable = self._timetable()
            retention = DailyAt(RETENTION_AT, self.cfg.tz)
            if self.serve:
                self._child("serve", "serve").start()
            try:
                self._loop(spool, self.load_tagger(), timetable, retention)
            finally:
                for child in self.children.values():
                    child.stop()
        log.info("stopped")

    def _loop(self, spool: Spool, tagger: Tagger, timetable: schedule.Scheduler, retention: DailyAt) -> None:
        # The first alert check runs once the spool is drained (the index is current), not a
        # whole interval after a restart: emails waiting in the outbox go out at once.
        first_check = True
        backoff = 0.0
        while not self.stop_event.is_set():
            timetable.run_pending()
            self._reap_children()
            if retention.due(datetime.now(self.cfg.tz)) and self.cfg.store.retention_days > 0:
                self._apply_retention()
            try:
                done = process_batch(spool, tagger, self.store, self.cfg.model.batch_size)
            except StoreUnavailable as exc:
                backoff = min(MAX_BACKOFF_S, max(1.0, backoff * 2))
                log.warning("index unavailable (%s); posts stay in the spool, retrying in %.0f s", exc, backoff)
                self.stop_event.wait(backoff)
                continue
            backoff = 0.0
            if done:
                record_success(self.cfg.data_dir, "process")
                continue
            if first_check:
                first_check = False
                self.children["alerts"].start()
            self.stop_event.wait(1.0)

    def _reap_children(self) -> None:
        for name, child in self.children.items():
            code = child.reap()
            if code is None:
                continue
            if code == 0:
                record_success(self.cfg.data_dir, name)
            else:
                log.error("%s exited with code %d", name, code)
            if name == "serve" and not self.stop_event.is_set():
                child.start()

    def _apply_retention(self) -> None:
        """Delete posts past the retention period; when the index is unavailable, skip a night
        (nothing is urgent about it) rather than stop the daemon."""
        try:
            removed = self.store.delete_older_than(self.cfg.store.retention_days)
        except StoreUnavailable as exc:
            log.warning("retention skipped until tomorrow: %s", exc)
            return
        log.info("retention: removed %d posts older than %d days", removed, self.cfg.store.retention_days)
        record_success(self.cfg.data_dir, "retention")


def cli_prefix(config_path: str | None) -> list[str]:
    """How children call ``pantau`` with the same config as this process."""
    prefix = [sys.executable, "-m", "pantau.cli"]
    return [*prefix, "--config", config_path] if config_path else prefix

