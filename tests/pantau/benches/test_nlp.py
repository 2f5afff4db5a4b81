"""``pantau bench nlp --json`` on a small SmSA-format folder: one object with the issue's keys."""

import json

import pytest
from click.testing import CliRunner

from nlp.sentiment import SHIPPED_DIR
from pantau.cli import cli

TRAIN = [("pelayanannya sangat bagus dan cepat", "positive"), ("petugasnya ramah , prosesnya mudah", "positive"),
         ("terima kasih , jalannya sudah mulus", "positive"), ("jalan rusak parah tidak diperbaiki", "negative"),
         ("petugasnya kasar dan pelayanannya lambat", "negative"), ("antre lama sekali , kecewa", "negative"),
         ("kantor samsat buka jam delapan", "neutral"), ("besok ada rapat di kecamatan", "neutral"),
         ("jadwal bus berubah mulai senin", "neutral")]
VALID = [("pelayanan cepat dan ramah", "positive"), ("jalan berlubang tidak diperbaiki", "negative"),
         ("kantor buka jam delapan", "neutral")]


@pytest.fixture
def smsa(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # built-in defaults: the shipped model
    monkeypatch.delenv("PANTAU_CONFIG", raising=False)
    for name, rows in (("train.tsv", TRAIN), ("valid.tsv", VALID)):
        (tmp_path / name).write_text("".join(f"{t}\t{lab}\n" for t, lab in rows), encoding="utf-8")
    return tmp_path


def test_one_json_object_with_the_issues_keys(smsa):
    result = CliRunner().invoke(cli, ["bench", "nlp", "--smsa", str(smsa), "--posts", "32", "--singles", "3", "--passes", "3",
                                      "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert {"posts_per_s", "single_p95_ms", "peak_rss_mb", "macro_f1", "baseline_macro_f1"} <= set(out)
    assert out["posts_per_s"] > 0 and out["single_p95_ms"] > 0 and 0 <= out["baseline_macro_f1"] <= 1
    assert len(out["posts_per_s_passes"]) == 3 and out["posts_per_s"] == sorted(out["posts_per_s_passes"])[1]
    assert out["model_version"] == json.loads((SHIPPED_DIR / "pantau.json").read_text())["version"]
    assert out["runtime"] == "OnnxClassifier + WideLinear"  # the shipped student and its linear model
    assert set(out["stages_us_per_post"]) >= {"sentiment", "normalise"}
