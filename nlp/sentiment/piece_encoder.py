"""Tokenise one ``▁``-piece at a time, remembering each piece's ids.

Why: ``tokenizers``' ``encode_batch`` cost 65-150 us per post on the 2-core build machine (it
builds offsets and token strings the classifier never reads), a tenth of the whole tagging pass.
A Metaspace pre-tokeniser cuts a text into pieces that the model tokenises independently, and
posts reuse the same words, so the ids of each piece can be looked up instead: about 15 us per
post once warm, with the same ids (tests compare the two on the project's labelled posts and on
generated text).

The shortcut covers exactly one pipeline, the shipped model's: NFKC (optionally followed by
collapsing runs of spaces), Metaspace (``▁``, prepended always, split), any model, a template of
special tokens around the text, added tokens matched in the raw text only. :func:`piece_encoder`
returns ``None`` for any other ``tokenizer.json``; its caller then uses ``encode_batch``. Text
that is not ASCII is normalised by the tokenizer's own normaliser (Python's NFKC follows another
Unicode version), and a text that contains an added token's text (``<s>``...) goes through the
tokenizer, which matches those before anything else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

SPACE_RUNS = {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}
METASPACE = {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True}
PIECE = re.compile("▁[^▁]*")
MULTIPLE_SPACES = re.compile(" {2,}")
CACHE_LIMIT = 50_000  # pieces remembered (~380 bytes each); the cache starts afresh beyond it (SmSA has about 18,000)


def _collapses_spaces(normalizer: dict | None) -> bool | None:
    """Whether the normaliser is NFKC followed by collapsing spaces (True), NFKC alone (False),
    or anything else (None)."""
    if normalizer == {"type": "NFKC"}:
        return False
    if normalizer and normalizer.get("type") == "Sequence" and normalizer.get("normalizers") == [{"type": "NFKC"}, SPACE_RUNS]:
        return True
    return None


def _template(spec: dict | None) -> tuple[list[int], list[int]] | None:
    """``(ids before, ids after)`` the text of a single-sequence template, or ``None``."""
    if spec is None:
        return [], []
    if spec.get("type") != "TemplateProcessing":
        return None
    single, specials = spec.get("single") or [], spec.get("special_tokens") or {}
    texts = [i for i, part in enumerate(single) if "Sequence" in part]
    if len(texts) != 1 or not all("SpecialToken" in part for i, part in enumerate(single) if i != texts[0]):
        return None
    try:
        ids = [list(specials[part["SpecialToken"]["id"]]["ids"]) if "SpecialToken" in part else None for part in single]
    except KeyError:
        return None
    return [i for part in ids[: texts[0]] for i in part], [i for part in ids[texts[0] + 1 :] for i in part]


class PieceEncoder:
    """Texts -> ``(input_ids, attention_mask)``, as the tokenizer pads and truncates them."""

    def __init__(self, tokenizer, collapse_spaces: bool, before: list[int], after: list[int],
                 max_length: int, pad_id: int, added: Sequence[str]) -> None:
        self.tokenizer = tokenizer  # truncation enabled at max_length; used for texts with added tokens
        self.model, self.normalizer = tokenizer.model, tokenizer.normalizer
        self.collapse_spaces = collapse_spaces
        self.before, self.after = before, after
        self.room = max_length - len(before) - len(after)
        self.pad_id = pad_id
        self.added = tuple(added)
        self.cache: dict[str, list[int]] = {}

    def ids(self, text: str) -> list[int]:
        """The ids of one text, special tokens included, truncated."""
        if any(token in text for token in self.added):
            return self.tokenizer.encode(text).ids
        if not text.isascii():  # the tokenizer's own NFKC: Python's follows another Unicode version
            text = self.normalizer.normalize_str(text)
        elif self.collapse_spaces:  # NFKC leaves ASCII as it is
            text = MULTIPLE_SPACES.sub(" ", text)
        out = list(self.before)
        if text:
            text = text.replace(" ", "▁")
            cache = self.cache
            if len(cache) > CACHE_LIMIT:
                cache.clear()
            pieces = PIECE.findall(text if text.startswith("▁") else "▁" + text)
            for piece in pieces[: self.room]:  # each piece gives at least one id: a huge post costs no more
                piece_ids = cache.get(piece)
                if piece_ids is None:
                    piece_ids = cache[piece] = [token.id for token in self.model.tokenize(piece)]
                out += piece_ids
        del out[len(self.before) + self.room :]
        out += self.after
        return out

    def __call__(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        rows = [self.ids(text) for text in texts]
        width = max(map(len, rows), default=0)
        input_ids = np.full((len(rows), width), self.pad_id, dtype=np.int64)
        attention_mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, row in enumerate(rows):
            input_ids[i, : len(row)] = row
            attention_mask[i, : len(row)] = 1
        return input_ids, attention_mask


def piece_encoder(tokenizer_file: Path, tokenizer, max_length: int, pad_id: int) -> PieceEncoder | None:
    """A :class:`PieceEncoder` when ``tokenizer_file`` has the pipeline it reproduces, else ``None``.
    ``tokenizer``: the same file loaded by ``tokenizers``, truncation enabled at ``max_length``."""
    spec = json.loads(tokenizer_file.read_text(encoding="utf-8"))
    collapse = _collapses_spaces(spec.get("normalizer"))
    template = _template(spec.get("post_processor"))
    if collapse is None or template is None or spec.get("pre_tokenizer") != METASPACE or max_length <= len(template[0]) + len(template[1]):
        return None
    added_tokens = spec.get("added_tokens") or []
    if any(token.get("normalized") or token.get("lstrip") or token.get("rstrip") or token.get("single_word")
           for token in added_tokens):
        return None  # matched after normalisation or around spaces: only the tokenizer knows where
    added = [token["content"] for token in added_tokens if token.get("content")]
    return PieceEncoder(tokenizer, collapse, *template, max_length, pad_id, added)
