import json

import torch

from nlp.training.augment import Sample
from nlp.training.recipe import Recipe, _sample_logits, _texts_digest, project_posts


def test_project_posts_are_the_train_split_only(tmp_path):
    path = tmp_path / "posts.jsonl"
    rows = [{"text": "jalan rusak", "split": "train"}, {"text": "rahasia", "split": "heldout"},
            {"text": "banjir lagi", "split": "train"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert project_posts(path) == ["jalan rusak", "banjir lagi"]
    assert project_posts(tmp_path / "missing.jsonl") == []


def test_whole_texts_take_the_training_logits_and_derived_texts_the_cached_labels():
    samples = [Sample("a b c", ("a b c",), 0, True), Sample("d e f . g h i", ("d e f . g h i",), 1, True),
               Sample("d e f", ("d e f",), 1, False), Sample("post", ("post",), -1, False)]
    train_logits = torch.tensor([[1.0, 0, 0], [0, 1.0, 0]])
    extra = torch.tensor([[0, 0, 1.0], [2.0, 2.0, 2.0]])
    teacher = {"state": {}, "logits": train_logits, "fingerprint": "f",
               "transfer": {"digest": _texts_digest("f", ["d e f", "post"]), "logits": extra}}
    logs = []
    got = _sample_logits(Recipe(), teacher, samples, None, logs.append)
    assert torch.equal(got, torch.cat([train_logits, extra]))
    assert "reusing" in logs[0]
