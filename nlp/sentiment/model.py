"""Load a sentiment classifier directory and run batch inference on CPU.

A directory is a Hugging Face sequence-classification model (``config.json``, weights,
tokenizer files), loaded with ``local_files_only=True``: either the model the project ships
(``nlp/models/sentiment``) or one named by ``model.sentiment_model`` in the config. An optional
``pantau.json`` next to it holds what transformers does not: ``version``, ``max_length``, the
calibration ``temperature`` (scores are softmax(logits / temperature)) and ``quantize``: ``"int8"``
runs the Linear layers as int8 with dynamic quantisation (faster on CPUs without bf16 units; the
model card's figures are measured that way).

The classifier must see the same normalised text it was trained on: :meth:`SentimentModel.predict`
runs :func:`nlp.normalize.normalize` unless the caller says the text is already normalised.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

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
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # no "Loading weights" bar in the tagger's or the CLI's output

        self.path = Path(path) if path else SHIPPED_DIR
        if not (self.path / "config.json").is_file():
            raise SentimentModelError(
                f"{self.path}: not a Hugging Face model directory (no config.json); point "
                "model.sentiment_model at a local directory, or leave it empty for the shipped model")
        meta_file = self.path / "pantau.json"
        meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
        if threads:
            torch.set_num_threads(threads)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(self.path, local_files_only=True)
            self.model = AutoModelForSequenceClassification.from_pretrained(self.path, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise SentimentModelError(f"{self.path}: cannot load the model ({exc})") from exc
        self.model.eval()
        self.quantize = str(meta.get("quantize") or "")
        if self.quantize == "int8":
            self.model = quantize_int8(self.model)
        elif self.quantize:
            raise SentimentModelError(f"{meta_file}: quantize {self.quantize!r} is not supported; use \"int8\" or leave it out")
        self.labels = _label_order(self.model.config.id2label)
        self.version = str(meta.get("version") or f"{self.path.name}")
        self.temperature = float(meta.get("temperature", 1.0))
        self.max_length = int(meta.get("max_length") or min(self.tokenizer.model_max_length, 512))
        self.batch_size = batch_size
        self.bf16 = bool(meta.get("bf16", True)) and _bf16_ok() and not self.quantize

    def logits(self, texts: Sequence[str]):
        """Float32 logits, one row per text, in input order (batches are sorted by length)."""
        import torch

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = torch.empty(len(texts), len(self.labels))
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                idx = order[start : start + self.batch_size]
                enc = self.tokenizer([texts[i] for i in idx], padding=True, truncation=True,
                                     max_length=self.max_length, return_tensors="pt")
                enc.pop("token_type_ids", None)
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
                    out[idx] = self.model(**enc).logits.float()
        return out

    def predict(self, texts: Sequence[str], *, normalized: bool = False) -> list[Sentiment]:
        """One :class:`Sentiment` per text; empty text is neutral with full score."""
        if not normalized:
            from nlp.normalize import normalize

            texts = [normalize(t) for t in texts]
        keep = [i for i, t in enumerate(texts) if t.strip()]
        results = [Sentiment("neutral", 1.0)] * len(texts)
        if keep:
            probs = (self.logits([texts[i] for i in keep]) / self.temperature).softmax(-1)
            score, best = probs.max(-1)
            for j, i in enumerate(keep):
                results[i] = Sentiment(self.labels[int(best[j])], round(float(score[j]), 4))
        return results


def quantize_int8(model):
    """``model`` with its Linear layers as int8 dynamically quantised ones (weights per tensor,
    activations quantised per batch)."""
    import warnings

    import torch

    with warnings.catch_warnings():  # quantized tensor creation is marked deprecated in torch 2.13
        warnings.simplefilter("ignore", UserWarning)
        return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def _bf16_ok() -> bool:
    """bf16 autocast pays off only on CPUs with native bf16 (AMX / AVX512-BF16)."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


def load_sentiment_model(path: str | Path | None = None, **kwargs) -> SentimentModel:
    """The configured model directory, or the shipped one when ``path`` is empty."""
    return SentimentModel(path or None, **kwargs)
