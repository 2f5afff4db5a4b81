"""Faults with real processes: a full data disk, and an index that is unreachable for a while.

The disk is "full" through a file-size limit (RLIMIT_FSIZE with SIGXFSZ ignored, so writes
fail with EFBIG as they would with ENOSPC) on the child process that processes the spool.
"""

import resource
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from indexer.factory import open_store
from indexer.query import MATCH_ALL
from pantau.config import load_config
from pantau.post import Post
from pantau.spool import Spool

ROOT = Path(__file__).resolve().parents[2]
QUIET_SOURCES = "".join(f"[sources.{s}]\nenabled = false\n" for s in ("news", "playstore", "youtube", "mastodon", "bluesky", "x"))


def make_config(tmp_path: Path) -> Path:
    path = tmp_path / "pantau.toml"
    path.write_text(f'[paths]\ndata_dir = "data"\n[alerts]\ncheck_every_minutes = 600\n{QUIET_SOURCES}', encoding="utf-8")
    return path


def spool_posts(data_dir: Path, n: int, start: int = 0) -> set[str]:
    now = datetime.now(timezone.utc)
    posts = [
        Post(source="import", native_id=f"f{i}", published_at=now - timedelta(minutes=i),
             text=f"Antrean di Samsat Kota Semarang lama sekali, sudah {i} menit belum dipanggil")
        for i in range(start, start + n)
    ]
    with Spool(data_dir / "spool.sqlite3") as spool:
        spool.put_many(posts)
    return {p.id for p in posts}


def pantau(config: Path, *args: str, file_limit: int | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    def limit_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run(
        [sys.executable, "-m", "pantau.cli", "--config", str(config), *args], cwd=ROOT, capture_output=True,
        text=True, timeout=timeout, preexec_fn=limit_files if file_limit else None,
    )


def indexed_ids(cfg) -> set[str]:
    with open_store(cfg) as store:
        total = store.count(MATCH_ALL)
        ids = {hit.post.id for hit in store.search(MATCH_ALL, size=max(total, 1)).hits}
    assert len(ids) == total
    return ids


@pytest.mark.slow
def test_full_disk_gives_a_clear_error_and_recovers_without_loss(tmp_path):
    config = make_config(tmp_path)
    cfg = load_config(config, env={})
    expected = spool_posts(cfg.data_dir, 400)
    full = pantau(config, "process", file_limit=200_000)
    assert full.returncode != 0
    assert "Traceback" not in full.stderr, full.stderr
    assert full.stderr.startswith("error: ") and "full" in full.stderr, full.stderr

    recovered = pantau(config, "process")
    assert recovered.returncode == 0, recovered.stderr
    assert indexed_ids(cfg) == expected
    with Spool(cfg.data_dir / "spool.sqlite3") as spool:
        assert spool.stats().pending == spool.stats().dead == 0


HOLD_WRITER = """
import sys, time
from pantau.config import load_config
from indexer.factory import open_store
from pantau.post import Post
from datetime import datetime, timezone
store = open_store(load_config(sys.argv[1], env={}))
store.put_many([Post(source="import", native_id="holder", text="Banjir di Demak", published_at=datetime.now(timezone.utc))])
print("holding", flush=True)
time.sleep(600)
"""


@pytest.mark.slow
def test_index_locked_for_a_while_the_spool_waits_and_drains(tmp_path):
    config = make_config(tmp_path)
    cfg = load_config(config, env={})
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITER, str(config)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    daemon = None
    try:
        assert holder.stdout.readline().strip() == "holding"
        daemon = subprocess.Popen([sys.executable, "-m", "pantau.cli", "--config", str(config), "run", "--no-serve"],
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        log: list[str] = []
        threading.Thread(target=lambda: log.extend(daemon.stderr), daemon=True).start()
        expected = spool_posts(cfg.data_dir, 120)
        deadline = time.monotonic() + 180  # the daemon loads its models first: seconds on a busy machine
        while not any("index unavailable" in line for line in log):
            assert daemon.poll() is None and time.monotonic() < deadline, "".join(log)
            time.sleep(0.2)
        with Spool(cfg.data_dir / "spool.sqlite3") as spool:
            assert spool.stats().pending + spool.stats().claimed == 120  # waiting, nothing lost, nothing dead
            assert spool.stats().dead == 0
        expected |= spool_posts(cfg.data_dir, 30, start=500)  # the spool keeps growing meanwhile
        holder.kill()
        holder.wait()
        deadline = time.monotonic() + 180
        with Spool(cfg.data_dir / "spool.sqlite3") as spool:
            while spool.stats().pending + spool.stats().claimed:
                assert time.monotonic() < deadline, "the spool never drained after the index came back"
                time.sleep(0.5)
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=60) == 0
    finally:
        for process in (holder, daemon):
            if process is not None and process.poll() is None:
                process.kill()
    ids = indexed_ids(cfg)
    assert expected <= ids and len(ids) == len(expected) + 1  # + the holder's own post
