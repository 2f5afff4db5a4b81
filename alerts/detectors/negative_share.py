"""Negative-share spike: the share of negative voices jumps while volume stays normal."""

from __future__ import annotations

from typing import ClassVar

from alerts.detectors.base import Detector, Finding, Observation, robust_baseline
from alerts.options import Option, at_least, between


class NegativeShareDetector(Detector):
    """Fires when the negative share rises by ``min_delta`` (absolute) over the pooled baseline
    share with a binomial z >= ``z``, on at least ``min_voices`` voices, while the volume ratio
    stays below ``max_volume_ratio`` (a volume spike is the volume detector's to report)."""

    name = "negative_share"
    options: ClassVar[dict[str, Option]] = {
        "min_voices": Option(float, 15.0, "Minimum voices in the window for a share to mean anything.", at_least(1)),
        "min_delta": Option(float, 0.2, "Minimum rise of the negative share (0.2 = 20 points).", between(0.01, 1)),
        "z": Option(float, 4.0, "Minimum binomial z-score of the rise.", at_least(0)),
        "max_volume_ratio": Option(float, 2.0, "Above this volume ratio the window is a volume spike, not a share spike.", at_least(1)),
    }

    def evaluate(self, obs: Observation) -> Finding | None:
        if not self.ready(obs):
            return None
        voices = obs.current.voices
        if voices < self.min_voices:
            return None
        base_voices = sum(c.voices for c in obs.baseline)
        if base_voices == 0:
            return None
        share = min(obs.current.negative, voices) / voices
        expected = min(sum(min(c.negative, c.voices) for c in obs.baseline) / base_voices, 1.0)
        p0 = min(max(expected, 0.02), 0.98)
        z = (share - expected) / (p0 * (1 - p0) / voices) ** 0.5
        volume_expected, _ = robust_baseline([c.voices for c in obs.baseline])
        volume_ratio = voices / max(volume_expected, 1.0)
        if share - expected < self.min_delta or z < self.z or volume_ratio > self.max_volume_ratio:
            return None
        return Finding(self.name, "share", share, expected, share / max(expected, 0.01), z,
                       {"voices": voices, "volume_ratio": volume_ratio})
