"""kill -9 of the daemon at 20 seeded random points, against a site on loopback that keeps
publishing: after each kill the daemon is started again, and at the end every post the site
published is in the index exactly once (by post id and by native id), nothing lost.

``pantau run`` is a real child process in its own process group, killed with its crawl children
(as a crash of the machine or ``systemctl kill`` would), at points spread over its crawls
(Play reviews and Mastodon statuses) and its tag-and-index loop; the test records which stage
each kill hit and checks both were hit. Alert checks are off (their own test covers them).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from indexer.factory import open_store
from indexer.query import MATCH_ALL
from pantau.config import load_config
from pantau.health import read_health
from pantau.spool import Spool
from tests.pantau.growing_site import GrowingSite

ROOT = Path(__file__).resolve().parents[2]
KILLS = 20
SEED = 20261125


class Daemon:
    """``pantau run --no-serve`` in its own process group, its log collected by a thread."""

    def __init__(self, config: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pantau.cli", "--config", str(config), "run", "--no-serve"], cwd=ROOT,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.log: list[str] = []
        self.reader = threading.Thread(target=lambda: self.log.extend(self.process.stderr), daemon=True)
        self.reader.start()

    def wait_for(self, text: str, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.log):
            assert self.process.poll() is None, "".join(self.log)
            assert time.monotonic() < deadline, f"no {text!r} in the daemon's log"
            time.sleep(0.05)

    def children(self) -> list[int]:
        """Live processes of the group other than the daemon itself (its crawl children)."""
        return [pid for pid in group_members(self.process.pid) if pid != self.process.pid]

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        deadline = time.monotonic() + 30
        while group_members(self.process.pid):
            assert time.monotonic() < deadline, "processes of the killed group are still alive"
            time.sleep(0.05)
        self.reader.join(5)


def group_members(pgid: int) -> list[int]:
    """Pids of the live (not zombie) processes in process group ``pgid``."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def in_hand(data_dir: Path) -> int:
    """Posts the daemon has claimed from the spool (tagging or indexing them right now)."""
    with Spool(data_dir / "spool.sqlite3") as spool:
        return spool.stats().claimed


@pytest.fixture
def site(tmp_path: Path, serve_folder):
    growing = GrowingSite(tmp_path / "site")
    growing.publish(play=40, toots=10)
    server = serve_folder(tmp_path / "site")
    config = tmp_path / "pantau.toml"
    config.write_text(growing.config(server.url("/"), tmp_path / "data", "[alerts]\ncheck_every_minutes = 600\n"),
                      encoding="utf-8")
    return growing, config


def kill_point(daemon: Daemon, data_dir: Path, rng: random.Random, stage: str) -> bool:
    """Wait for a seeded random point in ``stage``; True when the kill lands in it.

    crawl: 0-3 s after the crawls start. tag_index: once the daemon holds a claimed batch
    (its tagger loaded), 0-0.3 s later, while the batch is tagged or written to the index.
    """
    delay = rng.uniform(0.0, 3.0) if stage == "crawl" else rng.uniform(0.0, 0.3)
    if stage == "tag_index":
        deadline = time.monotonic() + 120
        while not in_hand(data_dir):
            assert daemon.process.poll() is None, "".join(daemon.log)
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
    time.sleep(delay)
    return bool(daemon.children()) if stage == "crawl" else in_hand(data_dir) > 0


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_kill_9_at_20_points_loses_and_doubles_nothing(site):
    growing, config = site
    cfg = load_config(config, env={})
    rng = random.Random(SEED)
    landed = {"crawl": 0, "tag_index": 0}
    daemon = None
    try:
        for number in range(KILLS):
            daemon = Daemon(config)
            daemon.wait_for("starting crawl:")
            stage = rng.choice(("crawl", "tag_index"))
            landed[stage] += kill_point(daemon, cfg.data_dir, rng, stage)
            daemon.kill()
            growing.publish(play=12, toots=1)  # the site goes on publishing while the daemon is down

        daemon = Daemon(config)
        started = time.time()
        expected = growing.post_ids()
        deadline = time.monotonic() + 300
        while True:
            health = read_health(cfg.data_dir)
            crawled = all(datetime.fromisoformat(health.get(f"crawl:{s}", "2000-01-01T00:00:00+00:00")).timestamp() > started
                          for s in ("playstore", "mastodon"))
            with Spool(cfg.data_dir / "spool.sqlite3") as spool:
                stats = spool.stats()
            if crawled and stats.pending == stats.claimed == 0:
                break
            assert time.monotonic() < deadline, f"the daemon never finished: {stats}, {health}"
            time.sleep(0.5)
        daemon.process.send_signal(signal.SIGTERM)
        assert daemon.process.wait(timeout=60) == 0, "".join(daemon.log)
    finally:
        if daemon is not None and daemon.process.poll() is None:
            daemon.kill()
    assert stats.dead == 0
    assert landed["crawl"] >= 3 and landed["tag_index"] >= 3, landed  # the kills hit both stages

    with open_store(cfg) as store:
        total = store.count(MATCH_ALL)
        found = store.search(MATCH_ALL, size=max(total, 1)).hits
    ids = [h.post.id for h in found]
    natives = [h.post.native_id for h in found]
    assert total == len(ids) == len(expected)
    assert len(set(ids)) == len(ids) and set(ids) == expected
    assert len(set(natives)) == len(natives) and set(natives) == growing.native_ids()


def direct_children(pid: int) -> list[int]:
    """Live processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


@pytest.mark.slow
def test_children_do_not_outlive_a_daemon_killed_alone(tmp_path, serve_folder):
    """kill -9 of the daemon's pid only, while its crawl waits on a server that answers in 20 s:
    the crawl children stop at once (SIGTERM from the kernel when their parent dies) instead of
    running on as orphans; the Scrapy runners under them get SIGTERM too and stop cleanly once
    the request in flight ends (a graceful Scrapy stop waits for it)."""
    site = GrowingSite(tmp_path / "site")
    site.publish(play=5, toots=1)
    server = serve_folder(tmp_path / "site")
    slow = server.url("play?delay=20&x=")  # every Play request waits 20 s for its answer
    config = tmp_path / "pantau.toml"
    text = site.config(server.url("/"), tmp_path / "data", "[alerts]\ncheck_every_minutes = 600\n")
    config.write_text(text.replace(f'base_url = "{server.url("/")}play"', f'base_url = "{slow}"')
                      .replace("max_retries = 1", "max_retries = 1\ntimeout_s = 120.0"), encoding="utf-8")
    daemon = Daemon(config)
    try:
        daemon.wait_for("starting crawl:playstore")
        deadline = time.monotonic() + 60
        while not any("delay=20" in r for r in server.requests):  # the crawl is waiting on its answer
            assert time.monotonic() < deadline, "the Play request was never sent"
            time.sleep(0.05)
        crawls = direct_children(daemon.process.pid)
        assert crawls
        os.kill(daemon.process.pid, signal.SIGKILL)
        daemon.process.wait()
        deadline = time.monotonic() + 8  # well before the answer (20 s) could have ended the crawl
        while any(Path(f"/proc/{pid}").exists() and pid in group_members(daemon.process.pid) for pid in crawls):
            assert time.monotonic() < deadline, f"crawl children still running: {crawls}"
            time.sleep(0.1)
        deadline = time.monotonic() + 90
        while group_members(daemon.process.pid):
            assert time.monotonic() < deadline, f"crawl runners still running: {group_members(daemon.process.pid)}"
            time.sleep(0.2)
    finally:
        daemon.kill()
