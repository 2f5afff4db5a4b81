"""The embedded store (the default): tantivy for search and aggregations, SQLite for the records.

Layout of the store directory: ``records.sqlite3`` (records, replay journal, schema version)
and ``index-v<N>/`` (the tantivy index of schema version N).

Concurrency: any number of processes may open the store and read; the first write in a process
takes tantivy's writer lock (a second writing process gets ``StoreUnavailable``). Readers
reload when the index's ``meta.json`` changes, so the dashboard sees the daemon's commits.

Durability: ``put_many`` commits the records and a journal of their ids to SQLite, then commits
the index, then clears the journal (see ``recorddb.py``); a writer replays what the journal still
holds when it starts. ``put_many`` returns only after both commits.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pantau.errors import StoreUnavailable
from pantau.post import Post
from indexer import records as rec
from indexer.embedded import aggs
from indexer.embedded.compile import compile_query
from indexer.embedded.recorddb import RecordDB
from indexer.embedded.schema import SCHEMA_VERSION, SNIPPET_FIELD, build_schema
from indexer.embedded.snippets import snippet
from indexer.query import DateRange, Query
from indexer.significant import significant_terms
from indexer.store import (
    AggResult, Aggregation, Cardinality, Count, CountResult, DateHistogram, Hit, SearchResult, SignificantTerms, Sort,
    StoreStats, Terms,
)

BATCH = 50_000


class EmbeddedStore:
    def __init__(self, path: Path, tz: str = "Asia/Jakarta", writer_heap_bytes: int = 256_000_000) -> None:
        import tantivy

        self._tantivy = tantivy
        self.path = Path(path)
        self.tz = tz
        self._heap = writer_heap_bytes
        self.path.mkdir(parents=True, exist_ok=True)
        self.records = RecordDB(self.path / "records.sqlite3")
        self.index_dir = self.path / f"index-v{SCHEMA_VERSION}"
        missing = not self.index_dir.exists()
        self.index_dir.mkdir(exist_ok=True)
        stored = self.records.meta("schema_version")
        if (stored not in (None, str(SCHEMA_VERSION))) or (missing and self.records.count()):
            self.records.set_meta("needs_rebuild", f"index of schema v{stored}, not v{SCHEMA_VERSION}")
        elif stored is None:
            self.records.set_meta("schema_version", str(SCHEMA_VERSION))
        reason = self.records.meta("needs_rebuild")
        self._stale = f"the index of {self.path} cannot serve ({reason}); run `pantau index rebuild`" if reason else ""
        self.schema = build_schema()
        try:
            self.index = tantivy.Index(self.schema, path=str(self.index_dir), reuse=True)
        except ValueError as exc:
            raise StoreUnavailable(f"cannot open the index at {self.index_dir}: {exc}; run `pantau index rebuild`") from exc
        self._writer = None
        self._replayed = 0
        self._lock = threading.Lock()
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
            self.records.close()

    def _index_mtime(self) -> int:
        try:
            return os.stat(self.index_dir / "meta.json").st_mtime_ns
        except FileNotFoundError:
            return 0

    def _searcher(self):
        if self._stale:
            raise StoreUnavailable(self._stale)
        mtime = self._index_mtime()
        if mtime != self._meta_mtime:
            self._meta_mtime = mtime
            self.index.reload()
        return self.index.searcher()

    def _writer_locked(self):
        """The index writer (the caller holds ``_lock``); replays the journal on first use."""
        if self._stale:
            raise StoreUnavailable(self._stale)
        if self._writer is None:
            try:
                self._writer = self.index.writer(heap_size=self._heap)
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
            for post_id, payload in self.records.payloads_between(first, last):
                self._writer.delete_documents_by_term("id", post_id)
                self._writer.add_json(rec.encode(rec.decode(payload)))  # as this version indexes it
                replayed += 1
            self._commit()
            self.records.settle(first, last)
        return replayed

    # -- writing ----------------------------------------------------------------------------
    def put_many(self, posts: Iterable[Post]) -> int:
        unique = list({p.id: p for p in posts}.values())
        with self._lock:
            writer = self._writer_locked()
            try:
                for start in range(0, len(unique), BATCH):
                    self._put_batch(writer, unique[start:start + BATCH])
            except BaseException:
                self._drop_writer()  # the next write takes the lock afresh and replays the journal
                raise
        return len(unique)

    def _put_batch(self, writer, batch: list[Post]) -> None:
        existing = self.records.existing([p.id for p in batch])
        payloads = [rec.encode(p) for p in batch]
        run = self.records.write([(p.id, p.published_at.timestamp(), j) for p, j in zip(batch, payloads)])
        for post_id in existing:
            writer.delete_documents_by_term("id", post_id)
        for payload in payloads:
            writer.add_json(payload)
        self._commit()
        self.records.settle(*run)

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

    def rebuild(self, progress=None) -> int:
        """Reindex every stored record in one commit (readers see the old index until it lands)."""
        with self._lock:
            self._stale = ""
            writer = self._writer_locked()
            writer.delete_all_documents()
            total, done = self.records.count(), 0
            for payloads in self.records.iter_payloads():
                for payload in payloads:
                    writer.add_json(rec.encode(rec.decode(payload)))  # records of older versions too
                done += len(payloads)
                if progress:
                    progress(done, total)
            self._commit()
            for run in self.records.journal():
                self.records.settle(*run)
            self.records.set_meta("schema_version", str(SCHEMA_VERSION))
            self.records.delete_meta("needs_rebuild")
            return done

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
            ids = [searcher.doc(address)["id"][0] for _score, address in result.hits]
            payloads = self.records.payloads(ids)
            yield from (rec.decode(payloads[i]) for i in ids if i in payloads)
            if len(ids) < batch:
                return
            offset += batch

    def count(self, query: Query) -> int:
        return self._count(self._searcher(), compile_query(query, self.schema))

    @staticmethod
    def _count(searcher, compiled) -> int:
        return searcher.search(compiled, limit=1, count=True).count

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
        ids = [searcher.doc(address)["id"][0] for _score, address in result.hits]
        payloads = self.records.payloads(ids)
        generator = self._tantivy.SnippetGenerator.create(searcher, compiled, self.schema, SNIPPET_FIELD)
        generator.set_max_num_chars(240)
        hits = []
        for (score, _address), post_id in zip(result.hits, ids):
            if post_id not in payloads:  # deleted by retention between the search and the read
                continue
            post = rec.decode(payloads[post_id])
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
        ids = [searcher.doc(address)["id"][0] for _score, address in result.hits]
        texts = []
        for payload in self.records.payloads(ids).values():
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
        docs = self._searcher().num_docs if not self._stale else 0
        return StoreStats("embedded", docs, size, as_time(oldest), as_time(newest), SCHEMA_VERSION, str(self.path))

    def wait_idle(self) -> None:
        """Let background segment merges finish (benchmarks and tests; closing does it too)."""
        with self._lock:
            if self._writer is not None:
                self._writer.wait_merging_threads()
                self._writer = None
