"""What only the embedded store has: its journal, its reader/writer split, its schema version."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pantau.errors import StoreUnavailable
from indexer import records as rec
from indexer.embedded.recorddb import RecordDB
from indexer.embedded.schema import SCHEMA_VERSION
from indexer.embedded.store import EmbeddedStore
from indexer.query import parse
from tests.indexer.dataset import POSTS

ROOT = Path(__file__).resolve().parents[2]


def test_records_journalled_but_not_indexed_are_replayed(tmp_path):
    """A crash after the SQLite commit and before the index commit: the next writer replays."""
    with EmbeddedStore(tmp_path) as store:
        store.put_many(POSTS[:3])
        store.records.write([(p.id, p.published_at.timestamp(), rec.pack(p)) for p in POSTS[2:6]])
        assert store.count(parse("")) == 3
    with EmbeddedStore(tmp_path) as store:
        assert store.recover() == 4
        assert store.count(parse("")) == 6  # p3 replaced, not doubled
        assert store.records.journal() == []


def test_a_writer_killed_mid_batch_loses_nothing(tmp_path):
    """kill -9 during bulk writes; every record the database kept ends up indexed exactly once."""
    script = (
        "import sys; from indexer.embedded.store import EmbeddedStore; from indexer.synthetic import PostFactory\n"
        "store = EmbeddedStore(__import__('pathlib').Path(sys.argv[1]))\n"
        "for batch in PostFactory(seed=3).batches(200_000, 2_000):\n"
        "    store.put_many(batch); print(len(batch), flush=True)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    acknowledged = 0
    while acknowledged < 6_000:  # a few batches are through: the next one is in flight
        line = child.stdout.readline()
        assert line, "the writer died on its own"
        acknowledged += int(line)
    time.sleep(0.15)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    with EmbeddedStore(tmp_path) as store:
        store.recover()
        kept = store.records.count()
        assert kept >= acknowledged
        assert store.count(parse("")) == kept
        assert store.records.journal() == []


def test_readers_see_the_writers_commits(tmp_path):
    writer = EmbeddedStore(tmp_path)
    reader = EmbeddedStore(tmp_path)
    try:
        assert reader.count(parse("")) == 0
        writer.put_many(POSTS[:4])
        assert reader.count(parse("")) == 4
        assert reader.search(parse("kaligawe")).total == 1
    finally:
        writer.close()
        reader.close()


def test_a_second_writer_is_refused(tmp_path):
    first, second = EmbeddedStore(tmp_path), EmbeddedStore(tmp_path)
    try:
        first.put_many(POSTS[:1])
        with pytest.raises(StoreUnavailable, match="another process is writing"):
            second.put_many(POSTS[1:2])
    finally:
        first.close()
        second.close()


def test_an_index_of_another_schema_version_needs_a_rebuild(tmp_path):
    with EmbeddedStore(tmp_path) as store:
        store.put_many(POSTS)
        old_index = store.index_dir
    old_index.rename(tmp_path / "index-v0")  # as if written by an older Pantau
    records = RecordDB(tmp_path / "records.sqlite3")
    records.set_meta("schema_version", "0")
    records.close()
    for _ in range(2):  # refused until rebuilt, however often it is opened
        with EmbeddedStore(tmp_path) as store:
            with pytest.raises(StoreUnavailable, match="schema v0.*pantau index rebuild"):
                store.search(parse("jalan"))
    with EmbeddedStore(tmp_path) as store:
        seen = []
        assert store.rebuild(lambda done, total: seen.append((done, total))) == len(POSTS)
        assert seen[-1] == (len(POSTS), len(POSTS))
        assert store.search(parse("jalan")).total == 5
        assert store.records.meta("schema_version") == str(SCHEMA_VERSION)
    with EmbeddedStore(tmp_path) as store:
        assert store.count(parse("")) == len(POSTS)


def test_a_lost_index_is_refused_until_rebuilt(tmp_path):
    import shutil

    with EmbeddedStore(tmp_path) as store:
        store.put_many(POSTS)
        index_dir = store.index_dir
    shutil.rmtree(index_dir)
    for _ in range(2):
        with EmbeddedStore(tmp_path) as store:
            with pytest.raises(StoreUnavailable, match="rebuild"):
                store.count(parse(""))
    with EmbeddedStore(tmp_path) as store:
        assert store.rebuild() == len(POSTS)
        assert store.count(parse("")) == len(POSTS)


def test_daylight_saving_zones_are_refused_not_misbucketed(tmp_path):
    from pantau.errors import PantauError
    from indexer.store import DateHistogram

    with EmbeddedStore(tmp_path) as store:
        store.put_many(POSTS[:2])
        with pytest.raises(PantauError, match="daylight"):
            store.aggregate(parse(""), {"d": DateHistogram("day", tz="Europe/Amsterdam")})
        wita = store.aggregate(parse(""), {"d": DateHistogram("day", tz="Asia/Makassar")})["d"]
        assert sum(b.count for b in wita.buckets) == 2


def test_a_failed_write_is_replayed_by_the_next_one(tmp_path):
    with EmbeddedStore(tmp_path) as store:
        store.put_many(POSTS[:2])
        broken = dataclasses.replace(POSTS[2])
        broken.published_at = "not a time"  # type: ignore[assignment]  # fails while encoding
        with pytest.raises((AttributeError, ValueError)):  # tantivy or the record refuses it
            store.put_many([POSTS[3], broken])
        store.records.write([(p.id, p.published_at.timestamp(), rec.pack(p)) for p in POSTS[4:6]])  # as if mid-commit
        store.put_many(POSTS[6:7])
        assert store.count(parse("")) == 5  # 2 + the journalled 2 + 1; nothing of the failed call
        assert store.records.journal() == []


def test_a_store_of_the_unkeyed_record_table_is_migrated_when_opened(tmp_path):
    """Stores made before the ``key`` column (``id TEXT UNIQUE``) open with every record and its index intact."""
    import sqlite3

    with EmbeddedStore(tmp_path) as store:
        store.put_many(POSTS)
    db = sqlite3.connect(tmp_path / "records.sqlite3")
    db.executescript("""
        CREATE TABLE old (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, published_at REAL NOT NULL, payload TEXT NOT NULL);
        INSERT INTO old SELECT seq, id, published_at, payload FROM records;
        DROP TABLE records; ALTER TABLE old RENAME TO records;
    """)
    old_record = json.dumps({**rec.to_record(POSTS[0]), "_sentiment": "negative", "_region": "3374"})
    db.execute("UPDATE records SET payload = ? WHERE id = ?", (old_record, POSTS[0].id))  # a text record, as written then
    db.commit()
    db.close()
    with EmbeddedStore(tmp_path) as store:
        assert store.records.count() == len(POSTS)
        assert store.get(POSTS[0].id) == POSTS[0] and store.get(POSTS[5].id) == POSTS[5]
        store.put_many(POSTS[:3])  # upserts find the migrated rows
        assert store.records.count() == store.count(parse("")) == len(POSTS)
