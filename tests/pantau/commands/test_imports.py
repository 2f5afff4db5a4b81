"""``pantau import`` of a large CSV killed mid-way (kill -9 of its whole process group) and run
again: it goes on after the last saved row, the spool holds every row exactly once."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawlers.spiders.import_ import import_mark
from crawlers.state import STATE_FILE, CrawlState
from pantau.config import load_config
from pantau.post import post_id
from pantau.spool import Spool

ROOT = Path(__file__).resolve().parents[3]
ROWS = 20000  # large enough that an idle machine is still mid-file when the first point is seen


def write_csv(path: Path, rows: int) -> set[str]:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "created_at"])
        for i in range(rows):
            writer.writerow([f"R{i}", f"Keluhan {i}: jalan rusak di Kota Semarang belum diperbaiki", f"2026-11-{1 + i % 20:02d} 08:{i % 60:02d}:00"])
    return {post_id("import", f"laporgub:R{i}") for i in range(rows)}


def pantau(config: Path, *args: str, **kwargs) -> list[str]:
    return [sys.executable, "-m", "pantau.cli", "--config", str(config), *args]


def spooled_ids(data_dir: Path) -> list[str]:
    with Spool(data_dir / "spool.sqlite3") as spool:
        return [row[0] for row in spool._db.execute("SELECT post_id FROM items")]


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, set[str]]:
    config = tmp_path / "pantau.toml"
    config.write_text('[paths]\ndata_dir = "data"\n[privacy]\nauthor_key = "k"\n', encoding="utf-8")
    big = tmp_path / "tickets.csv"
    return config, big, write_csv(big, ROWS)


@pytest.mark.slow
def test_a_killed_import_goes_on_after_the_rows_already_spooled(setup):
    config, big, expected = setup
    cfg = load_config(config, env={})
    mark = import_mark(big)
    first = subprocess.Popen(pantau(config, "-q", "import", str(big), "--source", "laporgub"), cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        saved = 0
        while saved == 0:  # kill at the first saved point
            assert first.poll() is None, "the import ended before it could be killed"
            assert time.monotonic() < deadline, "the import never saved a resume point"
            time.sleep(0.05)
            if (cfg.data_dir / STATE_FILE).exists():
                state = CrawlState(cfg.data_dir / STATE_FILE)
                saved = int(state.mark("import", mark) or 0)
                state.close()
        os.killpg(first.pid, signal.SIGKILL)  # the command and its crawl child, mid-file
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    state = CrawlState(cfg.data_dir / STATE_FILE)
    saved = int(state.mark("import", mark) or 0)
    state.close()
    before = set(spooled_ids(cfg.data_dir))
    # Killed mid-file: the saved point is short of the end. The spool may be ahead of the point
    # (a fast machine can spool every row before the kill lands); never behind it.
    assert 0 < saved < ROWS and saved <= len(before) <= ROWS

    rerun = subprocess.run(pantau(config, "import", str(big), "--source", "laporgub", "--json"), cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)["sources"][0]
    # Only the rows after the saved point were read again; those spooled before the kill are seen.
    assert report["kept"] + report["dropped"].get("duplicate", 0) == ROWS - saved
    # Posts spooled before the kill are seen and not handed over again, except at most the one
    # batch a kill could catch between the spool's commit and the seen marks (the spool absorbs it).
    assert 0 <= report["kept"] - len(expected - before) <= 200
    ids = spooled_ids(cfg.data_dir)
    assert len(ids) == len(set(ids)) == ROWS and set(ids) == expected

    again = subprocess.run(pantau(config, "import", str(big), "--source", "laporgub", "--json"), cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert json.loads(again.stdout)["sources"][0]["kept"] == 0  # a finished file is not read again


def test_progress_bar_counts_rows_and_ends_full(setup):
    config, _, _ = setup
    small = config.parent / "small.csv"
    write_csv(small, 450)
    done = subprocess.run(pantau(config, "import", str(small), "--source", "laporgub"), cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "120"})
    assert done.returncode == 0, done.stderr
    assert "importing small.csv" in done.stdout and "450/450" in done.stdout
