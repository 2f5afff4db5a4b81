"""Texts -> padded ``(input_ids, attention_mask)`` int64 arrays for a classifier.

The ONNX path reads ``tokenizer.json`` with the ``tokenizers`` library alone, so that a process
running the shipped model never imports transformers or torch (seconds of start-up and about
300 MB of memory in the daemon); a configured Hugging Face directory keeps transformers'
``AutoTokenizer``, which also handles directories without a ``tokenizer.json``. A
``tokenizer.json`` with the shipped model's pipeline is run through a cache of each word piece's ids
(:mod:`nlp.sentiment.piece_encoder`), which gives the same ids several times faster."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from nlp.sentiment.piece_encoder import piece_encoder

Encoder = Callable[[Sequence[str]], tuple[np.ndarray, np.ndarray]]


def tokenizer_file_encoder(tokenizer_file: Path, max_length: int, pad_id: int) -> Encoder:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.enable_truncation(max_length)
    tokenizer.enable_padding(pad_id=pad_id, pad_token=tokenizer.id_to_token(pad_id) or "<pad>")
    fast = piece_encoder(tokenizer_file, tokenizer, max_length, pad_id)
    if fast is not None:
        return fast

    def encode(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        batch = tokenizer.encode_batch(list(texts))
        return (np.array([e.ids for e in batch], dtype=np.int64),
                np.array([e.attention_mask for e in batch], dtype=np.int64))

    return encode


def hf_encoder(tokenizer, max_length: int) -> Encoder:
    """``tokenizer``: a transformers tokenizer."""
    def encode(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        enc = tokenizer(list(texts), padding=True, truncation=True, max_length=max_length, return_tensors="np")
        return enc["input_ids"].astype(np.int64), enc["attention_mask"].astype(np.int64)

    return encode
