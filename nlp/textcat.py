"""A small, fast text classifier shared by the kind and topic models.

Features are word unigrams and bigrams plus character 3-5-grams of each word, read from
normalised text, and optional extra tokens (the rules' hits, ``r:<label>``). The model is one
linear layer (the n-grams' values scaled by 1/sqrt(n), the extra tokens' 1, so a rule hit
weighs as much as a whole text) fitted as a logistic regression. Only features seen in training
have weights, so the vocabulary is a dict and unknown features cost nothing; per-word features
are cached.

Inference is linear, so it is computed per word rather than per feature: each word's features
are looked up once and their weight rows summed into one row of a word table (:class:`nlp.wordtable.WordTable`);
a batch is then a gather of its words' rows and bigrams' weights and one segmented sum per text
(numpy ``reduceat``), several times cheaper than a feature-level CSR product; torch is not used. Weights are stored as ``model.safetensors`` (float16), the vocabulary and settings as
``config.json``; both are small enough to ship in the repository.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlp.wordtable import WordTable, segment_sums
from pantau.errors import PantauError

_DIGITS = re.compile(r"\d")
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*|[?!]")
_CACHE_LIMIT = 200_000


def tokens(text: str) -> list[str]:
    """Words (digits folded to 0) and the marks ``?``/``!`` of a normalised text."""
    return [token for chunk in text.split() for token in _chunk_tokens(chunk)]


@lru_cache(maxsize=65536)
def _chunk_tokens(chunk: str) -> tuple[str, ...]:
    """The tokens of one space-free piece of text (no token spans a space; pieces recur)."""
    return tuple(_WORD.findall(_DIGITS.sub("0", chunk.lower())))


@lru_cache(maxsize=512)
def shared_tokens(text: str) -> tuple[str, ...]:
    """:func:`tokens`, remembered for the last few hundred texts: the kind and topic models
    read the same batch one after the other."""
    return tuple(tokens(text))


@lru_cache(maxsize=65536)
def word_features(word: str) -> tuple[str, ...]:
    """The unigram and character 3-5-grams of one word."""
    padded = f"<{word}>"
    grams = [f"w:{word}"]
    if word.isalnum() and len(word) > 2:
        grams += [f"c:{padded[i:i + n]}" for n in (3, 4, 5) for i in range(len(padded) - n + 1)]
    return tuple(grams)


def text_features(text: str, extra: Iterable[str] = ()) -> list[str]:
    """Every feature string of one text (used to build the vocabulary)."""
    words = tokens(text)
    out = [g for w in words for g in word_features(w)]
    out += [f"b:{a} {b}" for a, b in zip(words, words[1:])]
    out += list(extra)
    return out


class Featurizer:
    """Maps texts to vocabulary ids; per-word ids are cached."""

    def __init__(self, vocab: dict[str, int]) -> None:
        self.vocab = vocab
        self._cache: dict[str, list[int]] = {}

    @classmethod
    def build(cls, texts: Sequence[str], extras: Sequence[Iterable[str]], min_count: int) -> Featurizer:
        counts: Counter[str] = Counter()
        for text, extra in zip(texts, extras):
            counts.update(set(text_features(text, extra)))
        kept = sorted(f for f, c in counts.items() if c >= min_count or f.startswith("r:"))
        return cls({f: i for i, f in enumerate(kept)})

    def ids(self, text: str) -> list[int]:
        vocab, cache = self.vocab, self._cache
        words = tokens(text)
        out: list[int] = []
        for word in words:
            cached = cache.get(word)
            if cached is None:
                if len(cache) > _CACHE_LIMIT:
                    cache.clear()
                cached = cache[word] = [vocab[g] for g in word_features(word) if g in vocab]
            out += cached
        for a, b in zip(words, words[1:]):
            i = vocab.get(f"b:{a} {b}")
            if i is not None:
                out.append(i)
        return out

    def extra_ids(self, extra: Iterable[str]) -> list[int]:
        return [self.vocab[f] for f in extra if f in self.vocab]


@dataclass
class LinearText:
    """Featurizer + linear layer (``weight``: features x labels, ``bias``); ``scores`` gives logits."""

    featurizer: Featurizer
    labels: list[str]
    weight: Any  # numpy float32 array, one row per feature
    bias: Any  # numpy float32 array, one value per label
    _table: WordTable | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def untrained(cls, featurizer: Featurizer, labels: list[str]) -> LinearText:
        import numpy as np

        n = len(featurizer.vocab)
        return cls(featurizer, labels, np.zeros((n, len(labels)), dtype=np.float32), np.zeros(len(labels), dtype=np.float32))

    def matrix(self, texts: Sequence[str], extras: Sequence[Iterable[str]] | None = None) -> Any:
        """The texts' features as a CSR matrix: n-grams weigh 1/sqrt(n) each, extra tokens 1."""
        import numpy as np
        from scipy.sparse import csr_matrix

        flat: list[int] = []
        pointers = [0]
        scales: list[float] = []
        lengths: list[int] = []
        for n, text in enumerate(texts):
            ids = self.featurizer.ids(text)
            extra = self.featurizer.extra_ids(extras[n]) if extras is not None else []
            flat += ids
            flat += extra
            pointers.append(len(flat))
            scales += (1.0 / math.sqrt(max(len(ids), 1)), 1.0)
            lengths += (len(ids), len(extra))
        values = np.repeat(np.array(scales, dtype=np.float32), lengths)
        return csr_matrix((values, np.array(flat, dtype=np.int64), np.array(pointers, dtype=np.int64)),
                          shape=(len(texts), len(self.featurizer.vocab)))

    def scores(self, texts: Sequence[str], extras: Sequence[Iterable[str]] | None = None) -> Any:
        """Logits, one row per text: the same as ``matrix(texts, extras) @ weight + bias``
        (up to float32 rounding), computed through the word table."""
        import numpy as np

        if self._table is None:
            self._table = WordTable(self)
        logits, counts = self._table.sums([shared_tokens(t) for t in texts])
        logits *= (1.0 / np.sqrt(np.maximum(counts, 1))).astype(np.float32)[:, None]
        if extras is not None:
            ids = [self.featurizer.extra_ids(e) for e in extras]
            flat = np.array([i for row in ids for i in row], dtype=np.int64)
            owner = np.repeat(np.arange(len(texts)), [len(row) for row in ids])
            logits += segment_sums(self.weight[flat], owner, len(texts))
        return logits + self.bias

    def fit(self, texts: Sequence[str], extras: Sequence[Iterable[str]], targets: Sequence[Any], *, multilabel: bool,
            c: float, seed: int) -> None:
        """Logistic regression (scikit-learn, L-BFGS) on these features.

        ``targets``: one label index per text, or (multilabel) one 0/1 row per text, fitted as one
        balanced binary model per label. The optimum is exact and deterministic, and a few hundred
        posts train in about a second.
        """
        import numpy as np
        from sklearn.linear_model import LogisticRegression

        self._table = None
        matrix = self.matrix(texts, extras)
        y = np.asarray(targets)
        if multilabel:
            for j in range(len(self.labels)):
                if 0 < y[:, j].sum() < len(y):
                    lr = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=seed).fit(matrix, y[:, j])
                    self.weight[:, j], self.bias[j] = lr.coef_[0], lr.intercept_[0]
                else:
                    self.bias[j] = 20.0 if y[0, j] else -20.0
        else:
            lr = LogisticRegression(C=c, max_iter=3000, random_state=seed).fit(matrix, y)
            self.bias[:] = -20.0
            for row, label in enumerate(lr.classes_):
                self.weight[:, label], self.bias[label] = lr.coef_[row], lr.intercept_[row]

    def save(self, folder: Path, meta: dict[str, Any]) -> None:
        from safetensors.numpy import save_file

        folder.mkdir(parents=True, exist_ok=True)
        save_file({"weight": self.weight.astype("float16"), "bias": self.bias}, str(folder / "model.safetensors"))
        config = {**meta, "labels": self.labels, "features": sorted(self.featurizer.vocab, key=self.featurizer.vocab.__getitem__)}
        (folder / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=0), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> tuple[LinearText, dict[str, Any]]:
        from safetensors.numpy import load_file

        config = read_config(folder)
        try:
            tensors = load_file(str(folder / "model.safetensors"))
        except (OSError, ValueError) as exc:
            raise ModelFilesError(f"{folder}: cannot read model.safetensors ({exc}); retrain the model") from None
        features = config.pop("features")
        weight, bias = tensors["weight"].astype("float32"), tensors["bias"].astype("float32")
        if weight.shape != (len(features), len(config["labels"])):
            raise ModelFilesError(f"{folder}: model.safetensors does not match config.json; retrain the model")
        model = cls(Featurizer({f: i for i, f in enumerate(features)}), list(config["labels"]), weight, bias)
        return model, config


class ModelFilesError(PantauError):
    """A model folder is missing or incomplete."""


def read_config(folder: Path) -> dict[str, Any]:
    """A model folder's ``config.json`` (its mode, labels, features and training settings)."""
    try:
        return dict(json.loads((folder / "config.json").read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise ModelFilesError(f"{folder}: no readable model config.json ({exc}); retrain with `python -m nlp.kind train` or `python -m nlp.topics train`") from None


def save_rules_only(folder: Path, meta: dict[str, Any]) -> None:
    """Record that the rules alone won: a config.json without weights."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.safetensors").unlink(missing_ok=True)
    (folder / "config.json").write_text(json.dumps({**meta, "mode": "rules"}, indent=0), encoding="utf-8")
