"""MinHash signatures and LSH band keys of word bigrams, computed for a whole batch in numpy.

Each text's normalised words become bigrams, hashed by CRC32 and spread by MurmurHash3's
finaliser; ``NUM_PERM`` permutations ``a * h + b mod 2**32`` give the signature, whose
``BANDS`` bands of ``ROWS`` values fold into one 64-bit key each (:mod:`nlp.dedup` buckets them).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

BANDS, ROWS = 20, 3
NUM_PERM = BANDS * ROWS
SEED = 33
# Odd 64-bit multipliers that fold a band's values (and its number) into one key.
_FOLD = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93], dtype=np.uint64)
# A token (between ASCII whitespace) that does not start with an ASCII letter or digit.
_ASCII_PUNCT_TOKEN = re.compile(rb"(?<!\S)[^0-9A-Za-z\s]\S*")


def shingles(normalised: str, min_words: int = 1) -> set[bytes]:
    """Word bigrams of a normalised text (punctuation dropped); single words for one-word texts;
    nothing for texts of fewer than ``min_words`` words."""
    words = [t for t in normalised.split() if t[0].isalnum()]
    if len(words) < min_words:
        return set()
    if len(words) < 2:
        return {w.encode() for w in words}
    return {f"{a} {b}".encode() for a, b in zip(words, words[1:])}


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser: spreads CRC32's linear bits before the permutations."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


_rng = np.random.RandomState(SEED)
_PERM_A = (_rng.randint(0, 2**31, NUM_PERM, dtype=np.uint64).astype(np.uint32) << np.uint32(1)) | np.uint32(1)
_PERM_B = _rng.randint(0, 2**32, NUM_PERM, dtype=np.uint64).astype(np.uint32)


def signatures(sets: Sequence[set[bytes]]) -> np.ndarray:
    """MinHash signatures (one row of ``NUM_PERM`` uint32 per set) for a batch, in one numpy pass.

    Each permutation is ``a * h + b mod 2**32`` with ``a`` odd (a bijection); empty sets get
    the all-ones row, which the caller never indexes.
    """
    return signatures_of_hashes([list(map(zlib.crc32, s)) for s in sets])


def shingle_hashes(normalised: str, min_words: int) -> list[int]:
    """CRC32 of each of :func:`shingles` (a repeated bigram may repeat: the minimum is the same)."""
    if normalised.isascii():  # the common case: no decoding, punctuation dropped and bytes joined in C
        words = _ASCII_PUNCT_TOKEN.sub(b"", normalised.encode()).split()
    else:
        words = [w.encode() for w in normalised.split() if w[0].isalnum()]
    if len(words) < min_words:
        return []
    if len(words) < 2:
        return list(map(zlib.crc32, words))
    return list(map(zlib.crc32, map(b" ".join, zip(words, words[1:]))))


def signatures_of_hashes(hashes: Sequence[list[int]]) -> np.ndarray:
    out = np.full((len(hashes), NUM_PERM), np.iinfo(np.uint32).max, dtype=np.uint32)
    lengths = np.array([len(h) for h in hashes], dtype=np.int64)
    if not lengths.sum():
        return out
    flat = np.array([h for row in hashes for h in row], dtype=np.uint32)
    with np.errstate(over="ignore"):
        permuted = _fmix32(flat)[:, None] * _PERM_A + _PERM_B
    nonempty = np.flatnonzero(lengths)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[nonempty]
    out[nonempty] = np.minimum.reduceat(permuted, starts, axis=0)
    return out


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """Per signature, one signed 64-bit key per band: the band's values and number, folded."""
    n = len(sigs)
    bands = np.empty((n, BANDS, ROWS + 1), dtype=np.uint64)
    bands[:, :, :ROWS] = sigs.reshape(n, BANDS, ROWS)
    bands[:, :, ROWS] = np.arange(BANDS, dtype=np.uint64)
    with np.errstate(over="ignore"):
        folded = (bands * _FOLD[: ROWS + 1]).sum(axis=2, dtype=np.uint64)
    return folded.view(np.int64)
