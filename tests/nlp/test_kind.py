"""The kind classifier: clear cases, the rules, training round trip and held-out F1 floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.kind import KINDS, MODEL_DIR, KindClassifier, evaluate, fit, rule_kind, train
from nlp.normalize import normalize
from nlp.labelled import LABELLED_PATH, LabelledDataError, read_labelled
from nlp.textcat import ModelFilesError, save_rules_only

CLEAR = [
    ("Apakah samsat Ungaran buka hari Sabtu? mau bayar pajak motor", "question"),
    ("gimana caranya cek penerima bansos bulan ini min?", "question"),
    ("terima kasih PDAM, air sudah lancar lagi dan jernih. mantap", "praise"),
    ("salut sama petugas BPBD yang sigap evakuasi warga semalam", "praise"),
    ("sebaiknya armada Trans Jateng ditambah, jam pulang kerja penuh sesak", "suggestion"),
    ("usul pak, jalan desa mending dibeton saja biar awet", "suggestion"),
    ("jalan rusak parah sudah 3 bulan gak diperbaiki, motor saya jatuh", "complaint"),
    ("air mati dari kemarin, tagihan tetep jalan. kecewa bgt sama pdam", "complaint"),
    ("Pemprov Jateng menggelar pasar murah di 35 titik mulai Senin pukul 08.00 WIB.", "info"),
    ("Dinkes mencatat 1.200 kasus demam berdarah sepanjang tahun ini.", "info"),
]

#: Held-out per-class F1 of the shipped model when it was trained (nlp/models/kind/metrics.json),
#: minus a margin of 0.08 so that small changes to the normaliser do not fail the suite.
FLOORS = {"complaint": 0.73, "question": 0.89, "suggestion": 0.77, "praise": 0.81, "info": 0.81}


@pytest.fixture(scope="module")
def shipped() -> KindClassifier:
    return KindClassifier.load()


@pytest.mark.parametrize(("text", "kind"), CLEAR)
def test_shipped_model_gets_clear_posts_right(shipped: KindClassifier, text: str, kind: str) -> None:
    assert shipped.predict([normalize(text)]) == [kind]


def test_predict_keeps_order_and_accepts_an_empty_batch(shipped: KindClassifier) -> None:
    texts = [normalize(t) for t, _ in CLEAR]
    assert shipped.predict(texts) == [k for _, k in CLEAR]
    assert shipped.predict([]) == []
    assert shipped.predict([""])[0] in KINDS


@pytest.mark.parametrize(("text", "kind"), [CLEAR[0], CLEAR[2], CLEAR[4], CLEAR[6], CLEAR[8]])
def test_rules_alone_get_clear_posts_right(text: str, kind: str) -> None:
    assert rule_kind(normalize(text)) == kind


def test_rules_without_any_cue_say_info() -> None:
    assert rule_kind("") == "info"


def test_held_out_per_class_f1_stays_above_the_measured_floor(shipped: KindClassifier) -> None:
    held = [r for r in read_labelled(LABELLED_PATH) if r["split"] == "heldout"]
    report = evaluate(shipped, [normalize(r["text"]) for r in held], [r["kind"] for r in held])
    assert report["n"] >= 250
    for kind, floor in FLOORS.items():
        assert report["per_class"][kind]["f1"] >= floor, (kind, report["per_class"][kind])


def test_labelled_data_is_large_balanced_and_split() -> None:
    rows = read_labelled(LABELLED_PATH)
    counts = {k: sum(r["kind"] == k for r in rows) for k in KINDS}
    assert sum(counts.values()) >= 600
    assert min(counts.values()) >= 0.7 * max(counts.values())
    assert {r["split"] for r in rows} == {"train", "heldout"}


def test_saved_model_predicts_like_the_fitted_one(tmp_path: Path) -> None:
    rows = [r for r in read_labelled(LABELLED_PATH) if r["split"] == "train"][:200]
    texts = [normalize(r["text"]) for r in rows]
    fitted = fit(texts, [r["kind"] for r in rows], "combined", seed=1)
    assert fitted.model is not None
    fitted.model.save(tmp_path, {"mode": "combined"})
    loaded = KindClassifier.load(tmp_path)
    assert loaded.predict(texts) == fitted.predict(texts)
    assert (tmp_path / "model.safetensors").stat().st_size < 2_000_000


def test_train_chooses_a_mode_saves_it_and_reports_held_out(tmp_path: Path) -> None:
    rows = read_labelled(LABELLED_PATH)
    small = [r for r in rows if r["split"] == "train"][:150] + [r for r in rows if r["split"] == "heldout"][:60]
    data = tmp_path / "small.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in small), encoding="utf-8")
    report = train(data, tmp_path / "model", seed=3)
    assert set(report["heldout"]) == {"rules", "model", "combined"}
    assert report["n_train"] == 150 and report["heldout"]["rules"]["n"] == 60
    assert report["chosen"] == max(report["cv_macro_f1"], key=lambda m: (report["cv_macro_f1"][m], m == "combined"))
    if report["chosen"] != "rules":
        assert KindClassifier.load(tmp_path / "model").mode == report["chosen"]


def test_shipped_model_files_are_small() -> None:
    assert sum(p.stat().st_size for p in MODEL_DIR.iterdir()) < 5_000_000


def test_a_missing_model_folder_says_how_to_rebuild_it(tmp_path: Path) -> None:
    with pytest.raises(ModelFilesError, match=r"no readable model config\.json.*python -m nlp\.kind train"):
        KindClassifier.load(tmp_path / "missing")


def test_bad_labelled_data_names_the_file_and_line(tmp_path: Path) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text('{"text": "ok", "kind": "info", "split": "train"}\n{"text": "x", "split": "test"}\n', encoding="utf-8")
    with pytest.raises(LabelledDataError, match=r"bad\.jsonl:2: expected an object with a text and split"):
        train(data, None)


def test_a_rules_only_folder_loads_the_rules(tmp_path: Path) -> None:
    save_rules_only(tmp_path, {"version": "kind-test"})
    classifier = KindClassifier.load(tmp_path)
    assert classifier.mode == "rules"
    assert classifier.predict([normalize(CLEAR[0][0])]) == ["question"]
