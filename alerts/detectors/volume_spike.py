"""Volume spike against a seasonal baseline, counted in unique voices by default."""

from __future__ import annotations

from typing import ClassVar

from alerts.detectors.base import Counts, Detector, Finding, Observation, robust_baseline
from alerts.options import Option, at_least, one_of


class VolumeSpikeDetector(Detector):
    """Fires when the window's count is far above the same hour-of-week in past weeks.

    Expected = median of the window in each of the last ``baseline_weeks`` weeks; z = robust
    z-score with the MAD. All three must hold: count >= ``min_count``, count / expected >=
    ``min_ratio`` (expected floored at 1), and z >= ``z``; so 0 vs 0 and 3 vs 1 never fire.
    With ``unit = "voices"`` (default) one account posting 200 times, or 50 accounts posting
    one copied text, count as one voice; when posts outnumber voices by
    ``amplification_ratio`` the finding names it as possible coordinated amplification.
    """

    name = "volume_spike"
    options: ClassVar[dict[str, Option]] = {
        "unit": Option(str, "voices", "Count \"voices\" (distinct authors and near-duplicate clusters) or raw \"posts\".", one_of("voices", "posts")),
        "min_count": Option(float, 15.0, "Minimum count in the window.", at_least(1)),
        "min_ratio": Option(float, 2.0, "Minimum ratio of the count to the expected count.", at_least(1)),
        "z": Option(float, 5.0, "Minimum robust z-score (median and MAD of the baseline).", at_least(0)),
        "amplification_ratio": Option(float, 3.0, "Posts per voice at which a window is named as possible coordinated amplification.", at_least(1)),
    }

    def measure(self, counts: Counts) -> int:
        return counts.voices if self.unit == "voices" else counts.posts

    def evaluate(self, obs: Observation) -> Finding | None:
        if not self.ready(obs):
            return None
        observed = self.measure(obs.current)
        expected, sigma = robust_baseline([self.measure(c) for c in obs.baseline])
        ratio = observed / max(expected, 1.0)
        z = (observed - expected) / sigma
        if observed < self.min_count or ratio < self.min_ratio or z < self.z:
            return None
        return Finding(self.name, self.unit, observed, expected, ratio, z, amplification(obs.current, self.amplification_ratio))


def amplification(counts: Counts, threshold: float) -> dict[str, object]:
    """Posts vs voices in the window; flagged when one voice stands for many posts."""
    voices = max(counts.voices, 1)
    flagged = counts.posts >= threshold * voices and counts.posts - voices >= 10
    return {"posts": counts.posts, "voices": counts.voices, "authors": counts.authors,
            "clusters": counts.clusters, "amplified": flagged, "amplification_ratio": threshold}
