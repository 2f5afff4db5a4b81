"""The ONNX export of a classifier and its ONNX Runtime session, against the torch model."""

import json

import numpy as np
import pytest
import torch

from nlp.sentiment import SentimentModel, SentimentModelError
from nlp.sentiment.onnx_runtime import OnnxClassifier, export_onnx
from tests.nlp.sentiment.test_local_model import save_tiny_model

TEXTS = ["jalan rusak", "sangat bagus", "jalan", "bagus jalan rusak sangat"]


def torch_logits(model, tok, texts):
    with torch.no_grad():
        enc = tok(texts, padding=True, return_tensors="pt")
        return model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).logits.numpy()


@pytest.mark.parametrize("int8, tolerance", [(False, 1e-4), (True, 0.05)])
def test_exported_graph_gives_the_torch_logits(tmp_path, int8, tolerance):
    model, tok = save_tiny_model(tmp_path)
    graph = OnnxClassifier(export_onnx(model, tmp_path / "model.onnx", int8=int8), threads=1)
    enc = tok(TEXTS, padding=True, return_tensors="np")
    got = graph.logits(enc["input_ids"], enc["attention_mask"])
    assert got.dtype == np.float32 and got.shape == (len(TEXTS), 3)
    assert np.allclose(got, torch_logits(model, tok, TEXTS), atol=tolerance)


def test_int8_graph_stores_int8_weights(tmp_path):
    import onnx

    model, _ = save_tiny_model(tmp_path)
    graph = onnx.load(str(export_onnx(model, tmp_path / "model.onnx", int8=True)))
    assert any(node.op_type in ("MatMulInteger", "DynamicQuantizeMatMul") for node in graph.graph.node)
    assert any(init.data_type == onnx.TensorProto.INT8 for init in graph.graph.initializer)


def test_export_leaves_the_callers_model_as_it_was(tmp_path):
    model, _ = save_tiny_model(tmp_path)
    before = model.config._attn_implementation
    export_onnx(model, tmp_path / "model.onnx", int8=False)
    assert model.config._attn_implementation == before


def test_directory_naming_an_onnx_file_runs_it_with_onnx_runtime(tmp_path):
    model, tok = save_tiny_model(tmp_path)
    export_onnx(model, tmp_path / "graph.onnx", int8=False)
    (tmp_path / "pantau.json").write_text(json.dumps({"version": "tiny-onnx", "onnx": "graph.onnx"}))
    loaded = SentimentModel(tmp_path, batch_size=3)
    assert isinstance(loaded.classifier, OnnxClassifier)
    assert np.allclose(loaded.logits(TEXTS), torch_logits(model, tok, TEXTS), atol=1e-4)
    assert [r.label for r in loaded.predict(TEXTS, normalized=True)] == \
        [loaded.labels[i] for i in torch_logits(model, tok, TEXTS).argmax(-1)]


def test_missing_onnx_file_is_a_clear_error(tmp_path):
    save_tiny_model(tmp_path)
    (tmp_path / "pantau.json").write_text(json.dumps({"onnx": "model.onnx"}))
    with pytest.raises(SentimentModelError, match="model.onnx.*missing"):
        SentimentModel(tmp_path)


def test_corrupt_onnx_file_is_a_clear_error(tmp_path):
    save_tiny_model(tmp_path)
    (tmp_path / "model.onnx").write_bytes(b"\x08\x07not a graph")
    (tmp_path / "pantau.json").write_text(json.dumps({"onnx": "model.onnx"}))
    with pytest.raises(SentimentModelError, match="ONNX Runtime cannot load it"):
        SentimentModel(tmp_path)
