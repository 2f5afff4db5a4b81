"""One behaviour suite for every backend: same posts, same queries, same hits and bucket counts.

Relevance scores differ between engines (and osmem-server's differ from Lucene's), so hits are
compared as sets, except where the order is defined by time.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import pytest

from indexer.query import DateRange, parse
from indexer.store import (
    Cardinality, Count, DateHistogram, SignificantTerms, Sort, Terms,
)
from tests.indexer.dataset import BY_KEY, NOW, POSTS, WIB, keys


def find(store, text: str, sort: Sort = Sort.RELEVANCE, page: int = 1, size: int = 50):
    return store.search(parse(text, now=NOW), sort=sort, page=page, size=size)


@pytest.mark.parametrize(("text", "expected"), [
    ("jalan", {"p1", "p4", "p5", "p8", "p9"}),  # whole words: "Jalanan" (p12) is another word
    ("jalan*", {"p1", "p4", "p5", "p8", "p9", "p12"}),
    ("jemb*", {"p2", "p6", "p11"}),
    ("(jalan OR jembatan) rusak -tol", {"p1", "p2"}),
    ('"antre lama"', {"p3"}),  # "Antrean ... lama" (p10) is not the phrase
    ("sentiment:negative region:3374", {"p1", "p2", "p3", "p8", "p9", "p12"}),
    ('agency:"DPU Bina Marga" source:playstore', {"p2"}),
    ("topic:banjir", {"p8", "p9"}),
    ("kind:praise OR kind:question", {"p5", "p6", "p7"}),
    ("pembangunan", {"p11"}),  # in the title only
    ("since:2d", {"p1", "p2", "p3", "p8", "p9", "p12"}),
    ("until:2025-03-05", {"p7", "p10", "p11"}),  # the whole local day of 5 March included
    ("e-ktp", {"p10"}),
    ("-jalan -jembatan", {"p3", "p7", "p10", "p12"}),
    ("NOT banjir AND kaligawe", {"p2"}),
    ("author_hash:a1", {"p1", "p4"}),
    ("cluster_id:c7 lang:id site:news.example", {"p8"}),
    ("", set(BY_KEY)),
])
def test_query_hits(store, text, expected):
    result = find(store, text)
    assert keys(h.post for h in result.hits) == expected
    assert result.total == len(expected)
    assert store.count(parse(text, now=NOW)) == len(expected)


def test_hits_carry_the_whole_post(store):
    (hit,) = find(store, '"antre lama"').hits
    assert hit.post == BY_KEY["p3"]


def test_newest_first_and_paging(store):
    newest = find(store, "jalan", sort=Sort.NEWEST)
    assert [h.post.native_id for h in newest.hits] == ["p9", "p8", "p1", "p4", "p5"]
    oldest = find(store, "jalan", sort=Sort.OLDEST)
    assert [h.post.native_id for h in oldest.hits] == ["p5", "p4", "p1", "p8", "p9"]
    page = find(store, "jalan", sort=Sort.NEWEST, page=2, size=2)
    assert [h.post.native_id for h in page.hits] == ["p1", "p4"]
    assert page.total == 5


def test_scan_yields_every_match_newest_first(store):
    assert [p.native_id for p in store.scan(parse("jalan"), batch=2)] == ["p9", "p8", "p1", "p4", "p5"]
    assert len(list(store.scan(parse(""), batch=5))) == len(POSTS)
    assert list(store.scan(parse("tidakada"))) == []


def test_snippets_mark_the_query_words(store):
    for hit in find(store, "rusak OR lubang").hits:
        marked = {hit.snippet.text[a:b].lower() for a, b in hit.snippet.spans}
        assert marked and marked <= {"rusak", "lubang"}, hit.snippet
    (hit,) = find(store, "kaligawe -banjir").hits
    assert "<mark>Kaligawe</mark>" in hit.snippet.html()


def test_filter_only_query_gives_the_text_start(store):
    (hit,) = find(store, 'agency:"Dinas Kesehatan"').hits
    assert hit.snippet.text == BY_KEY["p7"].text and hit.snippet.spans == ()


def test_day_histogram_buckets_by_local_day(store):
    start, end = datetime(2025, 3, 8, tzinfo=WIB), datetime(2025, 3, 11, tzinfo=WIB)
    result = store.aggregate(DateRange(start, end), {
        "days": DateHistogram("day", bounds=(start, end), sub={"sentiment": Terms("sentiment"), "n": Count()})})["days"]
    assert [(b.start, b.count) for b in result.buckets] == [
        (datetime(2025, 3, 8, tzinfo=WIB), 1),
        (datetime(2025, 3, 9, tzinfo=WIB), 2),  # p1 at 23:30 and p12; not p2 at 00:30 next day
        (datetime(2025, 3, 10, tzinfo=WIB), 4),
    ]
    assert all(b.start.utcoffset().total_seconds() == 7 * 3600 for b in result.buckets)
    assert [{t.key: t.count for t in b.sub["sentiment"].buckets} for b in result.buckets] == [
        {"negative": 1}, {"negative": 2}, {"negative": 4}]
    assert [b.sub["n"].value for b in result.buckets] == [1, 2, 4]


def test_hour_histogram_across_midnight_includes_empty_buckets(store):
    start, end = datetime(2025, 3, 9, 23, tzinfo=WIB), datetime(2025, 3, 10, 2, tzinfo=WIB)
    result = store.aggregate(DateRange(start, end), {"h": DateHistogram("hour", bounds=(start, end))})["h"]
    assert [(b.start.hour, b.count) for b in result.buckets] == [(23, 1), (0, 1), (1, 0)]


def test_week_histogram_starts_on_monday(store):
    result = store.aggregate(parse("since:2025-03-01", now=NOW), {"w": DateHistogram("week")})["w"]
    assert [(b.start, b.count) for b in result.buckets] == [
        (datetime(2025, 3, 3, tzinfo=WIB), 7), (datetime(2025, 3, 10, tzinfo=WIB), 4)]


def test_terms_cardinality_and_count(store):
    result = store.aggregate(parse(""), {
        "topics": Terms("topic"), "agencies": Terms("agency", size=2), "authors": Cardinality("author_hash"),
        "clusters": Cardinality("cluster_id"), "n": Count(),
    })
    assert {b.key: b.count for b in result["topics"].buckets} == {"jalan": 8, "banjir": 2, "kependudukan": 2, "kesehatan": 1}
    agencies = result["agencies"]
    assert [(b.key, b.count) for b in agencies.buckets] == [("DPU Bina Marga", 7), ("BPBD", 2)]
    assert agencies.other == 3
    assert result["authors"].value == 9
    assert result["clusters"].value == 10
    assert result["n"].value == 12


def test_terms_with_sub_aggregations(store):
    result = store.aggregate(parse("sentiment:negative"), {
        "regions": Terms("region", sub={"authors": Cardinality("author_hash"), "kinds": Terms("kind")})})["regions"]
    by_region = {b.key: b for b in result.buckets}
    assert by_region["3374"].count == 6 and by_region["3319"].count == 2
    assert by_region["3374"].sub["authors"].value == 6  # a1, a2, a3, a6, a7, a9
    assert {t.key: t.count for t in by_region["3319"].sub["kinds"].buckets} == {"complaint": 2}


def test_significant_terms_of_a_topic(store):
    result = store.aggregate(parse("topic:banjir"), {"why": SignificantTerms(min_doc_count=2)})["why"]
    assert (result.fg_total, result.bg_total) == (2, 12)
    assert [t.term for t in result.terms] == ["tergenang", "banjir", "kaligawe", "jalan"]
    assert [(t.fg_count, t.bg_count) for t in result.terms] == [(2, 2), (2, 3), (2, 3), (2, 5)]
    assert result.terms[0].score == pytest.approx(5.0)


def test_significant_terms_against_a_background(store):
    result = store.aggregate(parse("topic:banjir"), {
        "why": SignificantTerms(background=parse("kaligawe"), min_doc_count=2)})["why"]
    assert result.bg_total == 3
    assert [t.term for t in result.terms] == ["banjir", "jalan", "tergenang"]


def test_put_many_is_idempotent_by_post_id(store):
    changed = dataclasses.replace(BY_KEY["p1"], text="Jalan rusak parah sekali di Jalan Pemuda")
    # another month: for Elasticsearch another index, whose old copy must go
    moved = dataclasses.replace(BY_KEY["p11"], published_at=datetime(2025, 2, 27, 9, tzinfo=WIB))
    assert store.put_many([*POSTS, changed, moved]) == len(POSTS)
    assert store.count(parse("")) == len(POSTS)
    assert keys(h.post for h in find(store, "sekali").hits) == {"p1", "p3"}
    assert store.get(moved.id).published_at == moved.published_at
    assert store.count(parse("until:2025-02-28", now=NOW)) == 2  # p10 and the moved p11


def test_get(store):
    assert store.get(BY_KEY["p5"].id) == BY_KEY["p5"]
    assert store.get("0" * 32) is None


def test_delete_older_than(store):
    days = (datetime.now(timezone.utc) - datetime(2025, 1, 1, tzinfo=timezone.utc)).days
    assert store.delete_older_than(days) == 1  # p10, from November 2024
    assert store.get(BY_KEY["p10"].id) is None
    assert store.count(parse("")) == len(POSTS) - 1


def test_stats(store):
    stats = store.stats()
    assert stats.docs == len(POSTS)
    assert stats.oldest == BY_KEY["p10"].published_at
    assert stats.newest == BY_KEY["p3"].published_at
    assert stats.size_bytes > 0


def test_empty_store_answers_empty(empty_store):
    assert empty_store.search(parse("jalan")).total == 0
    assert empty_store.count(parse("")) == 0
    result = empty_store.aggregate(parse(""), {"d": DateHistogram("day"), "t": Terms("topic"), "n": Count()})
    assert result["d"].buckets == [] and result["t"].buckets == [] and result["n"].value == 0
