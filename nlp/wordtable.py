"""The word table behind :class:`nlp.textcat.LinearText`'s fast inference.

A linear model's logits are the sum of its features' weight rows, and every feature but the
word bigrams belongs to one word; so each word's features are looked up once and their rows
summed into one row of the table, and a batch becomes a gather of its words' rows plus its
vocabulary bigrams' rows and one segmented sum per text (numpy ``reduceat``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nlp.textcat import LinearText

ROW_LIMIT = 200_000  # words in the table before it starts again
SPAN = 1 << 24  # bigram key = first row * SPAN + second row (rows stay below ROW_LIMIT)


class WordTable:
    """Per word, the number of its features in the vocabulary (unigram, character n-grams) and
    the sum of their weight rows; the vocabulary's bigrams keyed by their two words' rows.

    Every word of a vocabulary bigram gets its row up front, so a bigram of the vocabulary is
    found by its two rows in one vectorised search; other words get rows as they come (up to
    ``ROW_LIMIT``, then the table starts again).
    """

    def __init__(self, model: LinearText) -> None:
        import numpy as np

        self.model = model
        vocab = model.featurizer.vocab
        self.unigrams = {f[2:]: i for f, i in vocab.items() if f.startswith("w:")}
        self.char_grams = {f[2:]: i for f, i in vocab.items() if f.startswith("c:")}
        bigrams = [(f[2:].split(" ", 1), i) for f, i in model.featurizer.vocab.items() if f.startswith("b:")]
        self.seeds = sorted({w for (a, b), _ in bigrams for w in (a, b)})
        self._reset()
        pairs = np.array([self.index[a] * SPAN + self.index[b] for (a, b), _ in bigrams], dtype=np.int64)
        order = np.argsort(pairs)
        self.bigram_keys = pairs[order]
        self.bigram_ids = np.array([i for _, i in bigrams], dtype=np.int64)[order]

    def _reset(self) -> None:
        import numpy as np

        self.index: dict[str, int] = {}
        self.scores = np.zeros((1024, len(self.model.labels)), dtype=np.float32)
        self.counts = np.zeros(1024, dtype=np.float32)
        self._add(self.seeds)

    def _add(self, words: Iterable[str]) -> None:
        import numpy as np
        from scipy.sparse import csr_matrix

        words = list(words)
        first, vocab = len(self.index), self.model.featurizer.vocab
        while first + len(words) > len(self.counts):
            self.scores = np.concatenate((self.scores, np.zeros_like(self.scores)))
            self.counts = np.concatenate((self.counts, np.zeros_like(self.counts)))
        ids = [self._feature_ids(w) for w in words]
        lengths = [len(row) for row in ids]
        flat = np.array([i for row in ids for i in row], dtype=np.int64)
        pointers = np.concatenate(([0], np.cumsum(lengths, dtype=np.int64)))
        features = csr_matrix((np.ones(len(flat), dtype=np.float32), flat, pointers), shape=(len(words), len(vocab)))
        self.scores[first : first + len(words)] = features @ self.model.weight
        self.counts[first : first + len(words)] = lengths
        self.index.update(zip(words, range(first, first + len(words))))

    def _feature_ids(self, word: str) -> list[int]:
        """``[vocab[g] for g in word_features(word) if g in vocab]``, without building the
        prefixed strings: the vocabulary split by feature type, looked up by the bare n-gram."""
        found = self.unigrams.get(word)
        ids = [] if found is None else [found]
        if word.isalnum() and len(word) > 2:
            padded, grams = f"<{word}>", self.char_grams
            ids += [i for n in (3, 4, 5) for s in range(len(padded) - n + 1) if (i := grams.get(padded[s : s + n])) is not None]
        return ids

    def sums(self, token_lists: Sequence[Sequence[str]]) -> tuple[Any, Any]:
        """Per text, the summed weight rows of its features (unscaled) and how many there are."""
        import numpy as np

        words = [w for row in token_lists for w in row]
        index = self.index
        missing = set(words) - index.keys()
        if missing:
            if len(index) + len(missing) > ROW_LIMIT:
                self._reset()
            self._add(missing)
        rows = np.array(list(map(index.__getitem__, words)), dtype=np.int64)
        n = len(token_lists)
        text_of = np.repeat(np.arange(n), [len(row) for row in token_lists])
        logits = segment_sums(self.scores[rows], text_of, n)
        counts = segment_sums(self.counts[rows], text_of, n)
        keys = rows[:-1] * SPAN + rows[1:]
        at = np.minimum(np.searchsorted(self.bigram_keys, keys), max(len(self.bigram_keys) - 1, 0))
        hit = (text_of[:-1] == text_of[1:]) & (self.bigram_keys[at] == keys) if len(self.bigram_keys) else keys < 0
        if hit.any():
            texts = text_of[:-1][hit]
            logits += segment_sums(self.model.weight[self.bigram_ids[at[hit]]], texts, n)
            counts += np.bincount(texts, minlength=n)
        return logits, counts


def segment_sums(values: Any, owner: Any, n: int) -> Any:
    """Row sums of ``values`` per owner in ``range(n)``; ``owner`` is sorted (rows come text by
    text), so one ``reduceat`` does it, with zeros for owners without rows."""
    import numpy as np

    out = np.zeros((n, *values.shape[1:]), dtype=values.dtype)
    if len(owner):
        starts = np.flatnonzero(np.concatenate(([True], owner[1:] != owner[:-1])))
        out[owner[starts]] = np.add.reduceat(values, starts, axis=0)
    return out
