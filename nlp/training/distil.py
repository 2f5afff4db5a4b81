"""Distillation: the teacher labels every training text and sentence, the student learns both the
teacher's soft labels and, for whole texts, the gold label."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from nlp.training.augment import Sample
from nlp.training.loop import TrainSpec, train
from nlp.training.smsa import LABELS
from nlp.training.student import StudentShape, build_student


class _Logits(torch.nn.Module):
    """Adapter: the loop expects ``model(**batch) -> logits``."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, **batch: torch.Tensor) -> torch.Tensor:
        return self.model(**batch).logits


def train_student(samples: Sequence[Sample], teacher_logits: torch.Tensor | None, gold: Sequence[str],
                  tokenizer, word: torch.Tensor, pos: torch.Tensor, shape: StudentShape,
                  spec: TrainSpec, log: Callable[[str], None] = print,
                  on_epoch: Callable[[torch.nn.Module, int], None] | None = None):
    """A trained ``BertForSequenceClassification``. ``teacher_logits[k]`` labels ``samples[k]``;
    every input variant of a sample is one training row with those logits (and the gold label
    for whole texts). Without teacher logits the student learns the gold labels alone."""
    texts: list[str] = []
    soft_rows: list[int] = []
    hard: list[int] = []
    for k, s in enumerate(samples):
        for text in s.inputs:
            texts.append(text)
            soft_rows.append(k)
            hard.append(LABELS.index(gold[s.origin]) if s.whole else -1)
    soft = teacher_logits[torch.tensor(soft_rows)] if teacher_logits is not None else None
    student = build_student(shape, len(tokenizer), word, pos, seed=spec.seed)
    log(f"student: {sum(p.numel() for p in student.parameters()):,} parameters, {len(texts):,} rows")

    def encode(idx: list[int]) -> dict[str, torch.Tensor]:
        b = tokenizer([texts[i] for i in idx], padding=True, truncation=True,
                      max_length=shape.max_length, return_tensors="pt")
        return {"input_ids": b["input_ids"], "attention_mask": b["attention_mask"]}

    def epoch_done(epoch: int) -> None:
        if on_epoch is not None:
            on_epoch(student, epoch)
            student.train()

    train(_Logits(student), encode, [len(t) for t in texts], torch.tensor(hard), soft, spec,
          log=log, on_epoch=epoch_done)
    return student
