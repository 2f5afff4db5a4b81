"""``pantau model eval`` and ``pantau model predict`` with the shipped model."""

import json

import pytest
from click.testing import CliRunner

from nlp.sentiment import SHIPPED_DIR
from nlp.training.smsa import DatasetError
from pantau.cli import cli

LINES = [("pelayanannya sangat bagus dan cepat", "positive"), ("jalan rusak parah tidak diperbaiki", "negative"),
         ("makanannya enak sekali , tempatnya nyaman", "positive"), ("petugasnya kasar dan pelayanannya lambat", "negative")]


@pytest.fixture(autouse=True)
def default_config(tmp_path, monkeypatch):
    """Built-in defaults: the shipped model, whatever pantau.toml the working directory has."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PANTAU_CONFIG", raising=False)


def run(args, stdin=None):
    result = CliRunner().invoke(cli, args, input=stdin, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_eval_json_on_smsa_file(tmp_path):
    data = tmp_path / "few.tsv"
    data.write_text("".join(f"{t}\t{lab}\n" for t, lab in LINES), encoding="utf-8")
    out = json.loads(run(["model", "eval", "--data", str(data), "--json"]))
    assert set(out) == {"n", "accuracy", "macro_f1", "per_class", "posts_per_s", "model_version"}
    assert out["n"] == 4 and out["accuracy"] == 1.0
    assert out["per_class"]["positive"]["support"] == 2 and out["per_class"]["neutral"]["support"] == 0
    assert out["posts_per_s"] > 0
    assert out["model_version"] == json.loads((SHIPPED_DIR / "pantau.json").read_text())["version"]


def test_eval_jsonl_and_bad_file(tmp_path):
    data = tmp_path / "few.jsonl"
    data.write_text("".join(json.dumps({"text": t, "label": lab}) + "\n" for t, lab in LINES), encoding="utf-8")
    assert json.loads(run(["model", "eval", "--data", str(data), "--format", "jsonl", "--json"]))["n"] == 4
    data.write_text("not json\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["model", "eval", "--data", str(data), "--format", "jsonl"])
    assert isinstance(result.exception, DatasetError) and "few.jsonl:1: not JSON" in str(result.exception)


def test_predict_one_json_line_per_input_line(tmp_path):
    lines = run(["model", "predict"], stdin="\n".join(t for t, _ in LINES) + "\n").splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["label"] for r in rows] == [lab for _, lab in LINES]
    assert all(0.5 < r["score"] <= 1 for r in rows)
    f = tmp_path / "in.txt"
    f.write_text("jalan rusak parah tidak diperbaiki\n", encoding="utf-8")
    assert json.loads(run(["model", "predict", "--input", str(f)]))["label"] == "negative"
