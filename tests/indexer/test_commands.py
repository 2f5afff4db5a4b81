"""``pantau search``, ``pantau index`` and ``pantau bench index`` through the real CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pantau.cli import cli
from indexer.embedded.store import EmbeddedStore
from tests.indexer.dataset import BY_KEY, POSTS


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "pantau.toml"
    path.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n')
    with EmbeddedStore(tmp_path / "data" / "store") as store:
        store.put_many(POSTS)
    return str(path)


def run(config: str, *args: str):
    result = CliRunner().invoke(cli, ["--config", config, "-q", *args], catch_exceptions=False)
    return result


def test_search_prints_local_time_source_region_sentiment_and_snippet(config):
    result = run(config, "search", '"antre lama"')
    assert result.exit_code == 0, result.output
    assert "1 posts match" in result.output
    assert "2025-03-10 09:00 WIB  playstore/playstore.example  3374 Kota Semarang  negative" in result.output
    assert "Antre lama sekali di Samsat" in result.output


def test_search_json_with_since_and_limit(config):
    result = run(config, "search", "jalan", "--since", "2025-03-09", "--limit", "2", "--sort", "newest", "--json")
    data = json.loads(result.output)
    assert data["total"] == 3  # p1, p8, p9
    assert [h["id"] for h in data["hits"]] == [BY_KEY["p9"].id, BY_KEY["p8"].id]
    assert data["hits"][0]["published_at"] == "2025-03-10T07:30:00+07:00"
    assert "<mark>jalan</mark>" in data["hits"][0]["snippet_html"]


def test_search_syntax_error_is_one_line_naming_the_position(config, capsys):
    from pantau.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["--config", config, "search", "kota:semarang"])
    assert exited.value.code == 2
    assert "query syntax error at 0: expected a known field" in capsys.readouterr().err


def test_index_stats_and_rebuild(config):
    stats = json.loads(run(config, "index", "stats", "--json").output)
    assert stats["docs"] == len(POSTS) and stats["backend"] == "embedded"
    result = run(config, "index", "rebuild")
    assert result.exit_code == 0 and f"reindexed {len(POSTS)} posts" in result.output
    assert json.loads(run(config, "index", "stats", "--json").output)["docs"] == len(POSTS)


def test_index_prune(config):
    result = run(config, "index", "prune", "--days", "10000")
    assert "deleted 0 posts" in result.output
    result = run(config, "index", "prune", "--days", "1")
    assert f"deleted {len(POSTS)} posts" in result.output


def test_bench_index_prints_the_promised_keys(tmp_path):
    result = CliRunner().invoke(cli, ["bench", "index", "--docs", "1000", "--queries", "20", "--workdir", str(tmp_path), "--json"],
                                catch_exceptions=False)
    data = json.loads(result.output)
    keys = {"docs", "ingest_docs_per_s", "size_mb", "search_p50_ms", "search_p95_ms", "agg_p50_ms", "agg_p95_ms", "peak_rss_mb"}
    assert keys <= set(data) and keys <= set(data["fts5"])
    assert data["docs"] == data["fts5"]["docs"] == 1000
    assert data["size_mb"] > 0 and data["ingest_docs_per_s"] > 0
