"""Watch terms: any post matching a critical query alerts at once."""

from __future__ import annotations

from typing import ClassVar

from alerts.detectors.base import Detector, Finding, Observation
from alerts.options import REQUIRED, Option, at_least


class WatchTermsDetector(Detector):
    """Fires on ``min_count`` matching posts in the window, without a baseline.

    ``terms`` (required; the default rules take config ``taxonomy.watch_terms``) are OR-ed and AND-ed with the rule's
    scope; each matching post alerts once (the engine remembers the post ids it has reported).
    """

    name = "watch_terms"
    needs = frozenset({"matches"})
    options: ClassVar[dict[str, Option]] = {
        "terms": Option(list, REQUIRED, "Critical words or phrases (OR-ed), e.g. [\"meninggal\", \"unjuk rasa\"]."),
        "min_count": Option(int, 1, "Matching posts needed to alert.", at_least(1)),
    }

    def ready(self, obs: Observation) -> bool:
        return True

    def evaluate(self, obs: Observation) -> Finding | None:
        if len(obs.matches) < self.min_count:
            return None
        count = float(len(obs.matches))
        return Finding(self.name, "posts", count, 0.0, count, 0.0, {"post_ids": list(obs.matches)})
