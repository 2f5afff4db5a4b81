"""``pantau index rebuild`` is resumable: a real child killed mid-rebuild, then a rerun that finishes.

The store is made stale the way an upgrade makes it (the records say another schema version), so
the rebuild is the one thing that can bring it back; a second store opened as a reader the whole
time must never see a half-built index.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pantau.errors import StoreUnavailable
from indexer.embedded.recorddb import RecordDB
from indexer.embedded.store import EmbeddedStore
from indexer.query import parse
from indexer.synthetic import PostFactory

ROOT = Path(__file__).resolve().parents[2]
POSTS = 40_000
COMMIT_EVERY = 2_000


@pytest.fixture
def stale_store(tmp_path) -> tuple[Path, Path]:
    """A config and a store of POSTS records whose index is of an older schema version."""
    config = tmp_path / "pantau.toml"
    config.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n')
    path = tmp_path / "data" / "store"
    with EmbeddedStore(path) as store:
        for batch in PostFactory(seed=5).batches(POSTS, 10_000):
            store.put_many(batch)
    records = RecordDB(path / "records.sqlite3")
    records.set_meta("schema_version", "1")
    records.close()
    return config, path


def _rebuild_cmd(config: Path) -> list[str]:
    return [sys.executable, "-m", "pantau.cli", "--config", str(config), "-q", "index", "rebuild",
            "--commit-every", str(COMMIT_EVERY)]


def _checkpoint(path: Path) -> int:
    """Documents committed so far in the rebuild's own directory (0 before it exists)."""
    import tantivy

    records = RecordDB(path / "records.sqlite3")
    try:
        state = json.loads(records.meta("rebuild") or "{}")
    finally:
        records.close()
    target = path / state["dir"] if state else None
    if target is None or not (target / "meta.json").exists():
        return 0
    from indexer.embedded.schema import build_schema

    index = tantivy.Index(build_schema(), path=str(target), reuse=True)
    index.reload()
    return index.searcher().num_docs


def _interrupt(config: Path, path: Path, sig: int) -> int:
    """Run the CLI rebuild in a child and send it ``sig`` once a few checkpoints are committed."""
    child = subprocess.Popen(_rebuild_cmd(config), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while (done := _checkpoint(path)) < 3 * COMMIT_EVERY:
        assert child.poll() is None, f"the rebuild ended before it was interrupted: {child.communicate()}"
        assert time.monotonic() < deadline, "no checkpoint was committed"
        time.sleep(0.01)
    os.kill(child.pid, sig)
    child.communicate(timeout=60)
    assert done < POSTS
    return done


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_an_interrupted_rebuild_resumes_and_ends_with_every_record_once(stale_store, sig):
    config, path = stale_store
    reader = EmbeddedStore(path)
    try:
        done = _interrupt(config, path, sig)
        with pytest.raises(StoreUnavailable, match="rebuild"):  # still refused: never a half-built index
            reader.count(parse(""))
        resumed_from = _checkpoint(path)
        assert resumed_from >= done  # the checkpoint survived the interruption
        finished = subprocess.run(_rebuild_cmd(config), cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert finished.returncode == 0, finished.stderr
        assert f"resuming an interrupted rebuild: {resumed_from} of {POSTS}" in finished.stdout
        assert f"reindexed {POSTS} posts ({resumed_from} of them before the interruption)" in finished.stdout

        assert reader.count(parse("")) == POSTS  # the reader follows the switch to the new index
        with EmbeddedStore(path) as store:
            ids = [post.id for post in store.scan(parse(""), batch=10_000)]
            assert len(ids) == len(set(ids)) == POSTS  # every record exactly once
            assert store.records.meta("rebuild") is None
            assert [d.name for d in path.glob("index-v*")] == [store.index_dir.name]  # the old ones are gone
    finally:
        reader.close()


def test_a_rebuild_of_a_live_index_serves_the_old_one_until_it_switches(tmp_path):
    with EmbeddedStore(tmp_path) as store:
        store.put_many(PostFactory(seed=2).batches(3_000, 3_000).__next__())
        reader = EmbeddedStore(tmp_path)
        seen = []

        def progress(done: int, total: int) -> None:
            seen.append(reader.count(parse("")))  # mid-rebuild, from another handle

        try:
            old_dir = store.index_dir
            assert store.rebuild(progress, commit_every=500) == 3_000
            assert set(seen) == {3_000}
            assert store.index_dir != old_dir and not old_dir.exists()
            assert reader.count(parse("")) == 3_000
        finally:
            reader.close()


def test_records_changed_since_an_interrupted_rebuild_start_it_over(tmp_path):
    factory = PostFactory(seed=4)
    with EmbeddedStore(tmp_path) as store:
        first, second = factory.batches(2_000, 1_000)

        class Stop(Exception):
            pass

        def stop_after_a_checkpoint(done: int, total: int) -> None:
            if done >= 1_000:
                raise Stop

        store.put_many(first)
        with pytest.raises(Stop):
            store.rebuild(stop_after_a_checkpoint, commit_every=500)
        store.put_many(second)  # the live index still serves, so this writes records
        starts = []
        assert store.rebuild(lambda done, total: starts.append(done), commit_every=500) == 2_000
        assert starts[0] == 0
        assert store.count(parse("")) == 2_000
