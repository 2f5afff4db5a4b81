"""Near-duplicate clusters across batches, with the real SQLite index in a temporary directory."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nlp.dedup import DedupError, DedupIndex
from nlp.minhash import NUM_PERM, shingles, signatures
from nlp.normalize import normalize

CAMPAIGN = "Tolong perbaiki jalan di desa {}, sudah rusak parah berbulan-bulan tidak ada perbaikan #JalanRusak"
VILLAGES = ["Sumberejo", "Karangrejo", "Sidomulyo", "Tegalsari"]
OTHER = [
    "Harga cabai di pasar Johar naik terus, pedagang mengeluh sepi pembeli",
    "Pelayanan KTP di Disdukcapil sekarang cepat, petugasnya ramah sekali",
    "Banjir rob lagi di Kaligawe, truk tidak bisa lewat sejak subuh",
]


def test_copy_paste_campaign_shares_a_cluster_across_batches(tmp_path: Path) -> None:
    index = DedupIndex(tmp_path)
    first = index.assign([("c0", normalize(CAMPAIGN.format(VILLAGES[0]))), ("o0", normalize(OTHER[0]))])
    later = index.assign(
        [(f"c{i}", normalize(CAMPAIGN.format(v))) for i, v in enumerate(VILLAGES[1:], 1)]
        + [("o1", normalize(OTHER[1])), ("o2", normalize(OTHER[2]))]
    )
    assert first == ["c0", "o0"]
    assert later == ["c0", "c0", "c0", "o1", "o2"]


def test_reposts_with_mentions_and_links_join_the_original(tmp_path: Path) -> None:
    index = DedupIndex(tmp_path)
    original = OTHER[2]
    repost = f"RT @warga_smg: {original} https://t.co/xyz"
    assert index.assign([("a", normalize(original)), ("b", normalize(repost))]) == ["a", "a"]


def test_the_index_persists_between_runs(tmp_path: Path) -> None:
    DedupIndex(tmp_path).assign([("c0", normalize(CAMPAIGN.format("Sumberejo")))])
    reopened = DedupIndex(tmp_path)
    assert reopened.assign([("c9", normalize(CAMPAIGN.format("Kalisari")))]) == ["c0"]
    assert len(reopened) == 2


def test_two_handles_on_one_index_see_each_others_posts(tmp_path: Path) -> None:
    first, second = DedupIndex(tmp_path), DedupIndex(tmp_path)
    assert first.assign([("c0", normalize(CAMPAIGN.format("Sumberejo")))]) == ["c0"]
    assert second.assign([("c1", normalize(CAMPAIGN.format("Karangrejo")))]) == ["c0"]
    assert first.assign([("c2", normalize(CAMPAIGN.format("Sidomulyo"))), ("o0", normalize(OTHER[0]))]) == ["c0", "o0"]
    assert second.assign([("o1", normalize(OTHER[0] + " sekali"))]) == ["o0"]


def test_an_index_of_the_previous_format_is_upgraded_in_place(tmp_path: Path) -> None:
    import sqlite3

    DedupIndex(tmp_path).assign([("c0", normalize(CAMPAIGN.format("Sumberejo")))])
    with sqlite3.connect(tmp_path / "dedup.sqlite") as db:  # what the v3 format looked like
        db.execute("UPDATE meta SET value = replace(value, '-v4', '-v3') WHERE key = 'format'")
        db.execute("CREATE TABLE bands_0 (key INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (key, seq)) WITHOUT ROWID")
    reopened = DedupIndex(tmp_path)
    assert reopened.assign([("c1", normalize(CAMPAIGN.format("Kalisari")))]) == ["c0"]
    with sqlite3.connect(tmp_path / "dedup.sqlite") as db:
        assert db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'bands%'").fetchall() == []


def test_an_index_of_an_unknown_format_is_a_clear_error(tmp_path: Path) -> None:
    import sqlite3

    DedupIndex(tmp_path).close()
    with sqlite3.connect(tmp_path / "dedup.sqlite") as db:
        db.execute("UPDATE meta SET value = 'simhash-v1' WHERE key = 'format'")
    with pytest.raises(DedupError, match="move the old index away"):
        DedupIndex(tmp_path)


def test_an_index_built_in_one_thread_serves_another(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with DedupIndex(tmp_path) as index:
        index.assign([("c0", normalize(CAMPAIGN.format("Sumberejo")))])
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda v: index.assign([(v, normalize(CAMPAIGN.format(v)))]), VILLAGES[1:]))
    assert results == [["c0"]] * 3


def test_assigning_a_known_post_again_is_idempotent(tmp_path: Path) -> None:
    index = DedupIndex(tmp_path)
    texts = [(f"o{i}", normalize(t)) for i, t in enumerate(OTHER)]
    first = index.assign(texts)
    assert index.assign(texts) == first
    assert index.assign(list(reversed(texts))) == list(reversed(first))
    assert len(index) == len(OTHER)


def test_short_posts_keep_their_own_cluster(tmp_path: Path) -> None:
    index = DedupIndex(tmp_path)
    assert index.assign([("a", "mantap"), ("b", "mantap"), ("c", "jalan rusak")]) == ["a", "b", "c"]


def test_oldest_posts_leave_the_window(tmp_path: Path) -> None:
    index = DedupIndex(tmp_path, max_posts=2)
    index.assign([("c0", normalize(CAMPAIGN.format("Sumberejo")))])
    index.assign([("o0", normalize(OTHER[0])), ("o1", normalize(OTHER[1]))])
    assert len(index) == 2
    assert index.assign([("c1", normalize(CAMPAIGN.format("Karangrejo")))]) == ["c1"]


def test_signatures_estimate_jaccard_similarity() -> None:
    a = {f"w{i}".encode() for i in range(100)}
    b = {f"w{i}".encode() for i in range(50, 150)}  # Jaccard 50/150
    sig = signatures([a, b, set()])
    agreement = np.mean(sig[0] == sig[1])
    assert abs(agreement - 1 / 3) < 0.2
    assert (sig[2] == np.iinfo(np.uint32).max).all() and sig.shape == (3, NUM_PERM)
    assert (signatures([a])[0] == sig[0]).all()  # deterministic across calls


def test_shingles_are_word_bigrams_without_punctuation() -> None:
    assert shingles("jalan rusak , parah !") == {b"jalan rusak", b"rusak parah"}
    assert shingles("mantap") == {b"mantap"}


def test_an_unusable_directory_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(DedupError, match="near-duplicate index"):
        DedupIndex(blocker / "dedup")
