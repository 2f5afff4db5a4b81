"""Every crawl cycle's per-source report, kept in ``<data_dir>/crawl-history.sqlite3`` so the
dashboard's sources page can show the last crawl, posts collected, and failures with their
reasons (the crawl itself runs in a short-lived child process that keeps nothing)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from crawlers.report import CrawlReport, SourceReport

HISTORY_FILE = "crawl-history.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    source TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    report TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_source ON runs (source, finished_at);
"""


@dataclass(frozen=True)
class SourceRun:
    finished_at: datetime
    report: SourceReport


def _connect(data_dir: Path) -> sqlite3.Connection:
    data_dir.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(data_dir / HISTORY_FILE, timeout=30)
    db.executescript(_SCHEMA)
    return db


def record_crawl(data_dir: Path, report: CrawlReport, finished_at: datetime | None = None) -> None:
    """Keep the report of a real (not dry-run) crawl cycle."""
    if report.dry_run:
        return
    when = (finished_at or datetime.now(timezone.utc)).isoformat()
    with _connect(data_dir) as db:
        db.executemany(
            "INSERT INTO runs (source, finished_at, report) VALUES (?, ?, ?)",
            [(s.source, when, json.dumps(s.to_dict())) for s in report.sources],
        )
    db.close()


def latest_runs(data_dir: Path) -> dict[str, SourceRun]:
    """The newest run of each source that ever ran; empty when nothing was crawled."""
    if not (data_dir / HISTORY_FILE).exists():
        return {}
    db = _connect(data_dir)
    try:
        rows = db.execute(
            "SELECT source, MAX(finished_at), report FROM runs GROUP BY source ORDER BY source"
        ).fetchall()
    finally:
        db.close()
    return {
        source: SourceRun(datetime.fromisoformat(at), SourceReport.from_dict(json.loads(report)))
        for source, at, report in rows
    }
