"""``pantau bench dashboard --json``: dashboard server time at scale, and concurrent users.

1. Builds an embedded store of ``--docs`` synthetic posts (``indexer/synthetic.py``, 90 days)
   through ``open_store`` (kept and reused when ``--workdir`` already holds that many).
2. Server time: the overview page (ranges 24h/7d/30d/90d in turn) and search pages (a
   Zipf-ranked word, with facet filters, sorts and pages in turn), requested in-process through
   the whole ASGI app (auth, queries, templates), ``--requests`` of each after a warm-up. The
   overview is timed with its cache off (``overview_p95_ms``: every request aggregates) and on
   (``overview_cached_p95_ms``: what users of one scope see within ``cache_seconds``).
3. Concurrency: ``pantau serve`` as one uvicorn process on loopback, ``--users`` signed-in
   clients (one thread each) requesting overview and search pages as fast as they can;
   latency is measured by the clients (network and queueing included).
"""

from __future__ import annotations

import json
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import click

PASSWORD = "bench-password-123"
SEARCH_FILTERS = ("", "sentiment:negative", "kind:complaint", "source:news")
SORTS = ("newest", "relevance", "oldest")
RANGES = ("24h", "7d", "30d", "90d")


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return round(statistics.median(ordered) * 1000, 1), round(p95 * 1000, 1)


def _build(cfg: Any, docs: int) -> float:
    """Fill the store up to ``docs`` posts; returns the seconds spent (0 when reused)."""
    from indexer.factory import open_store
    from indexer.synthetic import PostFactory

    with open_store(cfg) as store:
        if store.stats().docs >= docs:
            return 0.0
        start = time.perf_counter()
        for batch in PostFactory(days=90, seed=1).batches(docs, 50_000):
            store.put_many(batch)
    return time.perf_counter() - start


def _urls(n: int, seed: int) -> tuple[list[str], list[str]]:
    from urllib.parse import urlencode

    from indexer.synthetic import vocabulary

    rng = random.Random(seed)
    words = vocabulary()[30:3000]
    overview = [f"/?range={RANGES[i % len(RANGES)]}" for i in range(n)]
    search = []
    for i in range(n):
        params = [("q", rng.choice(words)), ("sort", SORTS[i % len(SORTS)]), ("page", str(1 + i % 3))]
        if SEARCH_FILTERS[i % len(SEARCH_FILTERS)]:
            params.append(("f", SEARCH_FILTERS[i % len(SEARCH_FILTERS)]))
        search.append("/search?" + urlencode(params))
    return overview, search


def _login(client: Any) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    done = client.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
    if done.status_code != 200 or "/login" in str(done.url):
        raise click.ClickException(f"bench login failed: {done.status_code}")


def _timed(client: Any, urls: list[str]) -> list[float]:
    for url in urls[:5]:
        client.get(url)
    samples = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise click.ClickException(f"{url}: HTTP {response.status_code}")
    return samples


def _server_time(cfg: Any, requests: int) -> dict[str, Any]:
    import dataclasses

    from fastapi.testclient import TestClient

    from dashboard.app import create_app

    overview, search = _urls(requests, seed=3)
    result: dict[str, Any] = {}
    uncached = dataclasses.replace(cfg, dashboard=dataclasses.replace(cfg.dashboard, cache_seconds=0))
    with TestClient(create_app(uncached), base_url="http://bench") as client:
        _login(client)
        samples = _timed(client, overview)
        result["overview_p50_ms"], result["overview_p95_ms"] = _percentiles(samples)
        result["overview_p95_ms_by_range"] = {r: _percentiles(samples[i::len(RANGES)])[1] for i, r in enumerate(RANGES)}
        result["search_p50_ms"], result["search_p95_ms"] = _percentiles(_timed(client, search))
    with TestClient(create_app(cfg), base_url="http://bench") as client:
        _login(client)
        result["overview_cached_p50_ms"], result["overview_cached_p95_ms"] = _percentiles(_timed(client, overview))
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _concurrent(config_file: Path, users: int, per_user: int) -> dict[str, Any]:
    import httpx

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "pantau.cli", "--config", str(config_file), "-q", "serve",
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise click.ClickException(f"pantau serve did not start: {server.stderr.read().decode()[-500:]}")
            time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as warm:
            _login(warm)  # first pages load the taxonomy and gazetteer: not the steady state
            for url in [u for pair in zip(*_urls(4, seed=99)) for u in pair]:
                warm.get(url)
        samples: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        start_line = threading.Barrier(users)

        def user(n: int) -> None:
            overview, search = _urls(per_user, seed=100 + n)
            urls = [u for pair in zip(overview, search) for u in pair][:per_user]
            with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client:
                try:
                    _login(client)
                finally:
                    start_line.wait()
                for url in urls:
                    began = time.perf_counter()
                    response = client.get(url)
                    took = time.perf_counter() - began
                    with lock:
                        samples.append(took)
                        if response.status_code != 200:
                            errors.append(f"{url}: {response.status_code}")

        began = time.perf_counter()
        threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=30)
    if not samples:
        raise click.ClickException("no request of the concurrent users succeeded (see the server's log)")
    p50, p95 = _percentiles(samples)
    return {"concurrent_users": users, "concurrent_requests": len(samples), "concurrent_errors": len(errors),
            "concurrent_p50_ms": p50, "concurrent_p95_ms": p95, "concurrent_rps": round(len(samples) / elapsed, 1)}


@click.command(name="dashboard")
@click.option("--docs", type=click.IntRange(min=1000), default=1_000_000, show_default=True, help="Posts in the store.")
@click.option("--requests", type=click.IntRange(min=20), default=200, show_default=True,
              help="Overview and search pages timed (each).")
@click.option("--users", type=click.IntRange(min=1), default=20, show_default=True, help="Simultaneous users.")
@click.option("--per-user", type=click.IntRange(min=2), default=20, show_default=True, help="Pages each user requests.")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep the store here and reuse it on the next run (default: a temp dir, removed after).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command(docs: int, requests: int, users: int, per_user: int, workdir: Path | None, as_json: bool) -> None:
    """Overview and search server time at DOCS posts, and USERS concurrent users on one process."""
    from dashboard.db import FILE_NAME, Database
    from dashboard.users import UserStore
    from pantau.config import load_config

    import logging

    for name in ("httpx", "httpx2"):
        logging.getLogger(name).setLevel(logging.WARNING)
    base = workdir or Path(tempfile.mkdtemp(prefix="pantau-bench-dashboard-"))
    try:
        base.mkdir(parents=True, exist_ok=True)
        config_file = base / "pantau.toml"
        config_file.write_text('[paths]\ndata_dir = "data"\n[dashboard]\nsecure_cookies = false\n'
                               'secret_key = "bench-only-secret"\n', encoding="utf-8")
        cfg = load_config(config_file, env={})
        build_s = _build(cfg, docs)
        users_db = UserStore(Database(cfg.data_dir / FILE_NAME))
        if users_db.get("bench") is None:
            users_db.add("bench", PASSWORD, "analyst")
        result: dict[str, Any] = {"docs": docs, "build_s": round(build_s, 1)}
        result.update(_server_time(cfg, requests))
        result.update(_concurrent(config_file, users, per_user))
    finally:
        if workdir is None:
            shutil.rmtree(base, ignore_errors=True)
    if as_json:
        click.echo(json.dumps(result))
        return
    for key, value in result.items():
        click.echo(f"{key:22} {value}")
