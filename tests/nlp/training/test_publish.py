"""Writing a trained student's directory: weights, int8 ONNX graph, metrics of what will run, card."""

import json

import numpy as np
import pytest

from nlp.sentiment import SentimentModel
from nlp.sentiment.encoders import hf_encoder
from nlp.sentiment.model import SentimentModelError
from nlp.sentiment.wide import BlendedClassifier, WideLinear
from nlp.sentiment.onnx_runtime import OnnxClassifier
from nlp.sentiment.torch_runtime import TorchClassifier
from nlp.training.convert import build_tokenizer, wrap_tokenizer
from nlp.training.publish import save_student, student_logits
from nlp.training.recipe import Recipe
from nlp.training.student import StudentShape, build_student
from nlp.training.wide import fit_wide
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


@pytest.mark.parametrize("activation", ["relu", "gelu_new"])
def test_the_students_activation_is_the_shapes(tmp_path, activation):
    shape = StudentShape(hidden=16, layers=1, heads=2, intermediate=32, max_length=24, activation=activation)
    model = build_student(shape, len(PIECES))
    assert model.config.hidden_act == activation
    tok = wrap_tokenizer(build_tokenizer(PIECES, [0.0] * 4 + [-1.0] * (len(PIECES) - 4)), shape.max_length)
    save_student(model, tok, tmp_path, Recipe(student_shape=shape), [], [], n_train=4, n_rows=4)
    assert json.loads((tmp_path / "config.json").read_text())["hidden_act"] == activation
    assert f"intermediate 32 ({activation})" in (tmp_path / "MODEL_CARD.md").read_text()


def test_the_teachers_figures_are_recorded_beside_the_students(tmp_path):
    tok = wrap_tokenizer(build_tokenizer(PIECES, [0.0] * 4 + [-1.0] * (len(PIECES) - 4)), SHAPE.max_length)
    teacher = {"n": 4, "accuracy": 0.75, "macro_f1": 0.6667, "per_class": {}}
    meta = save_student(build_student(SHAPE, len(PIECES)), tok, tmp_path, Recipe(student_shape=SHAPE), [t for t, _ in VALID],
                        [g for _, g in VALID], n_train=4, n_rows=4, teacher_valid=teacher)
    assert meta["valid_teacher"] == {"accuracy": 0.75, "macro_f1": 0.6667}
    assert "the teacher (raw text; too slow to ship): accuracy 0.75, macro-F1 0.6667" in (tmp_path / "MODEL_CARD.md").read_text()


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


def publish_blended(tmp_path):
    tok = wrap_tokenizer(build_tokenizer(PIECES, [0.0] * 4 + [-1.0] * (len(PIECES) - 4)), SHAPE.max_length)
    texts, gold = [t for t, _ in VALID], [g for _, g in VALID]
    wide = fit_wide(hf_encoder(tok, SHAPE.max_length), texts, gold, vocab=len(PIECES), buckets=64, c=1.0, seed=13)
    meta = save_student(build_student(SHAPE, len(PIECES)), tok, tmp_path, Recipe(student_shape=SHAPE), texts, gold,
                        n_train=4, n_rows=4, wide=wide)
    return wide, meta


def test_a_linear_model_is_shipped_with_the_student_and_the_metrics_are_the_blends(tmp_path):
    wide, meta = publish_blended(tmp_path)
    assert meta["wide"] == {"file": "wide.npz", "weight": 0.5} and set(meta["valid_parts"]) == {"student", "wide"}
    assert "wide.npz" in (tmp_path / "MODEL_CARD.md").read_text()
    loaded = SentimentModel(tmp_path)
    assert isinstance(loaded.classifier, BlendedClassifier)
    texts = [t for t, _ in VALID]
    expected = BlendedClassifier(OnnxClassifier(tmp_path / "model.onnx"), wide, 0.5).logits(*loaded.encode(texts))
    assert np.allclose(loaded.logits(texts), expected, atol=1e-5)


def test_a_missing_linear_model_is_a_clear_error(tmp_path):
    publish_blended(tmp_path)
    (tmp_path / "wide.npz").unlink()
    with pytest.raises(SentimentModelError, match="wide.npz.*unreadable"):
        SentimentModel(tmp_path)


def test_a_linear_model_of_another_vocabulary_is_refused(tmp_path):
    publish_blended(tmp_path)
    WideLinear(np.zeros((10 + 64, 3)), np.zeros(3), 10, 64).save(tmp_path / "wide.npz")
    with pytest.raises(SentimentModelError, match="vocabulary of 10 tokens"):
        SentimentModel(tmp_path)


def test_a_malformed_wide_entry_is_a_clear_error(tmp_path):
    publish_blended(tmp_path)
    meta = json.loads((tmp_path / "pantau.json").read_text())
    (tmp_path / "pantau.json").write_text(json.dumps({**meta, "wide": "wide.npz"}))
    with pytest.raises(SentimentModelError, match='"wide" must be'):
        SentimentModel(tmp_path)
