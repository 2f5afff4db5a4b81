"""A linear model over the student's own token ids, averaged with the student.

Why: the distilled 2-layer student and a logistic regression over the same SentencePiece ids
(unigrams and hashed bigrams, counted) score alike on SmSA valid (0.850 and 0.860 macro-F1) but
err on different posts, and the average of their probabilities scores 0.874 (measured with the
shipped student). Its features are the ids the tokenizer has already made for the student, so it
costs a gather and a sum per post: about 10 microseconds against the student's ~550.

Columns: a unigram is its token id (``0 .. vocab-1``); a bigram of ids ``a b`` is
``vocab + (a * BIGRAM_PRIME + b) % buckets``. Padding (``attention_mask`` 0) counts for nothing;
the special tokens the tokenizer adds are features like any other (constant ones act as a bias).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from nlp.sentiment.model import softmax

BIGRAM_PRIME = 1_000_003


def bigram_columns(input_ids: np.ndarray, vocab: int, buckets: int) -> np.ndarray:
    """Column of each neighbouring pair of ids, shape ``(batch, tokens - 1)``."""
    return vocab + (input_ids[:, :-1] * BIGRAM_PRIME + input_ids[:, 1:]) % buckets


def feature_columns(input_ids: np.ndarray, attention_mask: np.ndarray, vocab: int,
                    buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, columns)`` of every counted feature (a row repeats a column once per occurrence)."""
    batch, tokens = input_ids.shape
    mask = attention_mask.astype(bool)
    pair_mask = mask[:, :-1] & mask[:, 1:]
    rows = np.concatenate([np.broadcast_to(np.arange(batch)[:, None], (batch, tokens))[mask],
                           np.broadcast_to(np.arange(batch)[:, None], (batch, tokens - 1))[pair_mask]])
    columns = np.concatenate([input_ids[mask], bigram_columns(input_ids, vocab, buckets)[pair_mask]])
    return rows, columns


class WideLinear:
    """Multinomial logistic regression over the counted columns: ``logits = counts @ weights + bias``."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray, vocab: int, buckets: int) -> None:
        if weights.shape[0] != vocab + buckets or bias.shape != (weights.shape[1],):
            raise ValueError(f"weights {weights.shape} and bias {bias.shape} do not fit vocab {vocab} + buckets {buckets}")
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)  # (columns, classes)
        self.bias = bias.astype(np.float32)
        self.vocab, self.buckets = vocab, buckets

    def logits(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        mask = attention_mask.astype(np.float32)
        out = np.einsum("btc,bt->bc", self.weights[input_ids], mask)
        pairs = self.weights[bigram_columns(input_ids, self.vocab, self.buckets)]
        out += np.einsum("btc,bt->bc", pairs, mask[:, :-1] * mask[:, 1:])
        return out + self.bias

    def save(self, path: Path) -> Path:
        with path.open("wb") as handle:  # np.savez_compressed would append ".npz" to a str path
            np.savez_compressed(handle, weights=self.weights, bias=self.bias, vocab=self.vocab, buckets=self.buckets)
        return path

    @classmethod
    def load(cls, path: Path) -> WideLinear:
        """Raises ValueError (bad content) or OSError (unreadable)."""
        try:
            with np.load(path, allow_pickle=False) as data:
                return cls(data["weights"], data["bias"], int(data["vocab"]), int(data["buckets"]))
        except KeyError as exc:
            raise ValueError(f"missing array {exc}") from None
        except (EOFError, ValueError, zipfile.BadZipFile) as exc:  # how numpy and zipfile report a damaged file
            raise ValueError(str(exc) or "damaged file") from None


class BlendedClassifier:
    """``(1 - weight) * softmax(student) + weight * softmax(wide)``, returned as log-probabilities:
    logits whose softmax is the blend, so temperature scaling and argmax work on them unchanged."""

    def __init__(self, student, wide: WideLinear, weight: float) -> None:
        if not 0.0 <= weight <= 1.0:
            raise ValueError(f"blend weight {weight} is not between 0 and 1")
        self.student, self.wide, self.weight = student, wide, weight

    def logits(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        return blend_logits(self.student.logits(input_ids, attention_mask), self.wide.logits(input_ids, attention_mask),
                            self.weight)


def blend_logits(student: np.ndarray, wide: np.ndarray, weight: float) -> np.ndarray:
    """Log of ``(1 - weight) * softmax(student) + weight * softmax(wide)``, row by row."""
    blend = (1.0 - weight) * softmax(student)
    blend += weight * softmax(wide)
    return np.log(np.maximum(blend, 1e-12)).astype(np.float32)
