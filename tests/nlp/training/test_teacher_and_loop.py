import torch

from nlp.training.convert import convert
from nlp.training.loop import TrainSpec, length_batches, train
from nlp.training.teacher import PREFIX, TopClassifier, lower_states, top_logits
from tests.nlp.training.e5_writer import write_e5

TEXTS = ["jalan rusak", "sangat bagus", "bagus", "jalan rusak sangat rusak"]


class TakesX(torch.nn.Module):
    """``inner`` called as ``model(x=...)``, the keyword these tests' batches use."""

    def __init__(self, inner: torch.nn.Module) -> None:
        super().__init__()
        self.inner = inner

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.inner(x)


def test_cached_lower_layers_plus_top_layers_equal_the_whole_encoder(tmp_path):
    write_e5(tmp_path / "tiny.bin", layers=2)
    encoder, tok = convert(tmp_path / "tiny.bin")
    states = lower_states(encoder, tok, TEXTS, layers=1, max_length=16)
    assert [s.shape[0] for s in states] == [len(tok(PREFIX + t)["input_ids"]) for t in TEXTS]
    assert len(encoder.encoder.layer) == 2  # restored after caching
    top = TopClassifier(encoder, 1, 3).eval()
    got = top_logits(top, states)
    with torch.no_grad():
        b = tok([PREFIX + t for t in TEXTS], padding=True, return_tensors="pt")
        hidden = encoder(input_ids=b["input_ids"], attention_mask=b["attention_mask"]).last_hidden_state
        mask = b["attention_mask"].unsqueeze(-1).float()
        expected = top.head((hidden * mask).sum(1) / mask.sum(1))
    assert torch.allclose(got, expected, atol=0.05)  # states are cached in bf16


def test_length_batches_cover_every_index_once_with_similar_lengths():
    import random

    lengths = [random.Random(1).randint(1, 100) for _ in range(1000)]
    batches = length_batches(lengths, 10, random.Random(0))
    assert sorted(i for b in batches for i in b) == list(range(1000))
    assert max(max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches) < 20


def test_training_fits_hard_and_soft_targets():
    torch.manual_seed(0)
    x = torch.randn(64, 1, 8)
    hard = (x[:, 0, 0] > 0).long()
    hard[:8] = -1  # rows without a gold label learn from the soft target only
    soft = torch.stack([-x[:, 0, 0] * 4, x[:, 0, 0] * 4], -1)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(8, 2))

    encode = lambda idx: {"x": x[idx]}  # noqa: E731
    before = torch.nn.functional.cross_entropy(model(x[8:]), hard[8:]).item()
    train(TakesX(model), encode, [1] * 64, hard, soft, TrainSpec(epochs=30, lr=0.05, batch_size=16, bf16=False,
                                                          soft_weight=0.5), log=lambda s: None)
    after = torch.nn.functional.cross_entropy(model(x[8:]), hard[8:]).item()
    assert after < before / 2


def test_label_texts_gives_the_trained_teachers_logits_on_new_text(tmp_path):
    from nlp.training.teacher import label_texts

    write_e5(tmp_path / "tiny.bin", layers=2)
    encoder, tok = convert(tmp_path / "tiny.bin")
    torch.manual_seed(0)
    top = TopClassifier(encoder, 1, 3).eval()
    new = ["rusak sangat", "jalan bagus", "bagus"]
    expected = top_logits(top, lower_states(encoder, tok, new, layers=1, max_length=16))
    got = label_texts(top.state_dict(), new, frozen_layers=1, max_length=16, chunk=2, src=tmp_path / "tiny.bin")
    assert got.shape == (3, 3)
    assert torch.allclose(got, expected, atol=1e-4)


def test_a_run_stopped_early_on_a_longer_schedule_is_the_start_of_the_longer_run():
    def run(spec, snapshots):
        torch.manual_seed(0)
        x, y = torch.randn(40, 6), torch.randint(0, 3, (40,))
        model = torch.nn.Linear(6, 3)

        train(TakesX(model), lambda idx: {"x": x[idx]}, [1] * 40, y, None, spec, log=lambda s: None,
              on_epoch=lambda e: snapshots.append(model.weight.detach().clone()))

    full, early, short = [], [], []
    run(TrainSpec(epochs=2, lr=0.1, batch_size=8, bf16=False), full)
    run(TrainSpec(epochs=1, schedule_epochs=2, lr=0.1, batch_size=8, bf16=False), early)
    run(TrainSpec(epochs=1, lr=0.1, batch_size=8, bf16=False), short)
    assert len(early) == 1 and torch.equal(early[0], full[0])
    assert not torch.equal(short[0], full[0])  # a 1-epoch schedule decays faster
