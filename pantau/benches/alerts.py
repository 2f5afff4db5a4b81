"""``pantau bench alerts``: recall, false alerts and detection delay of the default volume rule.

Runs :class:`~alerts.detectors.volume_spike.VolumeSpikeDetector` with its default options (the
ones the default per-agency rules use) over synthetic 15-minute count series (see
:mod:`alerts.synthetic`), directly and not through a store, evaluating every 15 minutes with the
same cooldown logic as ``pantau alerts check``. A notice (first alert or repeat) counts as a
detection when it falls inside a planted spike or within one window after it; every other
notice, including any during a repost storm, is a false alert. The same run counting raw posts
instead of unique voices is reported under ``if_counting_posts``, to show what voices buy, and
the false alerts of the default ``negative_share`` rule on the same traffic (whose negative
share only moves inside the planted spikes) under ``negative_share_false_alerts_per_agency_week``.
"""

from __future__ import annotations

import json
import statistics
from datetime import timedelta

import click


def run(seed: int = 7, spikes: int = 60, options: dict | None = None, detector_name: str = "volume_spike") -> dict:
    from alerts.cooldown import ALERT, QUIET, REPEAT, step
    from alerts.detectors.base import Counts, Observation
    from alerts.registry import DETECTORS
    from alerts.synthetic import STEP, STEPS_PER_DAY, STEPS_PER_WEEK, generate

    traffic = generate(seed=seed, spikes=spikes)
    detector = DETECTORS[detector_name](**(options or {}))
    window = int(detector.window / STEP)
    first = 28 * STEPS_PER_DAY
    notices: dict[str, list[int]] = {a: [] for a in traffic.agencies}
    for agency in traffic.agencies:
        cums = {k: _cumsum(getattr(traffic, k)[agency]) for k in ("posts", "authors", "clusters", "negative", "shared")}

        def counts(end: int) -> Counts:
            return Counts(*(int(c[end] - c[end - window]) for c in cums.values()))

        state = QUIET
        for t in range(first, traffic.steps + 1):
            baseline = tuple(counts(t - k * STEPS_PER_WEEK) for k in range(1, detector.baseline_weeks + 1)
                             if t - k * STEPS_PER_WEEK - window >= 0)
            obs = Observation(traffic.time(t - window), traffic.time(t), counts(t), baseline)
            notice, state = step(state, detector.evaluate(obs) is not None, traffic.time(t),
                                 cooldown=timedelta(hours=2), max_cooldown=timedelta(hours=24), resolve_after=detector.window)
            if notice in (ALERT, REPEAT):
                notices[agency].append(t)
    return _score(traffic, notices, window, first, STEP)


def _cumsum(values):
    import numpy as np

    return np.concatenate(([0], np.cumsum(values)))


def _score(traffic, notices: dict[str, list[int]], window: int, first: int, step) -> dict:
    detected: dict[int, int] = {}
    false = storm_false = 0
    for agency, times in notices.items():
        spikes = [(i, s) for i, s in enumerate(traffic.spikes) if s.agency == agency]
        storms = [s for s in traffic.storms if s.agency == agency]
        for t in times:
            hit = [i for i, s in spikes if s.start < t <= s.start + s.steps + window]
            if hit:
                detected.setdefault(hit[0], t - traffic.spikes[hit[0]].start)
            else:
                false += 1
                storm_false += any(s.start < t <= s.start + s.steps + window for s in storms)
    by_size: dict[str, list[int]] = {}
    for i, spike in enumerate(traffic.spikes):
        by_size.setdefault(f"{spike.size:g}x", []).append(1 if i in detected else 0)
    big = [1 if i in detected else 0 for i, s in enumerate(traffic.spikes) if s.size >= 3]
    weeks = (traffic.steps - first) * step / timedelta(weeks=1)
    delays = [d * step / timedelta(minutes=1) for d in detected.values()]
    return {
        "spikes": len(traffic.spikes),
        "recall": round(sum(big) / len(big), 3),
        "recall_all_sizes": round(len(detected) / len(traffic.spikes), 3),
        "recall_by_size": {k: round(sum(v) / len(v), 2) for k, v in sorted(by_size.items(), key=lambda kv: float(kv[0][:-1]))},
        "false_alerts_per_agency_week": round(false / (len(traffic.agencies) * weeks), 3),
        "false_alerts": false,
        "median_delay_min": statistics.median(delays) if delays else None,
        "storms": len(traffic.storms),
        "false_alerts_during_storms": storm_false,
        "agencies": len(traffic.agencies),
        "regions": len(traffic.regions),
        "weeks_evaluated": round(weeks, 1),
        "method": "detectors over synthetic 15-minute count series (no store), default volume_spike options",
    }


@click.command(name="alerts")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--seed", default=7, show_default=True, help="Seed of the synthetic traffic.")
@click.option("--spikes", default=60, show_default=True, help="Spikes to plant (at least 50).")
def command(as_json: bool, seed: int, spikes: int) -> None:
    """Plant spikes in 90 days of synthetic traffic; report recall, false alerts and delay."""
    result = run(seed=seed, spikes=max(spikes, 50))
    raw = run(seed=seed, spikes=max(spikes, 50), options={"unit": "posts"})
    result["if_counting_posts"] = {k: raw[k] for k in ("recall", "false_alerts_per_agency_week", "false_alerts_during_storms")}
    share = run(seed=seed, spikes=max(spikes, 50), detector_name="negative_share")
    result["negative_share_false_alerts_per_agency_week"] = share["false_alerts_per_agency_week"]
    if as_json:
        click.echo(json.dumps(result))
    else:
        for key, value in result.items():
            click.echo(f"{key}: {value}")
