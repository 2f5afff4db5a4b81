"""The linear model over token ids: its columns, its logits, its file, and the blend with the student."""

import numpy as np
import pytest

from nlp.sentiment.model import softmax
from nlp.sentiment.wide import BIGRAM_PRIME, BlendedClassifier, WideLinear, feature_columns
from nlp.training.wide import count_matrix, fit_wide

WORDS = {w: i for i, w in enumerate("<pad> <s> </s> jalan rusak bagus sangat lambat cepat pelayanan".split())}
VOCAB, BUCKETS = len(WORDS), 31
TEXTS = ["jalan rusak", "pelayanan lambat", "jalan sangat rusak", "pelayanan cepat", "sangat bagus", "jalan bagus",
         "pelayanan", "jalan"]
LABELS = ["negative", "negative", "negative", "positive", "positive", "positive", "neutral", "neutral"]


def encode(texts):
    rows = [[1] + [WORDS[w] for w in t.split()] + [2] for t in texts]
    width = max(map(len, rows))
    ids = np.array([r + [0] * (width - len(r)) for r in rows], dtype=np.int64)
    return ids, (ids != 0).astype(np.int64)


def test_columns_are_the_unpadded_ids_and_their_hashed_pairs():
    ids, mask = encode(["jalan rusak", "bagus"])
    rows, columns = feature_columns(ids, mask, VOCAB, BUCKETS)
    pair = lambda a, b: VOCAB + (a * BIGRAM_PRIME + b) % BUCKETS  # noqa: E731
    assert sorted(zip(rows.tolist(), columns.tolist())) == sorted([
        (0, 1), (0, 3), (0, 4), (0, 2), (0, pair(1, 3)), (0, pair(3, 4)), (0, pair(4, 2)),
        (1, 1), (1, 5), (1, 2), (1, pair(1, 5)), (1, pair(5, 2)),
    ])


def test_logits_are_the_counts_times_the_weights_plus_the_bias():
    rng = np.random.default_rng(0)
    wide = WideLinear(rng.normal(size=(VOCAB + BUCKETS, 3)), rng.normal(size=3), VOCAB, BUCKETS)
    texts = ["jalan jalan rusak", "sangat bagus", "pelayanan"]  # a repeated word counts twice; padding not at all
    expected = count_matrix(encode, texts, VOCAB, BUCKETS) @ wide.weights + wide.bias
    assert np.allclose(wide.logits(*encode(texts)), expected, atol=1e-5)


def test_fitted_model_learns_the_training_labels():
    wide = fit_wide(encode, TEXTS, LABELS, VOCAB, BUCKETS, c=10.0, seed=13)
    predicted = [["negative", "neutral", "positive"][i] for i in wide.logits(*encode(TEXTS)).argmax(-1)]
    assert predicted == LABELS


def test_fitting_without_every_label_is_refused():
    with pytest.raises(ValueError, match="neutral"):
        fit_wide(encode, TEXTS[:6], LABELS[:6], VOCAB, BUCKETS, c=1.0, seed=13)


def test_file_round_trip(tmp_path):
    wide = fit_wide(encode, TEXTS, LABELS, VOCAB, BUCKETS, c=1.0, seed=13)
    loaded = WideLinear.load(wide.save(tmp_path / "wide.npz"))
    assert (loaded.vocab, loaded.buckets) == (VOCAB, BUCKETS)
    assert np.array_equal(loaded.logits(*encode(TEXTS)), wide.logits(*encode(TEXTS)))


@pytest.mark.parametrize("content", [b"", b"not a zip", b"PK\x03\x04 truncated"])
def test_a_damaged_file_is_a_value_error(tmp_path, content):
    (tmp_path / "wide.npz").write_bytes(content)
    with pytest.raises(ValueError):
        WideLinear.load(tmp_path / "wide.npz")


def test_weights_that_do_not_fit_the_vocabulary_are_refused():
    with pytest.raises(ValueError, match="do not fit"):
        WideLinear(np.zeros((VOCAB, 3)), np.zeros(3), VOCAB, BUCKETS)


class Fixed:
    def __init__(self, logits):
        self.value = np.asarray(logits, dtype=np.float32)

    def logits(self, input_ids, attention_mask):
        return np.repeat(self.value[None], len(input_ids), axis=0)


def test_blend_is_the_weighted_average_of_the_two_distributions():
    wide = WideLinear(np.zeros((VOCAB + BUCKETS, 3)), np.array([0.0, 0.0, 2.0]), VOCAB, BUCKETS)
    student = Fixed([2.0, 0.0, -1.0])
    blended = BlendedClassifier(student, wide, 0.25)
    ids, mask = encode(["jalan rusak"])
    expected = 0.75 * softmax(student.value) + 0.25 * softmax(np.array([0.0, 0.0, 2.0]))
    assert np.allclose(softmax(blended.logits(ids, mask))[0], expected, atol=1e-6)


def test_blend_weight_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="between 0 and 1"):
        BlendedClassifier(Fixed([0, 0, 0]), WideLinear(np.zeros((VOCAB + BUCKETS, 3)), np.zeros(3), VOCAB, BUCKETS), 1.5)
