from datetime import datetime, timedelta, timezone

from alerts.cooldown import ALERT, QUIET, REPEAT, RESOLVED, step

T0 = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)
Q = timedelta(minutes=15)
KW = dict(cooldown=timedelta(hours=1), max_cooldown=timedelta(hours=4), resolve_after=timedelta(hours=1))


def run(pattern: list[bool]) -> list[tuple[int, str]]:
    state, out = QUIET, []
    for i, firing in enumerate(pattern):
        notice, state = step(state, firing, T0 + i * Q, **KW)
        if notice:
            out.append((i, notice))
    return out


def test_cooldown_doubles_while_firing_and_caps() -> None:
    notices = run([True] * 64)  # 16 hours
    times = [i for i, kind in notices]
    assert notices[0] == (0, ALERT)
    assert all(kind == REPEAT for _, kind in notices[1:])
    gaps = [(b - a) * 15 for a, b in zip(times, times[1:])]
    assert gaps[:3] == [60, 120, 240] and set(gaps[3:]) == {240}


def test_resolved_once_after_a_quiet_window() -> None:
    notices = run([True] * 4 + [False] * 8)
    assert notices == [(0, ALERT), (7, RESOLVED)]


def test_a_flickering_condition_is_one_episode() -> None:
    notices = run([True, False, True, False, True, False, False, False, False, False])
    assert notices == [(0, ALERT), (4, REPEAT), (8, RESOLVED)]  # repeat only because the 1h cooldown passed
