"""The reference baseline of issue 3: TF-IDF (word 1-2 + char 2-5 n-grams) + logistic regression."""

from __future__ import annotations

from collections.abc import Sequence


def train_baseline(texts: Sequence[str], labels: Sequence[str], seed: int = 13):
    """A fitted scikit-learn pipeline (``.predict(texts) -> labels``)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=1, sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
    )
    clf = LogisticRegression(C=10.0, max_iter=2000, random_state=seed)
    return make_pipeline(features, clf).fit(list(texts), list(labels))
