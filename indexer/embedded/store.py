"""The embedded store (the default): tantivy for search and aggregations, SQLite for the records.

Layout of the store directory: ``records.sqlite3`` (records, replay journal, schema version, and
``index_dir``: which directory holds the live index) and ``index-v<N>.../`` (tantivy indexes of
schema version N; more than one only while ``pantau index rebuild`` builds the next, see ``rebuild.py``).

Concurrency: any number of processes may open the store and read; the first write in a process
takes tantivy's writer lock (a second writing process gets ``StoreUnavailable``). Readers
reload when the index's ``meta.json`` changes, so the dashboard sees the daemon's commits, and
reopen when ``index_dir`` names another directory (a rebuild finished).

Durability: ``put_many`` commits the records and a journal of their ids to SQLite, then commits
the index, then clears the journal (see ``recorddb.py``); a writer replays what the journal still
holds when it starts. ``put_many`` returns only after both commits. The SQLite write runs on a
helper thread while tantivy takes the documents (its indexing runs on its own threads), and the
index commit waits for it, so the order of the two commits is kept; the WAL checkpoint that
follows a records commit runs on the helper thread during the index commit.

Where a post's ingest time goes (2 cores, 200,000 posts, idle, per post): the main thread ~18 us
of Python (index document, record, tantivy's JSON parse), tantivy's indexing thread ~17 us, the
helper thread's SQLite ~11 us; ``put_many`` keeps the three busy side by side.
"""

from __future__ import annotations

import gc
import os
import threading
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor, wait
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pantau.errors import StoreUnavailable
from pantau.post import Post
from indexer import records as rec
from indexer.embedded import aggs
from indexer.embedded.compile import compile_query
from indexer.embedded.recorddb import RecordDB, record_key
from indexer.embedded.schema import KEY_FIELD, SCHEMA_VERSION, SNIPPET_FIELD, build_schema, index_doc, record_key_of, replace_query
from indexer.embedded.snippets import snippet
from indexer.query import DateRange, Query
from indexer.significant import significant_terms
from indexer.store import (
    AggResult, Aggregation, Cardinality, Count, CountResult, DateHistogram, Hit, SearchResult, SignificantTerms, Sort,
    StoreStats, Terms,
)

BATCH = 50_000
CHUNK = 4096  # posts turned into documents and records between two hand-overs to the helper thread
WRITER_HEAP = 256_000_000  # per commit of 50,000 posts one segment, without flushing part-way
#: tantivy indexing threads: all cores but one, which the Python side (records, JSON) needs.
#: Measured on 2 cores (400k posts): 1 thread ingests faster than 2 and with a third less CPU
#: per post, as each commit then makes one segment instead of two and merges less.
WRITER_THREADS = max(1, min(8, (os.cpu_count() or 2) - 1))


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Hold off the cyclic garbage collector while a batch is written.

    Writing makes no reference cycles, but its many short-lived tuples and dicts trigger
    collections that walk every object the process holds, the caller's batch of posts included
    (~5 objects a post): 3-8 us a post, measured at 50,000-post batches.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class EmbeddedStore:
    def __init__(self, path: Path, tz: str = "Asia/Jakarta", writer_heap_bytes: int = WRITER_HEAP) -> None:
        import tantivy

        self._tantivy = tantivy
        self.path = Path(path)
        self.tz = tz
        self._heap = writer_heap_bytes
        self.path.mkdir(parents=True, exist_ok=True)
        self.records = RecordDB(self.path / "records.sqlite3")
        self.schema = build_schema()
        self._writer = None
        self._sqlite = ThreadPoolExecutor(1, thread_name_prefix="pantau-records")
        self._replayed = 0
        self._lock = threading.Lock()
        self._pointer: dict[str, str] = {}
        self._stale = ""
        self.index = None
        self._follow()

    def _follow(self) -> None:
        """(Re)open the live index named by the records' meta when it changed (a rebuild switched it)."""
        pointer = self.records.index_meta()
        if pointer == self._pointer and (self.index is not None or self._stale):
            return
        stored = pointer.get("schema_version")
        name = pointer.get("index_dir") or f"index-v{stored or SCHEMA_VERSION}"
        index_dir = self.path / name
        if stored is None and not self.records.count():  # a new store
            self.records.set_meta("schema_version", str(SCHEMA_VERSION))
            self.records.set_meta("index_dir", name)
        elif stored != str(SCHEMA_VERSION) and stored is not None and "needs_rebuild" not in pointer:
            self.records.set_meta("needs_rebuild", f"index of schema v{stored}, not v{SCHEMA_VERSION}")
        elif not index_dir.exists() and self.records.count() and "needs_rebuild" not in pointer:
            self.records.set_meta("needs_rebuild", f"its index directory {name} is missing")
        elif stored is None:
            self.records.set_meta("schema_version", str(SCHEMA_VERSION))
        self._pointer = pointer = self.records.index_meta()
        reason = pointer.get("needs_rebuild")
        self._stale = f"the index of {self.path} cannot serve ({reason}); run `pantau index rebuild`" if reason else ""
        self.index_dir = index_dir
        self.index = None
        if self._stale:
            return
        index_dir.mkdir(exist_ok=True)
        try:
            self.index = self._tantivy.Index(self.schema, path=str(index_dir), reuse=True)
        except ValueError as exc:
            raise StoreUnavailable(f"cannot open the index at {index_dir}: {exc}; run `pantau index rebuild`") from exc
        self._meta_mtime = self._index_mtime()

    # -- plumbing ---------------------------------------------------------------------------
    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._writer is not None:
                self._writer.wait_merging_threads()
                self._writer = None
            self._sqlite.shutdown()
            self.records.close()

    def _index_mtime(self) -> int:
        try:
            return os.stat(self.index_dir / "meta.json").st_mtime_ns
        except FileNotFoundError:
            return 0

    def _searcher(self):
        self._follow()
        if self._stale:
            raise StoreUnavailable(self._stale)
        mtime = self._index_mtime()
        if mtime != self._meta_mtime:
            self._meta_mtime = mtime
            self.index.reload()
        return self.index.searcher()

    def _writer_locked(self):
        """The index writer (the caller holds ``_lock``); replays the journal on first use."""
        if self._writer is None:
            self._follow()
        if self._stale:
            raise StoreUnavailable(self._stale)
        if self._writer is None:
            try:
                self._writer = self.index.writer(self._heap, WRITER_THREADS)
            except ValueError as exc:
                raise StoreUnavailable(
                    f"another process is writing the store at {self.path} (tantivy writer lock); "
                    "only one writer (the daemon or `pantau index`) may run at a time") from exc
            self._replayed = self._replay()
        return self._writer

    def recover(self) -> int:
        """Take the writer lock and replay what a crashed writer left; returns the posts replayed.

        Writing does this by itself; the daemon calls it at start so the index is whole at once.
        """
        with self._lock:
            self._replayed = 0
            self._writer_locked()
            return self._replayed

    def _commit(self) -> None:
        self._writer.commit()
        self.index.reload()
        self._meta_mtime = self._index_mtime()

    def _replay(self) -> int:
        """Reindex the journalled runs of records whose index commit may not have happened."""
        replayed = 0
        for first, last in self.records.journal():
            for key, payload in self.records.payloads_between(first, last):
                self._writer.delete_documents_by_query(replace_query(key, self.schema))
                self._writer.add_json(index_doc(rec.decode(payload), key))  # as this version indexes it
                replayed += 1
            self._commit()
            self.records.settle(first, last)
        return replayed

    # -- writing ----------------------------------------------------------------------------
    def put_many(self, posts: Iterable[Post]) -> int:
        unique = list({p.id: p for p in posts}.values())
        with self._lock, _no_cyclic_gc():
            writer = self._writer_locked()
            try:
                for start in range(0, len(unique), BATCH):
                    self._put_batch(writer, unique[start:start + BATCH])
            except BaseException:
                self._drop_writer()  # the next write takes the lock afresh and replays the journal
                raise
        return len(unique)

    def _put_batch(self, writer, batch: list[Post]) -> None:
        """Index ``batch`` (distinct ids) and store its records, the two streamed side by side.

        The main thread turns each post into its index document and its record, CHUNK posts at a
        time; tantivy indexes on its own thread meanwhile, and the helper thread looks up which
        posts already exist (one chunk ahead) and inserts the records, all in one SQLite
        transaction that commits, with its journal entry, before the index does.
        """
        records, sql, schema = self.records, self._sqlite.submit, self.schema
        keys = [record_key(p.id) for p in batch]
        ids = [p.id for p in batch]
        steps = [sql(records.begin)]
        steps.append(sql(records.existing, ids[:CHUNK], keys[:CHUNK]))
        try:
            first = steps[0].result()
            add, pack = writer.add_json, rec.pack
            for start in range(0, len(batch), CHUNK):
                existing = steps[-1].result()
                end = start + CHUNK
                if end < len(batch):
                    lookup = sql(records.existing, ids[end:end + CHUNK], keys[end:end + CHUNK])
                replaced = []
                for post_id, key in zip(ids[start:end], keys[start:end]):
                    if post_id in existing:
                        writer.delete_documents_by_query(replace_query(key, schema))
                        replaced.append((key, post_id))
                posts, chunk_keys = batch[start:end], keys[start:end]
                for doc in [index_doc(post, key) for post, key in zip(posts, chunk_keys)]:
                    add(doc)  # in a burst: tantivy's thread then works through a queue instead of waking for each post
                seq = first + start
                rows = [(seq + i, key, post.id, post.published_at.timestamp(), pack(post))
                        for i, (post, key) in enumerate(zip(posts, chunk_keys))]
                steps.append(sql(records.insert, rows, replaced))
                if end < len(batch):
                    steps.append(lookup)
            last = first + len(batch) - 1
            steps.append(sql(records.finish, first, last))
            for step in steps:
                step.result()  # the records and their journal entry are committed before the index is
        except BaseException:
            wait(steps)  # the connection is free again before anyone else uses it
            sql(records.abort).result()
            raise
        sql(records.checkpoint)  # while the index commits; the next batch's records wait for it
        self._commit()
        records.settle(first, last)

    def _drop_writer(self) -> None:
        try:
            self._writer.rollback()
        finally:
            self._writer = None

    def delete_older_than(self, days: int) -> int:
        cutoff = datetime.now(timezone.utc) - timedelta(days=days)
        with self._lock:
            writer = self._writer_locked()
            writer.delete_documents_by_query(compile_query(DateRange(end=cutoff), self.schema))
            self._commit()
            return self.records.delete_before(cutoff.timestamp())

    def rebuild(self, progress: Callable[[int, int], None] | None = None, commit_every: int = 100_000) -> int:
        """Reindex every stored record into a new index, resumably; see :mod:`indexer.embedded.rebuild`."""
        from indexer.embedded.rebuild import rebuild

        with self._lock:
            return rebuild(self, progress, commit_every)

    # -- reading ----------------------------------------------------------------------------
    def get(self, post_id: str) -> Post | None:
        payload = self.records.payloads([post_id]).get(post_id)
        return rec.decode(payload) if payload else None

    def scan(self, query: Query, batch: int = 1000) -> Iterator[Post]:
        searcher = self._searcher()  # one searcher: a consistent view while the writer goes on
        compiled = compile_query(query, self.schema)
        offset = 0
        while True:
            result = self._top(searcher, compiled, Sort.NEWEST, offset, batch)
            keys = self._keys(searcher, result.hits)
            payloads = self.records.payloads_by_key(keys)
            yield from (rec.decode(payloads[k]) for k in keys if k in payloads)
            if len(keys) < batch:
                return
            offset += batch

    def count(self, query: Query) -> int:
        return self._count(self._searcher(), compile_query(query, self.schema))

    @staticmethod
    def _count(searcher, compiled) -> int:
        return searcher.search(compiled, limit=1, count=True).count

    @staticmethod
    def _keys(searcher, hits) -> list[int]:
        """The record keys of search hits (``(score, address)`` pairs), read from the index's key column."""
        return [record_key_of(k) for k in searcher.fast_field_values(KEY_FIELD, [address for _score, address in hits])]

    def _top(self, searcher, compiled, sort: Sort, offset: int, size: int):
        if sort is Sort.RELEVANCE:
            return searcher.search(compiled, limit=size, offset=offset, count=True)
        order = self._tantivy.Order.Desc if sort is Sort.NEWEST else self._tantivy.Order.Asc
        return searcher.search(compiled, limit=size, offset=offset, count=True, order_by_field="published_at", order=order)

    def search(self, query: Query, sort: Sort = Sort.RELEVANCE, page: int = 1, size: int = 20) -> SearchResult:
        if page < 1 or size < 1:
            raise ValueError("page and size start at 1")
        searcher = self._searcher()
        compiled = compile_query(query, self.schema)
        result = self._top(searcher, compiled, Sort(sort), (page - 1) * size, size)
        keys = self._keys(searcher, result.hits)
        payloads = self.records.payloads_by_key(keys)
        generator = self._tantivy.SnippetGenerator.create(searcher, compiled, self.schema, SNIPPET_FIELD)
        generator.set_max_num_chars(240)
        hits = []
        for (score, _address), key in zip(result.hits, keys):
            if key not in payloads:  # deleted by retention between the search and the read
                continue
            post = rec.decode(payloads[key])
            found = generator.snippet_from_doc(self._tantivy.Document(**{SNIPPET_FIELD: post.text}))
            hits.append(Hit(post, snippet(found, post.text), float(score) if sort is Sort.RELEVANCE else None))
        return SearchResult(total=result.count, hits=hits, page=page, size=size)

    def aggregate(self, query: Query, aggregations: Mapping[str, Aggregation]) -> dict[str, AggResult]:
        searcher = self._searcher()
        compiled = compile_query(query, self.schema)
        native = {name: a for name, a in aggregations.items() if isinstance(a, (DateHistogram, Terms, Cardinality))}
        raw = searcher.aggregate(compiled, {n: aggs.request(a) for n, a in native.items()}) if native else {}
        out: dict[str, AggResult] = {}
        for name, agg in aggregations.items():
            if isinstance(agg, Count):
                out[name] = CountResult(self._count(searcher, compiled))
            elif isinstance(agg, SignificantTerms):
                out[name] = significant_terms(query, agg, self._sample_texts, self._counts)
            else:
                out[name] = aggs.result(agg, raw[name])
        return out

    def _sample_texts(self, query: Query, n: int) -> list[str]:
        searcher = self._searcher()
        result = self._top(searcher, compile_query(query, self.schema), Sort.NEWEST, 0, n)
        texts = []
        for payload in self.records.payloads_by_key(self._keys(searcher, result.hits)).values():
            post = rec.decode(payload)
            texts.append(f"{post.text}\n{post.title}" if post.title else post.text)
        return texts

    def _counts(self, queries: Sequence[Query]) -> list[int]:
        searcher = self._searcher()
        return [self._count(searcher, compile_query(q, self.schema)) for q in queries]

    def stats(self) -> StoreStats:
        oldest, newest = self.records.span()
        size = sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())
        as_time = lambda ts: None if ts is None else datetime.fromtimestamp(ts, timezone.utc)  # noqa: E731
        self._follow()
        docs = self._searcher().num_docs if not self._stale else 0
        return StoreStats("embedded", docs, size, as_time(oldest), as_time(newest), SCHEMA_VERSION, str(self.path))

    def wait_idle(self) -> None:
        """Let background segment merges finish (benchmarks and tests; closing does it too)."""
        with self._lock:
            if self._writer is not None:
                self._writer.wait_merging_threads()
                self._writer = None
