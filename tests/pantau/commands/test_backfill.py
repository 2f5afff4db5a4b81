"""``pantau backfill`` as an operator runs it, against a hand-written Mastodon timeline served
on loopback: killed with kill -9 mid-way (its whole process group) and run again, it goes on
from the saved page, spools every status back to --since exactly once, and leaves the normal
crawl's high-water mark where the normal crawl put it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawlers.backfill import BACKFILL_PREFIX, Resume
from crawlers.spiders.mastodon import timeline_key
from crawlers.state import STATE_FILE, CrawlState
from pantau.config import load_config
from pantau.post import post_id
from pantau.spool import Spool
from tests.crawlers.backfill_site import write_timeline

ROOT = Path(__file__).resolve().parents[3]
STATUSES = 3000


def pantau(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "pantau.cli", "--config", str(config), *args]


def spooled(data_dir: Path) -> list[str]:
    with Spool(data_dir / "spool.sqlite3") as spool:
        return [row[0] for row in spool._db.execute("SELECT post_id FROM items")]


def point(data_dir: Path) -> tuple[str, Resume] | None:
    if not (data_dir / STATE_FILE).exists():
        return None
    state = CrawlState(data_dir / STATE_FILE)
    try:
        marks = state.marks("mastodon", BACKFILL_PREFIX)
    finally:
        state.close()
    return next(((k, Resume.from_json(v)) for k, v in marks.items()), None)


@pytest.fixture
def site(tmp_path: Path, serve_folder):
    now = datetime.now(timezone.utc).replace(microsecond=0)
    timeline = write_timeline(tmp_path / "site", "jateng", STATUSES, now - timedelta(minutes=5), timedelta(minutes=10))
    server = serve_folder(tmp_path / "site")
    config = tmp_path / "pantau.toml"
    config.write_text(f"""[paths]
data_dir = "data"
[privacy]
author_key = "k"
[crawl]
download_delay_s = 0.0
[sources.mastodon]
instances = ["{server.url('mastodon')}"]
tags = ["jateng"]
""", encoding="utf-8")
    return config, server, timeline, now


@pytest.mark.slow
def test_backfill_killed_mid_way_resumes_and_spools_each_status_once(site):
    config, server, timeline, now = site
    cfg = load_config(config, env={})
    normal = subprocess.run(pantau(config, "crawl", "mastodon"), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert normal.returncode == 0, normal.stderr
    key = timeline_key(server.url("mastodon"), "jateng")
    state = CrawlState(cfg.data_dir / STATE_FILE)
    high_water = state.mark("mastodon", key)
    state.close()
    assert high_water == timeline.uris[0].rsplit("/", 1)[1]

    since = now - timedelta(days=15)
    wanted = {post_id("mastodon", uri) for uri, at in zip(timeline.uris, timeline.times) if at >= since}
    args = ("backfill", "mastodon", "--since", since.isoformat())
    first = subprocess.Popen(pantau(config, *args), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while (found := point(cfg.data_dir)) is None or found[1].pages < 5:
            assert first.poll() is None, "the backfill ended before it could be killed"
            assert time.monotonic() < deadline, "the backfill saved no point"
            time.sleep(0.02)
        os.killpg(first.pid, signal.SIGKILL)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    _, saved = point(cfg.data_dir)
    assert not saved.reached(since), "killed too late to test a resume"
    before = set(spooled(cfg.data_dir))
    asked = len(server.requests)

    rerun = subprocess.run(pantau(config, *args, "--json"), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    out = json.loads(rerun.stdout)
    assert server.requests[asked].endswith(f"max_id={saved.cursor}")  # went on from the saved page
    report = out["sources"][0]
    assert 0 <= report["kept"] - len(wanted - before) <= 40  # at most the page a kill caught before its seen marks
    resumed = out["points"][key]
    assert Resume(**resumed).reached(since) and resumed["posts"] >= len(wanted) - 40

    ids = spooled(cfg.data_dir)
    assert len(ids) == len(set(ids))
    assert set(ids) == wanted | {post_id("mastodon", uri) for uri in timeline.uris[:40]}  # + the normal crawl's page
    state = CrawlState(cfg.data_dir / STATE_FILE)
    assert state.mark("mastodon", key) == high_water  # the normal crawl's mark did not move
    state.close()

    again = subprocess.run(pantau(config, *args, "--json"), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert json.loads(again.stdout)["sources"][0]["requests"] == 0  # nothing left to fetch


def test_a_source_that_cannot_go_back_that_far_says_so(tmp_path):
    config = tmp_path / "pantau.toml"
    config.write_text('[paths]\ndata_dir = "data"\n[sources.x]\nenabled = true\n', encoding="utf-8")
    since = (datetime.now(timezone.utc) - timedelta(days=30)).date().isoformat()
    done = subprocess.run(pantau(config, "backfill", "x", "--since", since), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "recent search reaches back 7 days only" in done.stderr
    assert done.returncode == 1 and "no bearer token" in done.stderr + done.stdout


def test_since_must_be_a_past_date(tmp_path):
    config = tmp_path / "pantau.toml"
    config.write_text('[paths]\ndata_dir = "data"\n', encoding="utf-8")
    done = subprocess.run(pantau(config, "backfill", "mastodon", "--since", "kemarin"), cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "is not a date" in done.stderr


@pytest.mark.slow
def test_ctrl_c_stops_with_the_point_saved_and_a_rerun_finishes(site):
    config, server, timeline, now = site
    cfg = load_config(config, env={})
    since = now - timedelta(days=15)
    wanted = {post_id("mastodon", uri) for uri, at in zip(timeline.uris, timeline.times) if at >= since}
    args = ("backfill", "mastodon", "--since", since.isoformat())
    first = subprocess.Popen(pantau(config, *args), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while (found := point(cfg.data_dir)) is None or found[1].pages < 3:
            assert first.poll() is None, "the backfill ended before Ctrl-C"
            assert time.monotonic() < deadline, "the backfill saved no point"
            time.sleep(0.02)
        os.killpg(first.pid, signal.SIGINT)  # Ctrl-C in a terminal reaches the whole foreground group
        _, err = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
    assert first.returncode == 130 and "run `pantau backfill mastodon" in err, err
    _, saved = point(cfg.data_dir)
    assert not saved.reached(since)
    rerun = subprocess.run(pantau(config, *args, "--json"), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    ids = spooled(cfg.data_dir)
    assert len(ids) == len(set(ids)) and set(ids) == wanted
