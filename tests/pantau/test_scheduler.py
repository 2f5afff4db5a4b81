"""``pantau run`` as a real process: it drains the spool into the index, refuses a second
instance on the same data directory, and finishes cleanly on SIGTERM."""

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pantau.config import load_config
from pantau.health import read_health
from pantau.post import Post
from pantau.scheduler import DailyAt
from pantau.spool import Spool

ROOT = Path(__file__).resolve().parents[2]
QUIET_SOURCES = "".join(f"[sources.{s}]\nenabled = false\n" for s in ("news", "playstore", "youtube", "mastodon", "bluesky", "x"))


def write_config(tmp_path: Path) -> Path:
    path = tmp_path / "pantau.toml"
    path.write_text(f'[paths]\ndata_dir = "data"\n[alerts]\ncheck_every_minutes = 600\n{QUIET_SOURCES}', encoding="utf-8")
    return path


def start_daemon(config: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pantau.cli", "--config", str(config), "run", "--no-serve"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def spool_posts(data_dir: Path, n: int) -> None:
    now = datetime.now(timezone.utc)
    with Spool(data_dir / "spool.sqlite3") as spool:
        spool.put_many(
            Post(source="import", native_id=f"d{i}", text=f"Jalan di Ungaran rusak parah lagi {i}", published_at=now - timedelta(minutes=i))
            for i in range(n)
        )


def wait_until(condition, timeout=120.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.mark.slow
def test_daemon_drains_refuses_a_second_instance_and_stops_on_sigterm(tmp_path):
    config = write_config(tmp_path)
    cfg = load_config(config, env={})
    spool_posts(cfg.data_dir, 40)
    daemon = start_daemon(config)
    try:
        wait_until(lambda: "process" in read_health(cfg.data_dir))
        with Spool(cfg.data_dir / "spool.sqlite3") as spool:
            wait_until(lambda: spool.stats().pending == 0 and spool.stats().claimed == 0)

        second = subprocess.run(
            [sys.executable, "-m", "pantau.cli", "--config", str(config), "run", "--no-serve"],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )
        assert second.returncode == 2
        assert f"already running on {cfg.data_dir}" in second.stderr and f"pid {daemon.pid}" in second.stderr

        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=60) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
    from indexer.factory import open_store
    from indexer.query import MATCH_ALL

    with open_store(cfg) as store:
        assert store.count(MATCH_ALL) == 40
        assert store.get(Post(source="import", native_id="d0", text="x", published_at=datetime.now(timezone.utc)).id).region is not None


def test_daily_job_fires_once_per_local_day_after_its_time():
    wib = load_config(env={}).tz
    daily = DailyAt(datetime.strptime("07:00", "%H:%M").time(), wib)
    day = datetime(2026, 11, 25, tzinfo=wib)
    assert not daily.due(day.replace(hour=6, minute=59))
    assert daily.due(day.replace(hour=7, minute=0))
    assert not daily.due(day.replace(hour=18))
    assert daily.due((day + timedelta(days=1)).replace(hour=7, minute=5))
    # 23:30 UTC is 06:30 WIB the next day: not yet due there
    assert not daily.due(datetime(2026, 11, 26, 23, 30, tzinfo=timezone.utc))
