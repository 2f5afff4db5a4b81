import pytest

from nlp.training.baseline import train_baseline
from nlp.training.metrics import classification_report
from nlp.training.smsa import LABELS


def test_report_figures():
    r = classification_report(["positive", "negative", "neutral", "positive"],
                              ["positive", "negative", "positive", "positive"], LABELS)
    assert r["n"] == 4 and r["accuracy"] == 0.75
    assert r["per_class"]["neutral"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert r["per_class"]["positive"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert r["macro_f1"] == pytest.approx((1 + 0 + 0.8) / 3, abs=1e-4)
    with pytest.raises(ValueError):
        classification_report(["positive"], [], LABELS)


def test_baseline_learns_word_and_character_cues():
    texts = ["pelayanan bagus", "sangat bagus dan cepat", "mantap bagus", "jalan rusak", "rusak parah",
             "lambat dan rusak", "rapat hari senin", "jadwal rapat", "info rapat besok"]
    labels = ["positive"] * 3 + ["negative"] * 3 + ["neutral"] * 3
    model = train_baseline(texts, labels)
    assert list(model.predict(["bagusss sekali", "rusakkk", "rapat senin"])) == ["positive", "negative", "neutral"]
