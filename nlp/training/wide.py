"""Fit the linear model the shipped student is averaged with (:mod:`nlp.sentiment.wide`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nlp.sentiment.encoders import Encoder
from nlp.sentiment.wide import WideLinear, feature_columns
from nlp.training.smsa import LABELS


def count_matrix(encode: Encoder, texts: Sequence[str], vocab: int, buckets: int):
    """Sparse ``(texts, vocab + buckets)`` counts of each text's unigram and bigram columns."""
    from scipy import sparse

    input_ids, attention_mask = encode(list(texts))
    rows, columns = feature_columns(input_ids, attention_mask, vocab, buckets)
    # scipy sums the repeated (row, column) pairs into counts when it builds the matrix
    return sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, columns)), shape=(len(texts), vocab + buckets))


def fit_wide(encode: Encoder, texts: Sequence[str], labels: Sequence[str], vocab: int, buckets: int,
             c: float, seed: int) -> WideLinear:
    """Multinomial logistic regression (L2, inverse strength ``c``) on the gold labels."""
    from sklearn.linear_model import LogisticRegression

    gold = np.array([LABELS.index(label) for label in labels])
    fitted = LogisticRegression(C=c, max_iter=3000, random_state=seed).fit(count_matrix(encode, texts, vocab, buckets), gold)
    if list(fitted.classes_) != list(range(len(LABELS))):
        raise ValueError(f"the training labels cover only {[LABELS[i] for i in fitted.classes_]}; the linear model needs all of {list(LABELS)}")
    return WideLinear(fitted.coef_.T, fitted.intercept_, vocab, buckets)
