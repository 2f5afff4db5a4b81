"""Language detection on cleaned text, with the real word lists."""

from __future__ import annotations

import pytest

from nlp.language import detect, detect_many
from nlp.normalize import clean


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Jalan di depan kantor kecamatan rusak parah, kapan diperbaiki?", "id"),
        ("yg ngurus ktp lama bgt gak selesai2", "id"),
        ("dalane rusak tenan ora didandani", "jv"),
        ("piye to iki pak, banyune mati wis telung dino", "jv"),
        ("Kulo nyuwun pirsa, KTP kula dereng jadi", "jv"),
        ("The road near the market is broken, please fix it", "en"),
        ("thank you", "en"),
        ("good service tapi antrinya lama banget", "id"),
        ("مرحبا بكم في جاوة الوسطى", "other"),
        ("道路坏了很久了", "other"),
        ("123 456", "other"),
        ("Sugeng enjing sedaya, mugi-mugi tansah pinaringan sehat, kados pundi kabaripun", "jv"),
    ],
)
def test_detects_language(text: str, lang: str) -> None:
    assert detect(clean(text)) == lang


@pytest.mark.parametrize("text", ["mantap", "ok", "👍", "wkwkwk", "Xyzzq"])
def test_short_posts_with_no_evidence_get_the_default(text: str) -> None:
    assert detect(clean(text)) == "id"
    assert detect(clean(text), default="jv") in ("jv", "id")


def test_headlines_of_affixed_content_words_are_indonesian() -> None:
    assert detect(clean("Membongkar pakta integritas, perseteruan ditanggapi sinis")) == "id"


def test_long_text_with_no_known_word_is_other() -> None:
    assert detect(clean("Bonjour à tous, merci beaucoup pour votre aide précieuse aujourd'hui")) == "other"


def test_batch_matches_single_calls() -> None:
    texts = [clean(t) for t in ("jalan rusak", "ora iso", "please help")]
    assert detect_many(texts) == [detect(t) for t in texts] == ["id", "jv", "en"]
