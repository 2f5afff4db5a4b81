import pytest

from nlp.jsonlines import json_lines


class BadFile(Exception):
    pass


def test_blank_lines_are_skipped_and_numbers_are_file_lines():
    assert list(json_lines(['{"a": 1}\n', "\n", "  \n", "[2]\n"], "f.jsonl", BadFile)) == [(1, {"a": 1}), (4, [2])]


def test_a_line_that_is_not_json_names_file_and_line():
    with pytest.raises(BadFile, match=r"^f\.jsonl:2: not JSON \("):
        list(json_lines(['{"a": 1}', "{oops"], "f.jsonl", BadFile))
