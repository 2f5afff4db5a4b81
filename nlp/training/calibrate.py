"""Temperature scaling: one scalar T so that softmax(logits / T) is calibrated (Guo et al. 2017).

It does not change any prediction, only the scores. Fitted by minimising the negative
log-likelihood on held-out labelled data (here SmSA valid: that is tuning on valid, reported in
the model card)."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def fit_temperature(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """The temperature minimising NLL, searched on a log grid then refined (robust, no LBFGS)."""
    grid = torch.exp(torch.linspace(-2.5, 2.5, 201))
    nll = torch.stack([F.cross_entropy(logits / t, labels) for t in grid])
    return round(float(grid[int(nll.argmin())]), 4)


def expected_calibration_error(logits: torch.Tensor, labels: torch.Tensor, temperature: float = 1.0,
                               bins: int = 10) -> float:
    """ECE of the top-class score, equal-width bins."""
    probs = (logits / temperature).softmax(-1)
    conf, pred = probs.max(-1)
    correct = (pred == labels).float()
    ece = torch.zeros(())
    edges = torch.linspace(0, 1, bins + 1)
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        inside = (conf > lo) & (conf <= hi)
        if inside.any():
            ece += inside.float().mean() * (conf[inside].mean() - correct[inside].mean()).abs()
    return round(float(ece), 4)
