"""Normalisation: what the models and rules read. Real data files, no fakes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.lexicon import lexicon
from nlp.normalize import clean, map_words, normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jalan rusak GAK diperbaiki", "jalan rusak tidak diperbaiki"),
        ("yg udh lamaaa bgt", "yang sudah lama banget"),
        ("#JalanRusak di Semarang", "jalan rusak di semarang"),
        ("#jalanrusak", "jalan rusak"),
        ("#jalan_rusak_parah", "jalan rusak parah"),
        ("@pemkot_smg tolong dicek https://t.co/abc123", "tolong dicek"),
        ("info www.jatengprov.go.id/berita ya", "info ya"),
        ("kirim ke budi.santoso@gmail.com", "kirim ke"),
        ("Maaaaf pak", "maaf pak"),
        ("pelayanannya ramah 👍😊", "pelayanannya ramah bagus senang"),
        ("antre 3 jam 😡😡😡", "antre 3 jam marah marah marah"),
        ("banjir lagi 🌧️🌊", "banjir lagi"),
        ("harga naik&nbsp;terus &amp; mahal", "harga naik terus & mahal"),
        ("ja\u200blan ru\u200dsak\u00ad", "jalan rusak"),
        ("tempat nya nyaman", "tempatnya nyaman"),
        ("anak2 sekolah", "anak-anak sekolah"),
        ("wkwkwk parah", "haha parah"),
        ("kenapa???!!!", "kenapa ? !"),
        ("Rp 1.500.000 jam 10:30", "rp 1.500.000 jam 10:30"),
    ],
)
def test_social_text_to_standard_indonesian(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dalane rusak tenan", "jalannya rusak sekali"),
        ("banyune ora mili, durung didandani", "airnya tidak mili , belum diperbaiki"),
        ("piye iki pak?", "bagaimana ini pak ?"),
        ("opo ndak iso dibenakke", "apa tidak bisa diperbaiki"),
        ("matur nuwun pak", "terima kasih pak"),
        ("regane larang", "harganya larang"),
        ("sampah numpuk, baune ra umum", "sampah menumpuk , baunya tidak umum"),
        ("wis pirang2 sasi", "sudah banyak bulan"),
    ],
)
def test_javanese_words_mapped_to_indonesian(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_clean_keeps_words_that_normalize_maps() -> None:
    cleaned = clean("Dalane ORA iso dilewati, gak ada yg peduli")
    assert cleaned == "dalane ora iso dilewati , gak ada yg peduli"
    assert map_words(cleaned) == "jalannya tidak bisa dilewati , tidak ada yang peduli"


def test_slang_dictionary_is_real_sized() -> None:
    lex = lexicon()
    assert len(lex.words) >= 300
    for informal in ("gak", "ga", "nggak", "yg", "udh", "bgt", "tdk", "dgn", "krn", "sy", "aja", "blm", "gmn"):
        assert informal in lex.words, informal


def test_every_mapping_lands_on_a_fixed_point() -> None:
    lex = lexicon()
    for key, value in {**lex.words, **lex.phrases}.items():
        assert normalize(value) == value, (key, value)


_PIECES = list("abcdeghiklmnoprstuwyAGJKRSTY0123456789 .,!?#@_-&;:/'\u200b\n\t") + [
    "😡", "👍", "🙏", "❤️", "wk", "nya", "gak ", "yg ", "dalane ", "&amp;", "http://x.co/a ", "2 ", "aaa",
]
social_text = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(social_text)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_unicode_is_normalised_idempotently(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert "  " not in once and once == once.strip()
