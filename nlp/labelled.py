"""The project's labelled posts and the evaluation helpers of the kind and topic models."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from nlp.jsonlines import json_lines
from pantau.errors import PantauError

LABELLED_PATH = Path(__file__).parent / "data" / "labelled" / "posts.jsonl"


def f1_table(gold: Sequence[set[str]], predicted: Sequence[set[str]], labels: Sequence[str]) -> dict[str, dict[str, float]]:
    """Per-label precision, recall, F1 and support (single- or multi-label)."""
    table: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted) if label in g and label in p)
        fp = sum(1 for g, p in zip(gold, predicted) if label not in g and label in p)
        fn = sum(1 for g, p in zip(gold, predicted) if label in g and label not in p)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[label] = {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "support": tp + fn}
    return table


class LabelledDataError(PantauError):
    """A labelled-data file is wrong; the message names the file and line."""


def read_labelled(path: Path = LABELLED_PATH) -> list[dict[str, Any]]:
    """Rows of a labelled JSONL file: ``text``, ``kind``, ``topics``, ``split`` (train|heldout)."""
    rows = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelledDataError(f"{path}: cannot read the labelled data: {exc}") from None
    for number, row in json_lines(lines, path, LabelledDataError):
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or row.get("split") not in ("train", "heldout"):
            raise LabelledDataError(f"{path}:{number}: expected an object with a text and split train|heldout")
        rows.append(row)
    return rows


def folds(n: int, k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    """k (train, test) index splits of range(n), shuffled by ``seed``."""
    import random

    order = list(range(n))
    random.Random(seed).shuffle(order)
    splits = []
    for f in range(k):
        test = set(order[f::k])
        splits.append(([i for i in order if i not in test], sorted(test)))
    return splits


def choose_mode(modes: Sequence[str], fit: Callable[[list[str], list[Any], str], Any],
                evaluate: Callable[[Any, list[str], list[Any]], dict[str, Any]], texts: list[str], labels: list[Any],
                held_texts: list[str], held_labels: list[Any], label_names: Sequence[str],
                seed: int) -> tuple[dict[str, Any], Any]:
    """``(report, classifier)``: each mode cross-validated on the train split (5 folds, macro-F1
    over ``label_names``; a tie goes to "combined"), the best fitted on the whole train split,
    and every mode reported on the held-out split, which never takes part in the choice. A label
    is one name or a list of names (multi-label); ``fit(texts, labels, mode)``."""
    def as_set(label: Any) -> set[str]:
        return set(label) if isinstance(label, (list, tuple, set)) else {label}

    cv: dict[str, float] = {}
    for mode in modes:
        gold: list[Any] = []
        predicted: list[Any] = []
        for fit_idx, test_idx in folds(len(texts), 5, seed):
            classifier = fit([texts[i] for i in fit_idx], [labels[i] for i in fit_idx], mode)
            predicted += classifier.predict([texts[i] for i in test_idx])
            gold += [labels[i] for i in test_idx]
        table = f1_table([as_set(g) for g in gold], [as_set(p) for p in predicted], label_names)
        cv[mode] = round(sum(c["f1"] for c in table.values()) / len(table), 3)
    chosen = max(cv, key=lambda m: (cv[m], m == "combined"))
    report: dict[str, Any] = {"chosen": chosen, "cv_macro_f1": cv, "n_train": len(texts), "heldout": {}}
    fitted = {mode: fit(texts, labels, mode) for mode in modes}
    for mode, classifier in fitted.items():
        report["heldout"][mode] = evaluate(classifier, held_texts, held_labels)
    return report, fitted[chosen]


def throughput(predict: Any, texts: Sequence[str], n: int = 4000, batch: int = 256) -> float:
    """Texts per second of ``predict`` over ``n`` texts in batches (a cold word cache first)."""
    import time

    sample = [texts[i % len(texts)] + f" {i}" for i in range(n)]
    start = time.perf_counter()
    for i in range(0, n, batch):
        predict(sample[i:i + batch])
    return round(n / (time.perf_counter() - start), 1)
