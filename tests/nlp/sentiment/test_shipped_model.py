"""The model shipped in nlp/models/sentiment: small, complete, and right on clear sentences."""

import json

import pytest

from nlp.sentiment import SHIPPED_DIR, SentimentModel


@pytest.fixture(scope="module")
def model():
    return SentimentModel(threads=2)


def test_shipped_directory_is_complete_and_small():
    names = {p.name for p in SHIPPED_DIR.iterdir()}
    assert {"config.json", "model.safetensors", "model.onnx", "wide.npz", "tokenizer.json", "pantau.json", "MODEL_CARD.md"} <= names
    assert sum(p.stat().st_size for p in SHIPPED_DIR.iterdir()) <= 50 * 1024 * 1024
    meta = json.loads((SHIPPED_DIR / "pantau.json").read_text())
    assert meta["version"] in (SHIPPED_DIR / "MODEL_CARD.md").read_text()


@pytest.mark.parametrize("text, label", [
    ("pelayanannya sangat bagus dan cepat", "positive"),
    ("makanannya enak sekali , tempatnya nyaman dan bersih", "positive"),
    ("jalan rusak parah tidak diperbaiki", "negative"),
    ("pelayanan lambat , petugasnya kasar dan tidak ramah", "negative"),
    ("Pelayanannya bagus bgt, cepet bgt", "positive"),  # slang, normalised before the model sees it
])
def test_clear_sentences(model, text, label):
    result = model.predict([text])[0]
    assert result.label == label
    assert 0.5 < result.score <= 1.0


def test_batch_keeps_input_order(model):
    texts = ["jalan rusak parah tidak diperbaiki", "pelayanannya sangat bagus dan cepat"] * 40
    labels = [r.label for r in model.predict(texts)]
    assert labels == ["negative", "positive"] * 40


def test_shipped_model_runs_its_onnx_graph_and_linear_model_without_torch_or_transformers():
    import subprocess
    import sys

    code = ("import sys; from nlp.sentiment import SentimentModel; m = SentimentModel(threads=1); "
            "print(type(m.classifier).__name__, type(m.classifier.student).__name__, m.predict(['jalan rusak parah'])[0].label, "
            "'torch' in sys.modules, 'transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["BlendedClassifier", "OnnxClassifier", "negative", "False", "False"]
