"""Emerging terms: words far more frequent in the window than in the baseline weeks."""

from __future__ import annotations

from typing import ClassVar

from alerts.detectors.base import Detector, Finding, Observation
from alerts.options import Option, at_least


class EmergingTermsDetector(Detector):
    """Fires when some term occurs in at least ``min_count`` posts of the window and its rate
    is at least ``min_lift`` times its (add-one smoothed) rate in the baseline weeks. The terms
    come from the store's significant-terms aggregation (window vs baseline period)."""

    name = "emerging_terms"
    needs = frozenset({"counts", "terms"})
    options: ClassVar[dict[str, Option]] = {
        "min_count": Option(int, 8, "Posts in the window that must contain the term.", at_least(1)),
        "min_lift": Option(float, 5.0, "Minimum rate in the window over the rate in the baseline.", at_least(1)),
        "min_voices": Option(float, 5.0, "Minimum voices in the window (a lone account cannot make a term emerge).", at_least(1)),
        "max_terms": Option(int, 5, "Terms named in the alert.", at_least(1)),
        "ignore": Option(list, [], "Terms never reported (e.g. the province's name)."),
    }

    def evaluate(self, obs: Observation) -> Finding | None:
        if not self.ready(obs) or obs.current.voices < self.min_voices:
            return None
        ignored = {t.lower() for t in self.ignore}
        hits = sorted(
            (t for t in obs.terms if t.count >= self.min_count and t.lift >= self.min_lift and t.term.lower() not in ignored),
            key=lambda t: (-t.lift, -t.count, t.term),
        )[: self.max_terms]
        if not hits:
            return None
        top = hits[0]
        weeks = max(len(obs.baseline), 1)
        return Finding(self.name, "posts", float(top.count), top.background / weeks, top.lift, 0.0,
                       {"terms": [{"term": t.term, "count": t.count, "background": t.background, "lift": round(t.lift, 1)} for t in hits]})
