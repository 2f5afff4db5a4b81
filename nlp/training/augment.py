"""The transfer set the student learns from: every training text, its sentences, noisy copies of
the texts and the project's own unlabelled posts.

A small student gains most from seeing the teacher's soft labels on many more inputs than the
labelled set (TinyBERT-style transfer set). The teacher labels each sample's raw ``source``
(what it was fine-tuned on); the student sees the :func:`nlp.normalize.normalize` form (what the
tagger feeds it at run time) and optionally the raw form too, with the same soft label. Only
whole training texts carry their gold label; a sentence, a noisy copy or an extra post has the
teacher's label alone."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Sample:
    source: str  # the raw text the teacher labels
    inputs: tuple[str, ...]  # what the student is trained on, all with the teacher's label
    origin: int  # index of the training example it comes from; -1 for an extra unlabelled text
    whole: bool  # the whole labelled example (True: its gold label applies) or derived text


def sentences(text: str, min_words: int = 3) -> list[str]:
    """Sentences of ``text`` with at least ``min_words`` words (SmSA spaces its punctuation)."""
    parts = [p.strip() for p in _SENTENCE_END.split(text)]
    return [p for p in parts if len(p.split()) >= min_words]


def noisy_copy(text: str, rng: random.Random, drop: float = 0.1) -> str:
    """``text`` with each word dropped with probability ``drop`` (at least 3 words stay) and,
    half of the time, two neighbouring words swapped."""
    words = text.split()
    kept = [w for w in words if rng.random() >= drop]
    if len(kept) < min(3, len(words)):
        kept = words
    if len(kept) > 2 and rng.random() < 0.5:
        i = rng.randrange(len(kept) - 1)
        kept[i], kept[i + 1] = kept[i + 1], kept[i]
    return " ".join(kept)


def distillation_samples(texts: Sequence[str], normalize: Callable[[str], str], with_sentences: bool = True,
                         with_raw: bool = True, noisy_copies: int = 0, extra_texts: Iterable[str] = (),
                         seed: int = 13) -> list[Sample]:
    """Whole texts; for texts of two or more sentences, each sentence; ``noisy_copies`` noisy
    copies of each text (:func:`noisy_copy`); then ``extra_texts``. Deduplicated by source.
    Inputs are the normalised form and, ``with_raw``, the raw form too."""
    rng = random.Random(seed)
    out: list[Sample] = []
    seen: set[str] = set()

    def add(piece: str, origin: int, whole: bool) -> None:
        if piece in seen or not piece.strip():
            return
        seen.add(piece)
        forms = (piece, normalize(piece)) if with_raw else (normalize(piece),)
        variants = tuple(dict.fromkeys(v for v in forms if v.strip()))
        if variants:
            out.append(Sample(piece, variants, origin, whole))

    for i, text in enumerate(texts):
        add(text, i, True)
    for i, text in enumerate(texts):
        parts = sentences(text) if with_sentences else []
        for part in parts if len(parts) > 1 else []:
            add(part, i, False)
        for _ in range(noisy_copies):
            add(noisy_copy(text, rng), i, False)
    for text in extra_texts:
        add(text.strip(), -1, False)
    return out
