"""`pantau crawl` and `pantau import` as an operator runs them."""

from __future__ import annotations

import json
import subprocess
import sys

from pantau.spool import Spool
from tests.crawlers.conftest import sources_toml
from tests.crawlers.helpers import FILES


def pantau(tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pantau.cli", "--config", str(tmp_path / "pantau.toml"), *args],
                          capture_output=True, text=True, timeout=240)


def write_config(tmp_path, extra: str) -> None:
    (tmp_path / "pantau.toml").write_text(f'[paths]\ndata_dir = "data"\n[privacy]\nauthor_key = "k"\n{extra}', encoding="utf-8")


def test_crawl_dry_run_prints_counts_and_spools_nothing(tmp_path, file_server):
    write_config(tmp_path, sources_toml(file_server))
    done = pantau(tmp_path, "crawl", "x", "mastodon", "--dry-run", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["dry_run"] and {s["source"]: s["kept"] + s["dropped"].get("irrelevant", 0) for s in report["sources"]} == {"x": 3, "mastodon": 2}
    assert not (tmp_path / "data" / "spool.sqlite3").exists()


def test_crawl_exits_non_zero_when_a_source_failed_entirely(tmp_path, file_server):
    write_config(tmp_path, sources_toml(file_server).replace('bearer_token = "AAAATEST"', 'bearer_token = ""'))
    done = pantau(tmp_path, "crawl", "x", "mastodon")
    assert done.returncode == 1
    assert "failed entirely: x" in done.stderr and "PANTAU_X_BEARER_TOKEN" in done.stderr
    assert "mastodon" in done.stdout and "FAILED" in done.stdout


def test_crawl_unknown_source_is_a_one_line_error(tmp_path):
    write_config(tmp_path, "")
    done = pantau(tmp_path, "crawl", "facebook")
    assert done.returncode == 2 and done.stderr.strip().startswith("error: unknown source facebook")


def test_import_csv_into_the_spool(tmp_path):
    mapping = '[sources.import]\ncolumns = { native_id = "No Tiket", text = "Isi Laporan", published_at = "Tanggal Lapor" }\n'
    write_config(tmp_path, mapping)
    done = pantau(tmp_path, "import", str(FILES / "import/laporgub.csv"), "--source", "laporgub", "--json")
    assert done.returncode == 0, done.stderr
    (report,) = json.loads(done.stdout)["sources"]
    assert (report["kept"], report["errors"]) == (3, {"row": 1})
    with Spool(tmp_path / "data" / "spool.sqlite3") as spool:
        assert {p.site for p in spool.claim(10).posts} == {"laporgub"}
    again = json.loads(pantau(tmp_path, "import", str(FILES / "import/laporgub.csv"), "--source", "laporgub", "--json").stdout)
    # the whole file was handled: a rerun reads no row again (nothing kept, nothing to drop)
    assert again["sources"][0]["kept"] == 0 and again["sources"][0]["dropped"] == {} and again["sources"][0]["errors"] == {}


def test_import_with_wrong_mapping_fails(tmp_path):
    write_config(tmp_path, "")
    done = pantau(tmp_path, "import", str(FILES / "import/laporgub.csv"), "--source", "laporgub")
    assert done.returncode == 1 and "fix [sources.import] columns" in done.stderr
