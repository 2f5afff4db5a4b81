"""``pantau taxonomy check|show|match`` with the bundled and a configured taxonomy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pantau.cli import cli


@pytest.fixture(autouse=True)
def default_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PANTAU_CONFIG", raising=False)


def test_check_reports_the_bundled_taxonomy() -> None:
    result = CliRunner().invoke(cli, ["taxonomy", "check"])
    assert result.exit_code == 0, result.output
    assert "17 topics, 17 agencies" in result.output and result.output.strip().endswith("OK")


def test_check_names_the_wrong_file_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[agencies.bpbd]\nname = "BPBD"\nshort = "BPBD"\n[topics.flood]\nname_id = "Banjir"\n'
                   'name_en = "Flood"\nagency = "bnpb"\nkeywords = ["banjir"]\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["taxonomy", "check", str(bad)])
    assert result.exit_code != 0
    assert f"{bad}: topics.flood.agency: unknown agency 'bnpb'" in str(result.exception)


def test_show_json_lists_topics_with_their_agency() -> None:
    result = CliRunner().invoke(cli, ["taxonomy", "show", "--json"])
    data = json.loads(result.output)
    assert data["topics"]["water"]["agency"] == "pdam"
    assert data["agencies"]["satpol-pp"]["short"] == "Satpol PP"


def test_match_reads_stdin_and_prints_topics_and_agencies() -> None:
    result = CliRunner().invoke(cli, ["taxonomy", "match"], input="jalan rusak, PDAM juga mati\nselamat pagi\n")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["topics"] for line in lines] == [["roads", "water"], []]
    assert lines[0]["agencies"] == ["dpu-bina-marga", "pdam"]
