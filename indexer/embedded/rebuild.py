"""``pantau index rebuild`` for the embedded store: resumable, and invisible to readers until done.

The new index is built in a directory of its own (``index-v<N>-<time>``), named in the records'
meta under ``rebuild`` together with the records' ``generation`` when it began. Readers go on
with the live index (or, when it is stale, keep refusing) the whole time: they open only the
directory that the ``index_dir`` meta key names, and that key is switched to the new directory,
with the schema version, in one SQLite transaction after the new index's last commit
(``RecordDB.switch_index``). The old directory is removed afterwards.

Records are reindexed in ``seq`` order and the new index is committed every ``commit_every``
records; nothing is ever deleted from it, so its committed document count *is* the checkpoint,
written atomically with the documents themselves: after Ctrl-C or kill -9, a rerun opens the
same directory and carries on after the record at that position. If the records changed in
between (the generation moved: a daemon wrote or retention deleted while the live index was
still serving), the half-built index no longer matches them and the rerun starts over.

While it runs, the rebuild holds the live index's writer lock when there is a live index, so
nothing writes records under it; when the index is stale, no writer can write anyway.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable

from indexer import records as rec
from indexer.embedded.schema import SCHEMA_VERSION, index_doc
from indexer.embedded.store import WRITER_THREADS

READ_BATCH = 5_000


def rebuild(store, progress: Callable[[int, int], None] | None, commit_every: int) -> int:
    """Reindex every record of ``store`` (an EmbeddedStore whose lock the caller holds); returns the count."""
    import tantivy

    records = store.records
    store._follow()
    if not store._stale:
        store._writer_locked()  # replays the journal, then keeps other writers out until the switch
    target, index = _target(store, tantivy)
    try:
        writer = index.writer(store._heap, WRITER_THREADS)
    except ValueError as exc:
        from pantau.errors import StoreUnavailable

        raise StoreUnavailable(f"another `pantau index rebuild` is running on {store.path} ({exc})") from exc
    index.reload()
    done = index.searcher().num_docs
    total = records.count()
    if progress:
        progress(done, total)
    pending = 0
    try:
        for payloads in records.iter_payloads(after=records.seq_at(done - 1), batch=READ_BATCH):
            for key, payload in payloads:
                writer.add_json(index_doc(rec.decode(payload), key))  # records of older versions too
            done += len(payloads)
            pending += len(payloads)
            if pending >= commit_every:
                writer.commit()
                pending = 0
            if progress:
                progress(done, total)
        writer.commit()
        writer.wait_merging_threads()
    except BaseException:
        writer.rollback()  # what was committed stays: the next run resumes from it
        raise
    _switch(store, target)
    return done


def _target(store, tantivy):
    """The directory and index to rebuild into: the interrupted run's when it still fits, else a new one."""
    records = store.records
    generation = records.generation()
    state = json.loads(records.meta("rebuild") or "{}")
    if state and (state.get("generation") != generation or state.get("schema_version") != SCHEMA_VERSION):
        shutil.rmtree(store.path / state["dir"], ignore_errors=True)  # records changed since: start over
        state = {}
    if not state:
        state = {"dir": f"index-v{SCHEMA_VERSION}-{time.time_ns()}", "generation": generation,
                 "schema_version": SCHEMA_VERSION}
        records.set_meta("rebuild", json.dumps(state))
    target = store.path / state["dir"]
    target.mkdir(exist_ok=True)
    return target, tantivy.Index(store.schema, path=str(target), reuse=True)


def _switch(store, target) -> None:
    """Make ``target`` the live index, then remove every other index directory."""
    if store._writer is not None:
        store._writer.rollback()  # the old index's writer: nothing pending, the lock is released
        store._writer = None
    store.records.switch_index(target.name, SCHEMA_VERSION)
    store._follow()
    for old in store.path.glob("index-v*"):
        if old.is_dir() and old != target:
            shutil.rmtree(old, ignore_errors=True)
