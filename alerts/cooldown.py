"""The life of a firing condition: first alert, repeats with a growing cooldown, resolved notice.

Pure and shared by ``alerts check`` (state kept in the outbox database), ``alerts backtest``
and the benchmark (state kept in memory), so all three count notices the same way.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

ALERT, REPEAT, RESOLVED = "alert", "repeat", "resolved"


@dataclass(frozen=True)
class EpisodeState:
    """Where one rule and scope stand. ``firing_since`` is None when quiet."""

    firing_since: datetime | None = None
    last_firing: datetime | None = None
    last_sent: datetime | None = None
    cooldown: timedelta = timedelta(0)
    notices: int = 0


QUIET = EpisodeState()


def step(state: EpisodeState, firing: bool, now: datetime, *, cooldown: timedelta, max_cooldown: timedelta,
         resolve_after: timedelta) -> tuple[str | None, EpisodeState]:
    """The notice to send now (ALERT, REPEAT, RESOLVED or None) and the next state.

    While the condition holds, a repeat goes out once the current cooldown has passed, and the
    cooldown then doubles (up to ``max_cooldown``). The episode ends, with a resolved notice,
    only after the condition has stayed false for ``resolve_after`` (a window), so a condition
    flickering around its threshold does not become a string of alerts.
    """
    if firing:
        if state.firing_since is None:
            return ALERT, EpisodeState(now, now, now, cooldown, 1)
        if state.last_sent is not None and now - state.last_sent >= state.cooldown:
            grown = min(state.cooldown * 2, max_cooldown)
            return REPEAT, EpisodeState(state.firing_since, now, now, grown, state.notices + 1)
        return None, dataclasses.replace(state, last_firing=now)
    if state.firing_since is not None and state.last_firing is not None and now - state.last_firing >= resolve_after:
        return RESOLVED, QUIET
    return None, state
