"""The analysts' query language: what it builds, what it refuses, and that it never crashes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.query import (
    MATCH_ALL, And, DateRange, FieldIs, Not, Or, Phrase, Prefix, QuerySyntaxError, Term, parse, text_terms,
)

NOW = datetime(2025, 3, 10, 5, 0, tzinfo=timezone.utc)
WIB = timezone(timedelta(hours=7))


def test_the_issue_example():
    query = parse('(jalan OR jembatan) rusak -tol "antre lama" sentiment:negative topic:jalan region:3374 '
                  'agency:"DPU Bina Marga" source:playstore since:7d', now=NOW)
    assert query == And((
        Or((Term("jalan"), Term("jembatan"))), Term("rusak"), Not(Term("tol")), Phrase("antre lama"),
        FieldIs("sentiment", "negative"), FieldIs("topic", "jalan"), FieldIs("region", "3374"),
        FieldIs("agency", "DPU Bina Marga"), FieldIs("source", "playstore"), DateRange(start=NOW - timedelta(days=7)),
    ))


@pytest.mark.parametrize(("text", "expected"), [
    ("", MATCH_ALL),
    ("   ", MATCH_ALL),
    ("Jalan", Term("jalan")),
    ("a b OR c", Or((And((Term("a"), Term("b"))), Term("c")))),  # OR binds looser than AND
    ("a AND b", And((Term("a"), Term("b")))),
    ("NOT a", Not(Term("a"))),
    ("--a", Not(Not(Term("a")))),
    ("jemb*", Prefix("jemb")),
    ("e-ktp", Phrase("e ktp")),
    ('"Antre  LAMA"', Phrase("antre lama")),
    ('"jalan"', Term("jalan")),
    ("sentiment:NEGATIVE", FieldIs("sentiment", "negative")),
])
def test_parses(text, expected):
    assert parse(text, now=NOW) == expected


def test_dates_relative_absolute_and_iso():
    assert parse("since:90m", now=NOW) == DateRange(start=NOW - timedelta(minutes=90))
    assert parse("since:2w", now=NOW) == DateRange(start=NOW - timedelta(weeks=2))
    since = parse("since:2025-03-01", now=NOW, tz="Asia/Jakarta")
    assert since.start == datetime(2025, 3, 1, tzinfo=WIB)  # local midnight
    until = parse("until:2025-03-01", now=NOW, tz="Asia/Jakarta")
    assert until.end == datetime(2025, 3, 2, tzinfo=WIB)  # the whole day included
    iso = parse("since:2025-03-01T10:00:00+00:00", now=NOW)
    assert iso.start == datetime(2025, 3, 1, 10, tzinfo=timezone.utc)


@pytest.mark.parametrize(("text", "position", "expected"), [
    ("(jalan rusak", 12, "')' to close the '(' at 0"),
    ("jalan)", 5, "a matching '('"),
    ("jalan OR", 8, "a word, phrase, field:value or '('"),
    ('"antre lama', 0, "a closing '\"'"),
    ("kota:semarang", 0, "a known field"),
    ("sentiment:angry", 10, "one of negative, neutral, positive"),
    ("since:yesterday", 6, "a date"),
    ("since:2025-02-30", 6, "a date"),
    ("*", 0, "one word before '*'"),
    ("()", 1, "a term inside the parentheses"),
    ("!!!", 0, "at least one letter or digit"),
    ("region:", 7, "a value after 'region:'"),
    ("a - b", 2, "at least one letter or digit"),  # a lone minus is neither a negation nor a word
])
def test_syntax_errors_name_position_and_expectation(text, position, expected):
    with pytest.raises(QuerySyntaxError) as caught:
        parse(text, now=NOW)
    assert caught.value.position == position
    assert expected in caught.value.expected
    assert f"at {position}: expected" in str(caught.value)


def test_text_terms_skip_negated_words():
    assert text_terms(parse('jalan -tol "antre lama" jemb* topic:x', now=NOW)) == ["jalan", "antre lama", "jemb"]


ALPHABET = st.sampled_from(list('abc jalan()"-*:OR AND NOT sentiment since region 7d 2025-01-01 \t\n\\é'))
FRAGMENTS = st.sampled_from(["(", ")", '"', "-", "*", " OR ", " AND ", "NOT ", "since:", "until:", "sentiment:",
                             "region:", "x:", "jalan", "7d", "99999999w", "2025-13-01", " "])


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.text(ALPHABET), st.lists(FRAGMENTS).map("".join)))
def test_any_input_parses_or_raises_the_syntax_error(text):
    try:
        result = parse(text, now=NOW)
    except QuerySyntaxError as exc:
        assert 0 <= exc.position <= len(text)
        return
    assert isinstance(result, (Term, Phrase, Prefix, FieldIs, DateRange, And, Or, Not))
