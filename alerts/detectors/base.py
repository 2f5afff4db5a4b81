"""What every detector shares: the counts it reads, the finding it returns, its declared options.

A detector is pure: it gets an :class:`Observation` (the current window and the same window in
each of the previous weeks, plus terms and watch matches when it asks for them) and returns a
:class:`Finding` or None. Where the numbers come from (the store through indexer's query layer,
or a synthetic series in the benchmark) is not its business.

Hooks of :class:`Detector` subclasses:

- ``name``: the name used in rule files (``detector = "volume_spike"``);
- ``options``: a dict of :class:`~alerts.options.Option`, the detector's own options;
- ``needs``: which parts of the observation must be filled (``"counts"``, ``"terms"``,
  ``"matches"``);
- ``evaluate(obs)``: must return a :class:`Finding` when the condition holds, else None.
"""

from __future__ import annotations

import statistics
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from alerts.options import Option, at_least, between

#: MAD -> standard deviation for normal data.
MAD_SCALE = 1.4826


@dataclass(frozen=True)
class Counts:
    """Counts in one window. ``authors``/``clusters`` are distinct author hashes / cluster ids;
    ``shared`` is how many authors beyond the first posted into the window's largest
    near-duplicate clusters (50 accounts posting one copied text: 49)."""

    posts: int = 0
    authors: int = 0
    clusters: int = 0
    negative: int = 0  # negative voices
    shared: int = 0

    @property
    def voices(self) -> int:
        """Unique voices: distinct authors, with each large copied-text cluster counted once,
        and never more than the distinct clusters.

        One account posting 200 times is one author; 50 accounts posting one copied text are
        one cluster; both at once are two voices. A count the store does not have (0 while
        there are posts, e.g. news without authors) is left out.
        """
        if self.authors > 0:
            people = max(self.authors - self.shared, 1)
            return min(people, self.clusters) if self.clusters > 0 else people
        return self.clusters if self.clusters > 0 else self.posts


@dataclass(frozen=True)
class Term:
    """A term of the window: posts with it in the window and in the baseline weeks, and its
    lift (rate in the window over its smoothed rate in the baseline)."""

    term: str
    count: int
    background: int
    lift: float


@dataclass(frozen=True)
class Observation:
    start: datetime
    end: datetime
    current: Counts
    baseline: tuple[Counts, ...]  # the same hour-of-week window, one per previous week
    terms: tuple[Term, ...] = ()
    matches: tuple[str, ...] = ()  # ids of posts matching a watch query in the window


@dataclass
class Finding:
    """A condition that holds. ``observed``/``expected`` are in ``unit`` (voices, posts, share)."""

    detector: str
    unit: str
    observed: float
    expected: float
    ratio: float
    z: float
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> str:
        return "high" if self.ratio >= 5 or self.z >= 10 else "medium"


def robust_baseline(values: list[float]) -> tuple[float, float]:
    """(median, sigma): sigma is the MAD scaled to a standard deviation, floored at Poisson noise.

    With flat history (MAD 0) a plain MAD would make any blip infinitely significant; counts
    vary at least like a Poisson process, so sigma is never below sqrt(max(median, 1)).
    """
    if not values:
        return 0.0, 1.0
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    return median, max(MAD_SCALE * mad, max(median, 1.0) ** 0.5)


class Detector(ABC):
    name: ClassVar[str] = ""
    needs: ClassVar[frozenset[str]] = frozenset({"counts"})
    options: ClassVar[dict[str, Option]] = {}
    #: Options every detector has: the window and how many weeks make the seasonal baseline.
    common: ClassVar[dict[str, Option]] = {
        "window": Option("duration", "3h", "Length of the window evaluated, e.g. \"1h\", \"3h\"."),
        "baseline_weeks": Option(int, 6, "Weeks of history in the seasonal baseline (4 to 8).", between(4, 8)),
        "min_history_weeks": Option(int, 2, "Weeks of baseline that must have data before the rule can fire.", at_least(1)),
    }

    def __init__(self, **options: Any) -> None:
        declared = self.declared()
        unknown = sorted(set(options) - set(declared))
        if unknown:
            raise ValueError(f"{self.name}: unknown option {unknown[0]!r}; known: {', '.join(declared)}")
        missing = [k for k, o in declared.items() if o.required and k not in options]
        if missing:
            raise ValueError(f"{self.name}: missing required option {missing[0]!r}: {declared[missing[0]].help}")
        self.settings = {k: o.coerce(options.get(k, o.default)) for k, o in declared.items()}

    @classmethod
    def declared(cls) -> dict[str, Option]:
        return {**cls.common, **cls.options}

    def __getattr__(self, item: str) -> Any:
        try:
            return self.__dict__["settings"][item]
        except KeyError:
            raise AttributeError(item) from None

    def ready(self, obs: Observation) -> bool:
        """Enough history to judge: the baseline must hold at least ``min_history_weeks`` weeks."""
        return len(obs.baseline) >= self.settings["min_history_weeks"]

    @abstractmethod
    def evaluate(self, obs: Observation) -> Finding | None:
        """A finding when the condition holds in ``obs``, else None."""
