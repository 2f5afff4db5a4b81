"""``pantau bench index --docs N --json``: the embedded store against a SQLite FTS5 baseline.

Each engine runs in its own child process (so ``peak_rss_mb`` is its own) over the same
synthetic posts (``indexer/synthetic.py``) and the same workload: ingest in batches of 50,000 (one commit each),
then top-20 keyword searches with a 30-day date filter (with snippets and the records read
back), then day x sentiment aggregations filtered by a keyword. Keywords are drawn from ranks
30-3000 of the Zipf vocabulary, the same draws for both engines.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import resource
import shutil
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

BATCH = 50_000
WIB_OFFSET_S = 7 * 3600


def _workload(queries: int, now) -> list[tuple[str, Any, Any]]:
    from indexer.synthetic import vocabulary

    rng = random.Random(42)
    words = vocabulary()[30:3000]
    out = []
    for _ in range(queries):
        end = now - timedelta(days=rng.randrange(60))
        out.append((rng.choice(words), end - timedelta(days=30), end))
    return out


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return round(statistics.median(ordered) * 1000, 3), round(p95 * 1000, 3)


def _timed(fn, items) -> list[float]:
    for item in items[:10]:  # warm caches before measuring
        fn(item)
    samples = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        samples.append(time.perf_counter() - start)
    return samples


def _run_engine(engine: str, docs: int, queries: int, workdir: str) -> dict[str, Any]:
    from indexer.query import DateRange, Term, all_of
    from indexer.store import DateHistogram, Terms
    from indexer.synthetic import PostFactory

    factory = PostFactory()
    path = Path(workdir) / engine
    if engine == "embedded":
        from indexer.embedded.store import EmbeddedStore

        store = EmbeddedStore(path)
        put = store.put_many
        search = lambda q: store.search(all_of(Term(q[0]), DateRange(q[1], q[2])), size=20)  # noqa: E731
        agg = lambda q: store.aggregate(Term(q[0]), {"d": DateHistogram("day", sub={"s": Terms("sentiment", size=3)})})  # noqa: E731
    else:
        from indexer.baseline import Fts5Baseline

        path.mkdir(parents=True)
        store = Fts5Baseline(path / "fts5.sqlite3")
        put = store.put_many
        search = lambda q: store.search(q[0], q[1], q[2])  # noqa: E731
        agg = lambda q: store.day_by_sentiment(q[0], WIB_OFFSET_S)  # noqa: E731
    spent = 0.0
    for batch in factory.batches(docs, BATCH):
        start = time.perf_counter()
        put(batch)
        spent += time.perf_counter() - start
    if engine == "embedded":
        start = time.perf_counter()
        store.wait_idle()  # background merges are part of the ingest cost
        spent += time.perf_counter() - start
    work = _workload(queries, factory.now)
    search_p50, search_p95 = _percentiles(_timed(search, work))
    agg_p50, agg_p95 = _percentiles(_timed(agg, work))
    store.close()
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return {
        "docs": docs, "ingest_docs_per_s": round(docs / spent), "size_mb": round(size / 2**20, 1),
        "search_p50_ms": search_p50, "search_p95_ms": search_p95, "agg_p50_ms": agg_p50, "agg_p95_ms": agg_p95,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _in_child(engine: str, docs: int, queries: int, workdir: str) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        return pool.apply(_run_engine, (engine, docs, queries, workdir))


@click.command(name="index")
@click.option("--docs", type=click.IntRange(min=1000), default=100_000, show_default=True, help="Posts to generate.")
@click.option("--queries", type=click.IntRange(min=20), default=200, show_default=True, help="Searches and aggregations timed.")
@click.option("--workdir", type=click.Path(file_okay=False), default=None, help="Where to build the indexes (default: a temp dir, removed after).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command(docs: int, queries: int, workdir: str | None, as_json: bool) -> None:
    """Ingest, search and aggregation speed of the embedded store vs SQLite FTS5."""
    base = Path(tempfile.mkdtemp(prefix="pantau-bench-", dir=workdir))
    try:
        result = _in_child("embedded", docs, queries, str(base))
        result["fts5"] = _in_child("fts5", docs, queries, str(base))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    result["search_speedup_vs_fts5"] = round(result["fts5"]["search_p95_ms"] / max(result["search_p95_ms"], 1e-6), 1)
    if as_json:
        click.echo(json.dumps(result))
        return
    for key, value in result.items():
        click.echo(f"{key:26} {value}")
