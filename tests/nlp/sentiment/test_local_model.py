"""Loading a local Hugging Face model directory (as ``model.sentiment_model`` names one)."""

import json

import numpy as np
import pytest
import torch

from nlp.sentiment import SentimentModel, SentimentModelError, load_sentiment_model
from nlp.training.convert import build_tokenizer, wrap_tokenizer
from tests.nlp.training.e5_writer import PIECES


def save_tiny_model(path, id2label=None, temperature=None):
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    id2label = id2label or {0: "NEGATIVE", 1: "neutral", 2: "Positive"}
    config = BertConfig(vocab_size=len(PIECES), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=32, num_labels=3, id2label=id2label,
                        label2id={v: k for k, v in id2label.items()}, pad_token_id=1)
    model = BertForSequenceClassification(config)
    model.save_pretrained(path, safe_serialization=True)
    tok = wrap_tokenizer(build_tokenizer(PIECES, [0.0] * 4 + [-1.0] * (len(PIECES) - 4)), 32)
    tok.save_pretrained(path)
    if temperature:
        (path / "pantau.json").write_text(json.dumps({"version": "tiny-1", "temperature": temperature}))
    return model.eval(), tok


def test_loads_a_local_directory_and_scores_like_the_model(tmp_path):
    model, tok = save_tiny_model(tmp_path, temperature=2.0)
    loaded = load_sentiment_model(tmp_path, batch_size=2)
    assert loaded.version == "tiny-1" and loaded.labels == ["negative", "neutral", "positive"]
    texts = ["jalan rusak", "sangat bagus", "jalan", "bagus jalan rusak sangat"]
    got = loaded.predict(texts, normalized=True)
    with torch.no_grad():
        enc = tok(texts, padding=True, return_tensors="pt")
        probs = (model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).logits / 2.0).softmax(-1)
    for result, row in zip(got, probs, strict=True):
        assert result.label == loaded.labels[int(row.argmax())]
        assert result.score == pytest.approx(float(row.max()), abs=1e-3)


def test_normalises_unless_told_the_text_already_is(tmp_path):
    save_tiny_model(tmp_path)
    loaded = SentimentModel(tmp_path)
    assert loaded.version == tmp_path.name
    assert loaded.predict(["JALAN RUSAK"]) == loaded.predict(["jalan rusak"], normalized=True)


def test_blank_text_is_neutral(tmp_path):
    save_tiny_model(tmp_path)
    assert SentimentModel(tmp_path).predict(["", "   "], normalized=True)[0].as_dict() == {"label": "neutral", "score": 1.0}


def test_directory_without_a_model_is_a_clear_error(tmp_path):
    with pytest.raises(SentimentModelError, match="no config.json"):
        SentimentModel(tmp_path)


def test_labels_must_be_the_three_sentiments(tmp_path):
    save_tiny_model(tmp_path, id2label={0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"})
    with pytest.raises(SentimentModelError, match="set id2label"):
        SentimentModel(tmp_path)


def test_int8_directory_runs_quantised_linear_layers_close_to_fp32(tmp_path):
    model, tok = save_tiny_model(tmp_path)
    (tmp_path / "pantau.json").write_text(json.dumps({"version": "tiny-q", "quantize": "int8"}))
    loaded = SentimentModel(tmp_path)
    modules = list(loaded.classifier.model.modules())
    assert any(isinstance(m, torch.ao.nn.quantized.dynamic.Linear) for m in modules)
    assert not any(type(m) is torch.nn.Linear for m in modules)
    texts = ["jalan rusak", "sangat bagus", "jalan", "bagus jalan rusak sangat"]
    with torch.no_grad():
        enc = tok(texts, padding=True, return_tensors="pt")
        expected = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).logits
    assert np.allclose(loaded.logits(texts), expected.numpy(), atol=0.05)


def test_unknown_quantisation_is_a_clear_error(tmp_path):
    save_tiny_model(tmp_path)
    (tmp_path / "pantau.json").write_text(json.dumps({"quantize": "int4"}))
    with pytest.raises(SentimentModelError, match="int4"):
        SentimentModel(tmp_path)
