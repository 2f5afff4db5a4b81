import json

import torch

from nlp.training.augment import Sample
from nlp.training.convert import convert
from nlp.training.recipe import Recipe, _sample_logits, _teacher_report, _texts_digest, project_posts
from nlp.training.smsa import LABELS, Example
from nlp.training.teacher import TopClassifier, lower_states, top_logits
from tests.nlp.training.e5_writer import write_e5


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


def test_the_teachers_report_is_its_own_predictions_on_the_valid_texts(tmp_path):
    write_e5(tmp_path / "tiny.bin", layers=2)
    encoder, tok = convert(tmp_path / "tiny.bin")
    torch.manual_seed(0)
    top = TopClassifier(encoder, 1, 3).eval()
    texts = ["jalan rusak", "sangat bagus", "bagus", "rusak sangat"]
    predicted = [LABELS[i] for i in top_logits(top, lower_states(encoder, tok, texts, layers=1, max_length=16)).argmax(-1).tolist()]
    gold = [predicted[0], predicted[1], *(next(lab for lab in LABELS if lab != p) for p in predicted[2:])]  # two right, two wrong
    recipe = Recipe(teacher_frozen_layers=1, teacher_max_length=16)
    report = _teacher_report(recipe, {"state": top.state_dict()}, [Example(t, g) for t, g in zip(texts, gold)], src=tmp_path / "tiny.bin")
    assert report["n"] == 4 and report["accuracy"] == 0.5
