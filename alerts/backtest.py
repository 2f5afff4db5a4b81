"""``backtest``: replay the rules over past data and list what would have fired (nothing is
sent or recorded). Windows end every ``step``; the same cooldown logic as ``alerts check``
decides which evaluations would have become notices, so the count is what recipients would get.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from alerts.cooldown import QUIET, step as advance
from alerts.rules import Rule
from alerts.series import SeriesReader


@dataclass(frozen=True)
class Replayed:
    at: datetime
    rule: str
    kind: str
    observed: float
    expected: float
    ratio: float
    z: float
    detail: str


def backtest(reader: SeriesReader, rules: list[Rule], since: datetime, until: datetime, every: timedelta) -> list[Replayed]:
    out: list[Replayed] = []
    for rule in rules:
        if not rule.enabled:
            continue
        state = QUIET
        seen: set[str] = set()
        end = since
        while end <= until:
            obs = reader.observe(rule, end)
            finding = rule.detector.evaluate(obs)
            if rule.detector.name == "watch_terms":
                fresh = [p for p in obs.matches if p not in seen]
                seen.update(fresh)
                kind = "watch" if finding is not None and fresh else None
            else:
                kind, state = advance(state, finding is not None, end, cooldown=rule.cooldown,
                                      max_cooldown=rule.max_cooldown, resolve_after=rule.detector.window)
            if kind is not None:
                f = finding
                detail = ", ".join(t["term"] for t in f.summary.get("terms", [])) if f is not None else ""
                if f is not None and f.summary.get("amplified"):
                    detail = f"amplified: {f.summary['posts']} posts / {f.summary['voices']} voices"
                out.append(Replayed(end, rule.name, kind, f.observed if f else 0.0, f.expected if f else 0.0,
                                    f.ratio if f else 0.0, f.z if f else 0.0, detail))
            end += every
    return sorted(out, key=lambda r: (r.at, r.rule))


def per_week(replayed: list[Replayed], since: datetime, until: datetime) -> dict[str, float]:
    """Alerts (first notices and repeats) per rule per week: the number to tune against."""
    weeks = max((until - since) / timedelta(weeks=1), 1 / 7)
    counts = Counter(r.rule for r in replayed if r.kind in ("alert", "repeat", "watch"))
    return {rule: round(n / weeks, 2) for rule, n in counts.most_common()}
