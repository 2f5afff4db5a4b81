"""Declared options of detectors and rules: type, default, help, check (ElastAlert2 style).

A detector lists its options once; rule validation, ``pantau alerts rules`` and docs/alerts.md
read the same declarations, so an unknown or mistyped key is reported with what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 604800}
REQUIRED = object()


def parse_duration(text: str) -> timedelta:
    """``"15m"``, ``"3h"``, ``"1d"``, ``"2w"`` (or a sum such as ``"1h30m"``) as a timedelta."""
    if not isinstance(text, str):
        raise ValueError(f"expected a duration such as \"3h\" or \"30m\", got {text!r}")
    parts = re.findall(r"(\d+)\s*([mhdw])", text.strip().lower())
    if not parts or re.sub(r"\s+", "", text.lower()) != "".join(n + u for n, u in parts):
        raise ValueError(f"expected a duration such as \"3h\" or \"30m\", got {text!r}")
    seconds = sum(int(n) * _UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise ValueError(f"duration must be positive, got {text!r}")
    return timedelta(seconds=seconds)


def format_duration(delta: timedelta) -> str:
    """The inverse of :func:`parse_duration` for whole minutes (``"1h30m"``)."""
    minutes = int(delta.total_seconds() // 60)
    out = ""
    for unit, size in (("d", 1440), ("h", 60), ("m", 1)):
        if minutes >= size:
            out += f"{minutes // size}{unit}"
            minutes %= size
    return out or "0m"


@dataclass(frozen=True)
class Option:
    """One option: ``kind`` is int, float, str, bool, list (of strings) or "duration"."""

    kind: Any
    default: Any
    help: str
    check: Callable[[Any], str | None] | None = None

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def coerce(self, value: Any) -> Any:
        """The checked value; raises ValueError saying what was expected."""
        if self.kind == "duration":
            result: Any = value if isinstance(value, timedelta) else parse_duration(value)
        elif self.kind is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"expected a number, got {value!r}")
            result = float(value)
        elif self.kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"expected a whole number, got {value!r}")
            result = value
        elif self.kind is bool:
            if not isinstance(value, bool):
                raise ValueError(f"expected true or false, got {value!r}")
            result = value
        elif self.kind is list:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise ValueError(f"expected a list of non-empty strings, got {value!r}")
            result = list(value)
        else:
            if not isinstance(value, str):
                raise ValueError(f"expected a string, got {value!r}")
            result = value
        problem = self.check(result) if self.check else None
        if problem:
            raise ValueError(problem)
        return result


def at_least(low: float) -> Callable[[Any], str | None]:
    return lambda v: None if v >= low else f"expected at least {low}, got {v}"


def between(low: float, high: float) -> Callable[[Any], str | None]:
    return lambda v: None if low <= v <= high else f"expected between {low} and {high}, got {v}"


def one_of(*choices: str) -> Callable[[Any], str | None]:
    return lambda v: None if v in choices else f"expected one of {', '.join(choices)}, got {v!r}"
