from datetime import datetime, timedelta, timezone

from pantau.health import read_health, record_success, stage_ages


def test_records_and_ages_per_stage(tmp_path):
    now = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)
    record_success(tmp_path, "process", now - timedelta(seconds=30))
    record_success(tmp_path, "crawl:news", now - timedelta(minutes=5))
    record_success(tmp_path, "process", now - timedelta(seconds=10))
    assert stage_ages(tmp_path, now) == {"process": 10.0, "crawl:news": 300.0}


def test_missing_or_broken_file_reads_as_empty(tmp_path):
    assert read_health(tmp_path) == {}
    (tmp_path / "health.json").write_text("{half", encoding="utf-8")
    assert read_health(tmp_path) == {}
