import json

import pytest

from nlp.training.smsa import DatasetError, Example, read_jsonl, read_labelled, read_smsa


def test_reads_text_and_label_lines(tmp_path):
    f = tmp_path / "train.tsv"
    f.write_text("pelayanan bagus sekali\tpositive\n\njalan rusak\tNegative\r\nbiasa saja\tneutral\n", encoding="utf-8")
    assert read_smsa(f) == [Example("pelayanan bagus sekali", "positive"), Example("jalan rusak", "negative"),
                            Example("biasa saja", "neutral")]


def test_text_with_a_tab_keeps_everything_before_the_last_one(tmp_path):
    f = tmp_path / "t.tsv"
    f.write_text("a\tb\tpositive\n", encoding="utf-8")
    assert read_smsa(f)[0].text == "a\tb"


@pytest.mark.parametrize("line, message", [("tanpa label\n", "expected text<TAB>label"),
                                           ("teks\tsenang\n", "label 'senang' is not one of"),
                                           ("\tpositive\n", "expected text<TAB>label")])
def test_bad_lines_name_file_and_line(tmp_path, line, message):
    f = tmp_path / "bad.tsv"
    f.write_text("oke\tpositive\n" + line, encoding="utf-8")
    with pytest.raises(DatasetError, match=f"bad.tsv:2: {message}"):
        read_smsa(f)


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(DatasetError, match="no such file"):
        read_smsa(tmp_path / "nope.tsv")
    (tmp_path / "empty.tsv").write_text("\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="no examples"):
        read_smsa(tmp_path / "empty.tsv")


def test_jsonl(tmp_path):
    f = tmp_path / "d.jsonl"
    f.write_text(json.dumps({"text": "mantap", "label": "POSITIVE"}) + "\n" + json.dumps({"text": "x"}) + "\n",
                 encoding="utf-8")
    with pytest.raises(DatasetError, match="d.jsonl:2: label"):
        read_jsonl(f)
    f.write_text(json.dumps({"text": "mantap", "label": "positive"}) + "\n", encoding="utf-8")
    assert read_labelled(f, "jsonl") == [Example("mantap", "positive")]
    with pytest.raises(DatasetError, match="unknown format"):
        read_labelled(f, "csv")
