"""One training loop for teacher and student: length-grouped batches, AdamW with warmup and
linear decay, bf16 autocast on CPU, loss = cross-entropy on hard labels and/or KL to soft labels."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F


@dataclass
class TrainSpec:
    epochs: float = 2.0
    lr: float = 4e-5
    batch_size: int = 32
    warmup: float = 0.06
    weight_decay: float = 0.01
    seed: int = 13
    bf16: bool = True
    temperature: float = 2.0
    soft_weight: float = 0.0  # 0: hard labels only; 1: soft labels only
    schedule_epochs: float = 0.0  # the lr decays to 0 over this many epochs (0: ``epochs``); more
    # than ``epochs`` stops early on a longer schedule, e.g. the first epoch of a 2-epoch schedule


def length_batches(lengths: Sequence[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length (less padding): sort within chunks of 50 batches."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = batch_size * 50
    batches: list[list[int]] = []
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda i: lengths[i])
        batches.extend(part[i : i + batch_size] for i in range(0, len(part), batch_size))
    rng.shuffle(batches)
    return batches


def train(model: torch.nn.Module, encode: Callable[[list[int]], dict[str, torch.Tensor]],
          lengths: Sequence[int], hard: torch.Tensor | None, soft: torch.Tensor | None,
          spec: TrainSpec, log: Callable[[str], None] = print,
          on_epoch: Callable[[int], None] | None = None,
          on_step: Callable[[int], None] | None = None) -> None:
    """Train ``model`` (called as ``model(**batch) -> logits``) in place.

    ``encode(indices)`` builds the model inputs of those examples; ``hard`` holds label ids,
    ``soft`` target logits (the teacher's), either may be None; a hard label of -1 means "no gold
    label" (a sentence cut from a labelled text). ``on_step(step)`` runs after every step."""
    rng = random.Random(spec.seed)
    torch.manual_seed(spec.seed)
    steps_per_epoch = math.ceil(len(lengths) / spec.batch_size)
    total = max(1, int(steps_per_epoch * spec.epochs))
    planned = max(total, int(steps_per_epoch * spec.schedule_epochs))
    params = [p for p in model.parameters() if p.requires_grad]
    decay = [p for p in params if p.ndim > 1]
    no_decay = [p for p in params if p.ndim <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": spec.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=spec.lr)
    warm = max(1, int(planned * spec.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (planned - s) / max(1, planned - warm)))
    model.train()
    step, epoch, started, running = 0, 0, time.time(), 0.0
    while step < total:
        for idx in length_batches(lengths, spec.batch_size, rng):
            if step >= total:
                break
            batch = encode(idx)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=spec.bf16):
                logits = model(**batch).float()
            loss = logits.new_zeros(())
            gold = hard[idx] if hard is not None else None
            if gold is not None and spec.soft_weight < 1 and bool((gold >= 0).any()):
                loss = loss + (1 - spec.soft_weight) * F.cross_entropy(logits, gold, ignore_index=-1)
            if soft is not None and spec.soft_weight > 0:
                t = spec.temperature
                kl = F.kl_div(F.log_softmax(logits / t, -1), F.softmax(soft[idx] / t, -1), reduction="batchmean")
                loss = loss + spec.soft_weight * kl * t * t
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            step += 1
            running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
            if step % 100 == 0 or step == total:
                log(f"step {step}/{total} loss {running:.4f} {time.time() - started:.0f}s")
            if on_step is not None:
                on_step(step)
        epoch += 1
        if on_epoch is not None:
            on_epoch(epoch)
    model.eval()
