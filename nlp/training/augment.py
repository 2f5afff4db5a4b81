"""Text the student learns from: every training text, its sentences, each raw and normalised.

The teacher labels the raw text (what it was fine-tuned on); the student sees the
:func:`nlp.normalize.normalize` form (what the tagger feeds it at run time) and optionally the raw
form too, with the same label, so that slang and its standard form mean the same."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Sample:
    source: str  # the raw text the teacher labels
    inputs: tuple[str, ...]  # what the student is trained on, all with the teacher's label
    origin: int  # index of the training example it comes from
    whole: bool  # the whole example (True) or one sentence of it


def sentences(text: str, min_words: int = 3) -> list[str]:
    """Sentences of ``text`` with at least ``min_words`` words (SmSA spaces its punctuation)."""
    parts = [p.strip() for p in _SENTENCE_END.split(text)]
    return [p for p in parts if len(p.split()) >= min_words]


def distillation_samples(texts: Iterable[str], normalize, with_sentences: bool = True,
                         with_raw: bool = True) -> list[Sample]:
    """Whole texts plus, for texts of two or more sentences, each sentence; deduplicated. Inputs
    are the normalised form and, ``with_raw``, the raw form too."""
    out: list[Sample] = []
    seen: set[str] = set()
    for i, text in enumerate(texts):
        pieces = [(text, True)]
        if with_sentences:
            parts = sentences(text)
            if len(parts) > 1:
                pieces += [(p, False) for p in parts]
        for piece, whole in pieces:
            if piece in seen:
                continue
            seen.add(piece)
            forms = (piece, normalize(piece)) if with_raw else (normalize(piece),)
            variants = tuple(dict.fromkeys(v for v in forms if v.strip()))
            out.append(Sample(piece, variants, i, whole))
    return out
