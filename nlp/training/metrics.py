"""Classification figures shared by training, ``pantau model eval`` and the benchmark."""

from __future__ import annotations

from collections.abc import Sequence


def classification_report(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict:
    """``{"n", "accuracy", "macro_f1", "per_class": {label: {"precision","recall","f1","support"}}}``."""
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    if not gold:
        raise ValueError("no examples to score")
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=list(labels), zero_division=0)
    per_class = {lab: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                       "f1": round(float(f[i]), 4), "support": int(s[i])} for i, lab in enumerate(labels)}
    return {
        "n": len(gold),
        "accuracy": round(float(accuracy_score(gold, pred)), 4),
        "macro_f1": round(float(f1_score(gold, pred, labels=list(labels), average="macro", zero_division=0)), 4),
        "per_class": per_class,
    }
