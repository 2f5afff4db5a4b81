"""The topic classifier: clear cases, agencies, custom taxonomies, training and held-out F1 floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.normalize import normalize
from nlp.taxonomy import Taxonomy
from nlp.labelled import LABELLED_PATH, LabelledDataError, read_labelled
from nlp.topics import MODEL_DIR, TopicClassifier, TopicRules, evaluate, fit, train

CLEAR = [
    ("Jalan provinsi Purwodadi-Blora berlubang parah, motor saya jatuh", ["roads"]),
    ("PDAM air mati 3 hari di Pedurungan, mandi aja susah", ["water"]),
    ("antre BPJS di RSUD dari subuh sampai siang", ["health"]),
    ("PPDB zonasi kacau, anak saya tidak diterima di SMA negeri", ["education"]),
    ("blangko KTP habis terus di Disdukcapil", ["civil-registry"]),
    ("bayar pajak motor di samsat ada calo minta 300rb, pungli", ["vehicle-tax", "service-conduct"]),
    ("banjir rob merendam rumah warga Sayung, ratusan mengungsi", ["flood-disaster"]),
    ("pupuk subsidi langka, kartu tani tidak bisa dipakai", ["agriculture"]),
    ("PLN mati lampu 5 jam tanpa pemberitahuan", ["electricity"]),
    ("selamat pagi semua, semoga harinya menyenangkan", []),
]

#: Held-out per-topic F1 of the shipped model when it was trained (nlp/models/topics/metrics.json),
#: minus a margin of 0.1 (the held-out split has 10-25 posts per topic).
FLOORS: dict[str, float] = {
    "roads": 0.76,
    "flood-disaster": 0.73,
    "water": 0.76,
    "health": 0.77,
    "education": 0.66,
    "civil-registry": 0.77,
    "vehicle-tax": 0.83,
    "permits": 0.73,
    "transport": 0.81,
    "environment": 0.82,
    "social-aid": 0.86,
    "agriculture": 0.82,
    "labour": 0.83,
    "staple-prices": 0.77,
    "electricity": 0.82,
    "public-order": 0.77,
    "service-conduct": 0.63,
}
MACRO_FLOOR = 0.82


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.load()


@pytest.fixture(scope="module")
def shipped(taxonomy: Taxonomy) -> TopicClassifier:
    return TopicClassifier.load(taxonomy)


@pytest.mark.parametrize(("text", "topics"), CLEAR)
def test_shipped_model_gets_clear_posts_right(shipped: TopicClassifier, text: str, topics: list[str]) -> None:
    assert shipped.predict([normalize(text)]) == [topics]


def test_agencies_come_from_the_taxonomy(shipped: TopicClassifier, taxonomy: Taxonomy) -> None:
    (topics,) = shipped.predict([normalize("jalan rusak dan air PDAM mati di Semarang")])
    assert topics == ["roads", "water"]
    assert taxonomy.agencies_for(topics) == ["dpu-bina-marga", "pdam"]


def test_predict_keeps_order_and_accepts_an_empty_batch(shipped: TopicClassifier) -> None:
    texts = [normalize(t) for t, _ in CLEAR]
    assert shipped.predict(texts) == [t for _, t in CLEAR]
    assert shipped.predict([]) == []
    assert shipped.predict([""]) == [[]]


def test_rules_match_javanese_keywords_after_normalisation(taxonomy: Taxonomy) -> None:
    rules = TopicRules(taxonomy)
    assert rules.match(normalize("dalane ajur pol, banyune mati maneh")) == ["roads", "water"]
    assert rules.match(normalize("rabuk langka neng kios")) == ["agriculture"]


def test_a_topic_the_model_does_not_know_is_found_by_its_keywords(tmp_path: Path) -> None:
    bundled = Taxonomy.load().source
    assert bundled is not None
    extra = '\n[agencies.disbudpar]\nname = "Dinas Kebudayaan dan Pariwisata"\nshort = "Disbudpar"\n' \
        '[topics.tourism]\nname_id = "Pariwisata"\nname_en = "Tourism"\nagency = "disbudpar"\nkeywords = ["wisata", "objek wisata"]\n'
    path = tmp_path / "taxonomy.toml"
    path.write_text(bundled.read_text(encoding="utf-8") + extra, encoding="utf-8")
    custom = Taxonomy.load(path)
    classifier = TopicClassifier.load(custom)
    assert classifier.predict([normalize("objek wisata Guci jalannya rusak parah")]) == [["roads", "tourism"]]
    assert custom.agencies_for(["tourism"]) == ["disbudpar"]


def test_held_out_per_topic_f1_stays_above_the_measured_floor(shipped: TopicClassifier) -> None:
    held = [r for r in read_labelled(LABELLED_PATH) if r["split"] == "heldout"]
    report = evaluate(shipped, [normalize(r["text"]) for r in held], [r["topics"] for r in held])
    assert report["macro_f1"] >= MACRO_FLOOR
    for slug, floor in FLOORS.items():
        assert report["per_class"][slug]["f1"] >= floor, (slug, report["per_class"][slug])


def test_labelled_data_covers_every_topic_and_posts_without_one(taxonomy: Taxonomy) -> None:
    rows = read_labelled(LABELLED_PATH)
    assert len(rows) >= 800
    for slug in taxonomy.topics:
        assert sum(slug in r["topics"] for r in rows if r["split"] == "heldout") >= 8, slug
    assert sum(not r["topics"] for r in rows) >= 60


def test_saved_model_predicts_like_the_fitted_one(tmp_path: Path, taxonomy: Taxonomy) -> None:
    rows = [r for r in read_labelled(LABELLED_PATH) if r["split"] == "train"][:200]
    texts = [normalize(r["text"]) for r in rows]
    fitted = fit(taxonomy, texts, [r["topics"] for r in rows], "combined", seed=1)
    assert fitted.model is not None
    fitted.model.save(tmp_path, {"mode": "combined", "threshold": fitted.threshold})
    assert TopicClassifier.load(taxonomy, tmp_path).predict(texts) == fitted.predict(texts)


def test_training_refuses_topics_missing_from_the_taxonomy(tmp_path: Path, taxonomy: Taxonomy) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text(json.dumps({"text": "x", "kind": "info", "topics": ["potholes"], "split": "train"}) + "\n", encoding="utf-8")
    with pytest.raises(LabelledDataError, match="bad.jsonl: topics not in the taxonomy: potholes"):
        train(taxonomy, data, None)


def test_shipped_model_files_are_small() -> None:
    assert sum(p.stat().st_size for p in MODEL_DIR.iterdir()) < 10_000_000
