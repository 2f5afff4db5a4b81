"""Writing a trained student's directory: weights, int8 ONNX graph, metrics of what will run, card."""

import json

import numpy as np

from nlp.sentiment import SentimentModel
from nlp.sentiment.onnx_runtime import OnnxClassifier
from nlp.sentiment.torch_runtime import TorchClassifier
from nlp.training.convert import build_tokenizer, wrap_tokenizer
from nlp.training.publish import save_student, student_logits
from nlp.training.recipe import Recipe
from nlp.training.student import StudentShape, build_student
from tests.nlp.training.e5_writer import PIECES

SHAPE = StudentShape(hidden=16, layers=1, heads=2, intermediate=32, max_length=24)
VALID = [("jalan rusak", "negative"), ("sangat bagus", "positive"), ("jalan", "neutral"), ("bagus jalan rusak sangat", "positive")]


def publish(tmp_path, int8: bool):
    tok = wrap_tokenizer(build_tokenizer(PIECES, [0.0] * 4 + [-1.0] * (len(PIECES) - 4)), SHAPE.max_length)
    model = build_student(SHAPE, len(PIECES))
    meta = save_student(model, tok, tmp_path, Recipe(int8=int8, student_shape=SHAPE), [t for t, _ in VALID],
                        [g for _, g in VALID], n_train=4, n_rows=4)
    return model, tok, meta


def test_int8_student_ships_its_onnx_graph_and_the_graphs_metrics(tmp_path):
    model, tok, meta = publish(tmp_path, int8=True)
    assert meta["onnx"] == "model.onnx" and (tmp_path / "model.onnx").is_file()
    assert json.loads((tmp_path / "pantau.json").read_text())["version"] == meta["version"]
    assert meta["valid"]["n"] == 4 and "macro_f1" in meta["valid_fp32"]
    assert "model.onnx" in (tmp_path / "MODEL_CARD.md").read_text()
    loaded = SentimentModel(tmp_path)
    assert isinstance(loaded.classifier, OnnxClassifier) and loaded.max_length == SHAPE.max_length
    torch_out = student_logits(model, tok, [t for t, _ in VALID], SHAPE.max_length).numpy()
    assert np.allclose(loaded.logits([t for t, _ in VALID]), torch_out, atol=0.05)


def test_fp32_student_runs_with_torch(tmp_path):
    _, _, meta = publish(tmp_path, int8=False)
    assert "onnx" not in meta and not (tmp_path / "model.onnx").exists()
    assert isinstance(SentimentModel(tmp_path).classifier, TorchClassifier)


def test_version_changes_with_the_weights(tmp_path):
    _, _, first = publish(tmp_path / "a", int8=True)
    model = build_student(SHAPE, len(PIECES), seed=14)
    tok = wrap_tokenizer(build_tokenizer(PIECES, [0.0] * 4 + [-1.0] * (len(PIECES) - 4)), SHAPE.max_length)
    second = save_student(model, tok, tmp_path / "b", Recipe(student_shape=SHAPE), [], [], n_train=4, n_rows=4)
    assert first["version"] != second["version"]
