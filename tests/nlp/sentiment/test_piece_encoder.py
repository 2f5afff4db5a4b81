"""The piece cache must give the shipped tokenizer's ids exactly, and stand aside for any other
tokenizer pipeline."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer

from nlp.labelled import LABELLED_PATH
from nlp.normalize import normalize
from nlp.sentiment.model import SHIPPED_DIR
from nlp.sentiment.piece_encoder import PieceEncoder, piece_encoder

TOKENIZER_FILE = SHIPPED_DIR / "tokenizer.json"
PAD_ID = 1


def _tokenizer(max_length: int) -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(TOKENIZER_FILE))
    tokenizer.enable_truncation(max_length)
    tokenizer.enable_padding(pad_id=PAD_ID, pad_token="<pad>")
    return tokenizer


@functools.cache  # loading the tokenizer twice per generated example would dominate the test
def _pair(max_length: int = 96) -> tuple[Tokenizer, PieceEncoder]:
    tokenizer = _tokenizer(max_length)
    encoder = piece_encoder(TOKENIZER_FILE, tokenizer, max_length, PAD_ID)
    assert encoder is not None
    return tokenizer, encoder


def _reference(tokenizer: Tokenizer, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    batch = tokenizer.encode_batch(texts)
    return np.array([e.ids for e in batch]), np.array([e.attention_mask for e in batch])


def _assert_same(tokenizer: Tokenizer, encoder: PieceEncoder, texts: list[str]) -> None:
    want_ids, want_mask = _reference(tokenizer, texts)
    got_ids, got_mask = encoder(texts)
    assert got_ids.dtype == np.int64 and got_mask.dtype == np.int64
    np.testing.assert_array_equal(got_ids, want_ids)
    np.testing.assert_array_equal(got_mask, want_mask)


def test_the_projects_labelled_posts_raw_and_normalised_get_the_tokenizers_ids() -> None:
    tokenizer, encoder = _pair()
    raw = [json.loads(line)["text"] for line in LABELLED_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(raw) > 900
    for texts in (raw, [normalize(t) for t in raw]):
        for start in range(0, len(texts), 64):
            _assert_same(tokenizer, encoder, texts[start : start + 64])


@pytest.mark.parametrize("text", ["", " ", "  ", "a ", " a", "a  b", "a▁b", "▁", "\u00a0x", "x\u3000y", "ﬁle", "e\u0301",
                                  "ꟲ", "harga naik 𐞃",  # NFKC differs between Python 3.11 and tokenizers
                                  "halo <s> dunia", "</s>", "<pad><unk>", "😀 👍🏽", "\t\n"])
def test_edge_cases_get_the_tokenizers_ids(text: str) -> None:
    tokenizer, encoder = _pair()
    _assert_same(tokenizer, encoder, [text])


FRAGMENTS = [*"abkjalnu ▁.,!?<>/s0123456789", "\u00a0", "\u3000", "é", "e\u0301", "ﬁ", "😀", "\t", "\n", "ß", "İ", "ꟲ", "𐞃", "<s>",
             "</s>", "jalan", "rusak", "  "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join), min_size=1, max_size=4),
       st.sampled_from([3, 8, 96]))
def test_any_text_gets_the_tokenizers_ids(texts: list[str], max_length: int) -> None:
    tokenizer, encoder = _pair(max_length)
    _assert_same(tokenizer, encoder, texts)


def test_a_long_text_is_cut_before_the_closing_token() -> None:
    tokenizer, encoder = _pair(8)
    ids, mask = encoder(["satu dua tiga empat lima enam tujuh delapan sembilan sepuluh"])
    assert ids.shape == (1, 8) and mask.all() and ids[0, -1] == tokenizer.token_to_id("</s>")
    _assert_same(tokenizer, encoder, ["satu dua tiga empat lima enam tujuh delapan sembilan sepuluh"])


def test_a_huge_post_is_cut_like_the_tokenizer_cuts_it_and_fills_no_cache() -> None:
    tokenizer = _tokenizer(96)
    encoder = piece_encoder(TOKENIZER_FILE, tokenizer, 96, PAD_ID)
    assert encoder is not None
    huge = " ".join(f"kata{i}" for i in range(50_000))
    _assert_same(tokenizer, encoder, [huge])
    assert len(encoder.cache) <= 94


def test_repeated_pieces_come_from_the_cache() -> None:
    tokenizer = _tokenizer(96)
    encoder = piece_encoder(TOKENIZER_FILE, tokenizer, 96, PAD_ID)
    assert encoder is not None
    encoder(["jalan rusak parah", "jalan rusak lagi"])
    assert {"▁jalan", "▁rusak", "▁parah", "▁lagi"} <= set(encoder.cache)
    assert len(encoder.cache) == 4


@pytest.mark.parametrize("change", [
    lambda spec: spec.update(normalizer={"type": "Lowercase"}),
    lambda spec: spec.update(pre_tokenizer={"type": "Whitespace"}),
    lambda spec: spec["pre_tokenizer"].update(prepend_scheme="first"),
    lambda spec: spec.update(post_processor={"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0]}),
    lambda spec: spec["added_tokens"][0].update(normalized=True),
    lambda spec: spec["added_tokens"][0].update(lstrip=True),
])
def test_other_pipelines_are_left_to_the_tokenizer(tmp_path: Path, change) -> None:
    spec = json.loads(TOKENIZER_FILE.read_text(encoding="utf-8"))
    change(spec)
    other = tmp_path / "tokenizer.json"
    other.write_text(json.dumps(spec), encoding="utf-8")
    assert piece_encoder(other, Tokenizer.from_file(str(other)), 96, PAD_ID) is None


def test_without_a_template_no_special_tokens_are_added(tmp_path: Path) -> None:
    spec = json.loads(TOKENIZER_FILE.read_text(encoding="utf-8"))
    spec["post_processor"] = None
    plain = tmp_path / "tokenizer.json"
    plain.write_text(json.dumps(spec), encoding="utf-8")
    tokenizer = Tokenizer.from_file(str(plain))
    tokenizer.enable_truncation(5)
    tokenizer.enable_padding(pad_id=PAD_ID, pad_token="<pad>")
    encoder = piece_encoder(plain, tokenizer, 5, PAD_ID)
    assert encoder is not None and encoder.before == [] and encoder.after == []
    _assert_same(tokenizer, encoder, ["jalan rusak parah sekali di kota semarang", "banjir"])
