"""The age of each stage's last success, kept in ``<data_dir>/health.json`` by the daemon and
read by the dashboard's ``/health`` endpoint (the two may be different processes)."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

HEALTH_FILE = "health.json"


def record_success(data_dir: Path, stage: str, when: datetime | None = None) -> None:
    """Note that ``stage`` (crawl:news, process, alerts, retention, ...) just succeeded."""
    path = Path(data_dir) / HEALTH_FILE
    state = read_health(data_dir)
    state[stage] = (when or datetime.now(timezone.utc)).isoformat()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".health-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(state, handle, indent=1, sort_keys=True)
    os.replace(tmp, path)  # atomic: readers never see half a file


def read_health(data_dir: Path) -> dict[str, str]:
    try:
        return json.loads((Path(data_dir) / HEALTH_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def stage_ages(data_dir: Path, now: datetime | None = None) -> dict[str, float]:
    """Seconds since each stage's last success."""
    now = now or datetime.now(timezone.utc)
    return {stage: round((now - datetime.fromisoformat(at)).total_seconds(), 1) for stage, at in read_health(data_dir).items()}
