"""Load a sentiment classifier directory and run batch inference on CPU.

A directory is a Hugging Face sequence-classification model (``config.json``, weights,
tokenizer files), loaded with ``local_files_only=True``: either the model the project ships
(``nlp/models/sentiment``) or one named by ``model.sentiment_model`` in the config. An optional
``pantau.json`` next to it holds what transformers does not: ``version``, ``max_length``, the
calibration ``temperature`` (scores are softmax(logits / temperature)), ``onnx``: the file name of
the same classifier exported as ONNX (run by ONNX Runtime instead of torch; the shipped model's
int8 graph, see :mod:`nlp.sentiment.onnx_runtime`), and ``quantize``: ``"int8"`` runs a torch
model's Linear layers as int8 with dynamic quantisation (for directories without an ONNX file), and
``wide``: ``{"file": ..., "weight": ...}``, a linear model over the same token ids whose
probabilities are averaged with the classifier's (:mod:`nlp.sentiment.wide`); the temperature then
applies to the blend.

The classifier must see the same normalised text it was trained on: :meth:`SentimentModel.predict`
runs :func:`nlp.normalize.normalize` unless the caller says the text is already normalised.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.sentiment.encoders import Encoder, hf_encoder, tokenizer_file_encoder
from pantau.errors import PantauError

LABELS = ("negative", "neutral", "positive")
SHIPPED_DIR = Path(__file__).resolve().parent.parent / "models" / "sentiment"


class SentimentModelError(PantauError):
    """The sentiment model directory cannot be used (missing, unreadable, wrong labels)."""


@dataclass(frozen=True)
class Sentiment:
    label: str
    score: float

    def as_dict(self) -> dict[str, object]:
        return {"label": self.label, "score": self.score}


def _label_order(id2label: dict) -> list[str]:
    names = [str(id2label[k]).strip().lower() for k in sorted(id2label, key=int)]
    short = {"pos": "positive", "neu": "neutral", "neg": "negative"}
    names = [short.get(n, n) for n in names]
    if sorted(names) != sorted(LABELS):
        raise SentimentModelError(
            f"the model's labels are {names}; set id2label in its config.json to "
            "positive / neutral / negative")
    return names


class SentimentModel:
    """A loaded classifier. Thread count and batching are chosen by the caller."""

    def __init__(self, path: str | Path | None = None, *, threads: int | None = None,
                 batch_size: int = 64) -> None:
        self.path = Path(path) if path else SHIPPED_DIR
        config_file = self.path / "config.json"
        if not config_file.is_file():
            raise SentimentModelError(
                f"{self.path}: not a Hugging Face model directory (no config.json); point "
                "model.sentiment_model at a local directory, or leave it empty for the shipped model")
        meta_file = self.path / "pantau.json"
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
            config = json.loads(config_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SentimentModelError(f"{self.path}: cannot read config.json or pantau.json ({exc})") from exc
        self.labels = _label_order(config.get("id2label") or {})
        self.encode, self.max_length = self._encoder(meta, config)
        self.classifier = _classifier(self.path, meta, meta_file, threads)
        if meta.get("wide"):
            self.classifier = _blended(self.path, meta["wide"], meta_file, self.classifier, int(config.get("vocab_size") or 0))
        self.version = str(meta.get("version") or f"{self.path.name}")
        self.temperature = float(meta.get("temperature", 1.0))
        self.batch_size = batch_size

    def _encoder(self, meta: dict, config: dict) -> tuple[Encoder, int]:
        """``(encoder, max_length)``: the tokenizer file alone for an ONNX directory, else
        transformers' tokenizer; the length from ``pantau.json``, else the tokenizer's own."""
        max_length = int(meta.get("max_length") or 0)
        tokenizer_file = self.path / "tokenizer.json"
        if meta.get("onnx") and tokenizer_file.is_file():
            max_length = max_length or 512
            return tokenizer_file_encoder(tokenizer_file, max_length, int(config.get("pad_token_id") or 0)), max_length
        from transformers import AutoTokenizer

        try:
            tokenizer = AutoTokenizer.from_pretrained(self.path, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise SentimentModelError(f"{self.path}: cannot load the tokenizer ({exc})") from exc
        max_length = max_length or min(tokenizer.model_max_length, 512)
        return hf_encoder(tokenizer, max_length), max_length

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Float32 logits, one row per text, in input order."""
        return batched_logits(self.classifier, self.encode, texts, self.batch_size)

    def predict(self, texts: Sequence[str], *, normalized: bool = False) -> list[Sentiment]:
        """One :class:`Sentiment` per text; empty text is neutral with full score."""
        if not normalized:
            from nlp.normalize import normalize

            texts = [normalize(t) for t in texts]
        keep = [i for i, t in enumerate(texts) if t.strip()]
        results = [Sentiment("neutral", 1.0)] * len(texts)
        if keep:
            probs = softmax(self.logits([texts[i] for i in keep]) / self.temperature)
            best = probs.argmax(-1)
            for j, i in enumerate(keep):
                results[i] = Sentiment(self.labels[int(best[j])], round(float(probs[j, best[j]]), 4))
        return results


def batched_logits(classifier, encode: Encoder, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """``classifier.logits`` over ``texts`` in batches of similar length (little padding), rows in
    input order."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out: np.ndarray | None = None
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        logits = classifier.logits(*encode([texts[i] for i in idx]))
        if out is None:
            out = np.empty((len(texts), logits.shape[1]), dtype=np.float32)
        out[idx] = logits
    return out if out is not None else np.empty((0, 0), dtype=np.float32)


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(-1, keepdims=True))
    return shifted / shifted.sum(-1, keepdims=True)


def _classifier(path: Path, meta: dict, meta_file: Path, threads: int | None):
    """The runtime named by ``pantau.json``: its ONNX file, else the torch weights."""
    if meta.get("onnx"):
        from nlp.sentiment.onnx_runtime import OnnxClassifier

        onnx_file = path / str(meta["onnx"])
        if not onnx_file.is_file():
            raise SentimentModelError(f"{onnx_file}: named by pantau.json's \"onnx\" but missing; restore it "
                                      "or remove the key to run the torch weights")
        try:
            return OnnxClassifier(onnx_file, threads)
        except Exception as exc:  # onnxruntime raises its own exception types for a bad graph
            raise SentimentModelError(f"{onnx_file}: ONNX Runtime cannot load it ({exc})") from exc
    from nlp.sentiment.torch_runtime import TorchClassifier

    quantize = str(meta.get("quantize") or "")
    if quantize not in ("", "int8"):
        raise SentimentModelError(f"{meta_file}: quantize {quantize!r} is not supported; use \"int8\" or leave it out")
    try:
        return TorchClassifier(path, threads, int8=quantize == "int8", bf16=bool(meta.get("bf16", True)))
    except (OSError, ValueError) as exc:
        raise SentimentModelError(f"{path}: cannot load the model ({exc})") from exc


def _blended(path: Path, wide: dict, meta_file: Path, classifier, vocab: int):
    """``classifier`` averaged with the linear model ``pantau.json``'s ``wide`` names."""
    from nlp.sentiment.wide import BlendedClassifier, WideLinear

    if not isinstance(wide, dict) or not isinstance(wide.get("file"), str) or not isinstance(wide.get("weight"), (int, float)):
        raise SentimentModelError(f'{meta_file}: "wide" must be {{"file": NAME, "weight": NUMBER}}, not {wide!r}')
    wide_file = path / wide["file"]
    try:
        linear = WideLinear.load(wide_file)
        blended = BlendedClassifier(classifier, linear, float(wide["weight"]))
    except OSError as exc:
        raise SentimentModelError(f"{wide_file}: named by pantau.json's \"wide\" but unreadable ({exc.strerror or exc}); "
                                  "restore it or remove the key") from None
    except ValueError as exc:
        raise SentimentModelError(f"{wide_file}: not a linear model of this directory ({exc})") from None
    if linear.vocab != vocab:
        raise SentimentModelError(f"{wide_file}: made for a vocabulary of {linear.vocab} tokens, the model has {vocab}")
    return blended


def load_sentiment_model(path: str | Path | None = None, **kwargs) -> SentimentModel:
    """The configured model directory, or the shipped one when ``path`` is empty."""
    return SentimentModel(path or None, **kwargs)
