import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pantau.post import Post
from pantau.spool import Spool

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)


def posts(n: int, start: int = 0, text: str = "antrean samsat lama") -> list[Post]:
    return [Post(source="import", native_id=f"n{i}", text=f"{text} {i}", published_at=NOW) for i in range(start, start + n)]


@pytest.fixture
def spool(tmp_path):
    with Spool(tmp_path / "spool.sqlite3", lease_s=60) as s:
        yield s


def test_claim_ack_delivers_in_order_and_removes(spool):
    spool.put_many(posts(5))
    batch = spool.claim(3)
    assert [p.native_id for p in batch.posts] == ["n0", "n1", "n2"]
    assert spool.stats().claimed == 3 and spool.stats().pending == 2
    spool.ack(batch)
    rest = spool.claim(10)
    assert [p.native_id for p in rest.posts] == ["n3", "n4"]
    spool.ack(rest)
    assert spool.claim(10) is None
    assert spool.stats().pending == spool.stats().claimed == 0


def test_posts_round_trip_unchanged(spool):
    original = posts(1)[0]
    spool.put_many([original])
    assert spool.claim(1).posts == [original]


def test_respooling_a_pending_post_replaces_it(spool):
    spool.put_many(posts(1, text="versi lama"))
    spool.put_many(posts(1, text="versi baru"))
    batch = spool.claim(10)
    assert [p.text for p in batch.posts] == ["versi baru 0"]


def test_unacked_batch_comes_back_after_its_lease(tmp_path):
    with Spool(tmp_path / "s.sqlite3", lease_s=0.2) as spool:
        spool.put_many(posts(2))
        first = spool.claim(10)
        assert spool.claim(10) is None
        time.sleep(0.3)
        again = spool.claim(10)
        assert [p.id for p in again.posts] == [p.id for p in first.posts]
        spool.ack(first)  # a stale consumer's ack must not remove what another now holds
        assert spool.stats().claimed == 2
        spool.ack(again)
        assert spool.stats().claimed == 0


def test_nack_releases_then_buries_after_max_attempts(tmp_path):
    with Spool(tmp_path / "s.sqlite3", max_attempts=2) as spool:
        spool.put_many(posts(1))
        spool.nack(spool.claim(1), "index down")
        assert spool.stats().pending == 1
        spool.nack(spool.claim(1), "index down again")
        assert spool.stats() == type(spool.stats())(pending=0, claimed=0, dead=1)
        assert spool.requeue_dead() == 1
        assert spool.claim(1) is not None


def test_undecodable_payload_is_dead_lettered_not_blocking(spool):
    spool.put_many(posts(2))
    spool._db.execute("UPDATE items SET payload = '{broken' WHERE post_id = ?", (posts(1)[0].id,))
    batch = spool.claim(10)
    assert [p.native_id for p in batch.posts] == ["n1"]
    assert spool.stats().dead == 1


def test_spool_survives_reopen(tmp_path):
    path = tmp_path / "s.sqlite3"
    with Spool(path) as spool:
        spool.put_many(posts(3))
    with Spool(path) as spool:
        assert len(spool.claim(10)) == 3


def _run_worker(spool_path: Path, sink_path: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "pantau" / "spool_worker.py"), str(spool_path), str(sink_path), *extra],
        cwd=ROOT,
    )


def _wait_for(path: Path, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, "worker exited before reaching the kill point"
        assert time.monotonic() < deadline, "worker never reached the kill point"
        time.sleep(0.05)


@pytest.mark.parametrize("kill_in_batch", [1, 3, 10])
def test_consumer_killed_mid_batch_loses_nothing_and_indexes_once(tmp_path, kill_in_batch):
    spool_path, sink_path, marker = tmp_path / "spool.sqlite3", tmp_path / "sink.sqlite3", tmp_path / "mid-batch"
    expected = {p.id for p in posts(200)}
    with Spool(spool_path) as spool:
        spool.put_many(posts(200))

    worker = _run_worker(spool_path, sink_path, "--stop-mid-batch", str(kill_in_batch), "--marker", str(marker))
    _wait_for(marker, worker)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL

    restarted = _run_worker(spool_path, sink_path)
    assert restarted.wait(timeout=120) == 0

    sink = sqlite3.connect(sink_path)
    indexed = [row[0] for row in sink.execute("SELECT post_id FROM indexed")]
    deliveries = sink.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0]
    assert sorted(indexed) == sorted(expected)  # every post, exactly once
    assert deliveries > 200  # the killed batch really was delivered again (at-least-once)
    with Spool(spool_path) as spool:
        assert spool.stats().pending == spool.stats().claimed == 0


PRODUCER = """
import sys
from datetime import datetime, timezone
from pantau.post import Post
from pantau.spool import Spool
spool = Spool(sys.argv[1])
for batch in range(10_000):
    spool.put_many([Post(source="import", native_id=f"{batch}-{i}", text="banjir", published_at=datetime.now(timezone.utc)) for i in range(50)])
    print(batch, flush=True)
"""


def test_producer_killed_mid_write_leaves_only_whole_batches(tmp_path):
    spool_path = tmp_path / "spool.sqlite3"
    producer = subprocess.Popen([sys.executable, "-c", PRODUCER, str(spool_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    for _ in range(5):
        producer.stdout.readline()
    os.kill(producer.pid, signal.SIGKILL)
    producer.wait(timeout=30)
    with Spool(spool_path) as spool:
        pending = spool.stats().pending
    assert pending >= 250 and pending % 50 == 0


def test_one_spool_shared_by_threads_takes_turns(spool):
    from concurrent.futures import ThreadPoolExecutor

    batches = [posts(20, start=i * 20) for i in range(12)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        assert sum(pool.map(spool.put_many, batches)) == 240
    assert spool.stats().pending == 240
