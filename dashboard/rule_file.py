"""Alert rules written from the dashboard, into the rules folder the alerts engine reads.

When ``[alerts] rules`` names a folder, the engine loads every ``*.toml`` in it; the dashboard
keeps the rules it creates, edits and mutes in ``dashboard.toml`` there, validated by
``alerts.rules.parse_rule`` and checked for unique names against the folder's other files
before the file is replaced (atomically); rules of the other files are shown read-only.
When ``[alerts] rules`` is empty (a new install), the file lives in
``<data_dir>/alert-rules/``, which the engine reads beside the generated defaults: editing or
muting a generated rule writes a copy of it there, which replaces it. Muting sets
``enabled = false``. When ``[alerts] rules`` names one file, nothing is editable here.
"""

from __future__ import annotations

import os
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Any

from dashboard.errors import DashboardError, NotFound
from pantau.config import Config

FILE_NAME = "dashboard.toml"
HEADER = "# Alert rules managed by the Pantau dashboard (edit here or in the dashboard).\n"


def rules_folder(cfg: Config) -> Path | None:
    """The folder of dashboard-managed rules; None when ``alerts.rules`` names one file."""
    if not cfg.alerts.rules:
        from alerts.defaults import managed_rules_dir

        return managed_rules_dir(cfg)
    path = Path(cfg.alerts.rules).expanduser()
    if not path.is_absolute() and cfg.source is not None:
        path = cfg.source.parent / path
    return path if path.is_dir() else None


class RuleFile:
    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        folder = rules_folder(cfg)
        self.path = folder / FILE_NAME if folder else None

    @cached_property
    def generated(self) -> dict[str, dict[str, Any]]:
        """The generated default rules by name (in force only when ``alerts.rules`` is empty)."""
        if self.cfg.alerts.rules:
            return {}
        from alerts.defaults import agency_names, default_rule_tables

        return {t["name"]: t for t in default_rule_tables(self.cfg, agency_names(self.cfg))}

    @property
    def writable(self) -> bool:
        return self.path is not None

    @property
    def empty(self) -> bool:
        """True when a configured rules folder holds no rule file yet (the engine has nothing to run)."""
        return bool(self.cfg.alerts.rules) and self.path is not None and not any(self.path.parent.glob("*.toml"))

    def tables(self) -> list[dict[str, Any]]:
        if self.path is None or not self.path.exists():
            return []
        return list(tomllib.loads(self.path.read_text(encoding="utf-8")).get("rule", []))

    def get(self, name: str) -> dict[str, Any]:
        """A managed rule's table, or a copy of the generated rule of that name."""
        for table in self.tables():
            if table.get("name") == name:
                return table
        if name in self.generated:
            return dict(self.generated[name])
        raise NotFound(f"no dashboard-managed rule {name!r}")

    def save(self, table: dict[str, Any], replacing: str | None = None) -> None:
        """Add ``table`` (or replace the rule named ``replacing``) after validating everything."""
        from alerts.errors import AlertRuleError
        from alerts.rules import check_unique, load_rules, parse_rule

        if self.path is None:
            raise DashboardError("set [alerts] rules to a folder so that rules can be created from the dashboard",
                                 status=409)
        current = self.tables()
        managed = {t.get("name") for t in current}
        if replacing is not None and replacing not in managed and replacing not in self.generated:
            raise NotFound(f"no dashboard-managed rule {replacing!r}")
        tables = [t for t in current if t.get("name") != replacing]
        try:
            rule = parse_rule(table, str(self.path), len(tables) + 1)
            others = [r for r in load_rules(self.path.parent) if r.source != str(self.path)] if self._has_others() else []
            shadowed = managed | {replacing}
            others += [parse_rule(t, "(defaults)") for n, t in self.generated.items() if n not in shadowed]
            check_unique([*others, *(parse_rule(t, str(self.path)) for t in tables), rule])
        except AlertRuleError as exc:
            raise DashboardError(str(exc), status=422, field=getattr(exc, "key", None)) from None
        if replacing in managed:
            self._write([table if t.get("name") == replacing else t for t in current])
        else:
            self._write([*current, table])

    def set_enabled(self, name: str, enabled: bool) -> None:
        tables = self.tables()
        for table in tables:
            if table.get("name") == name:
                table["enabled"] = enabled
                self._write(tables)
                return
        if name in self.generated:
            self._write([*tables, {**self.generated[name], "enabled": enabled}])
            return
        raise NotFound(f"no dashboard-managed rule {name!r}")

    def _has_others(self) -> bool:
        assert self.path is not None
        return any(p.name != FILE_NAME for p in self.path.parent.glob("*.toml"))

    def _write(self, tables: list[dict[str, Any]]) -> None:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = HEADER + "".join("\n[[rule]]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in t.items()) for t in tables)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.path)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        escaped = "".join(_ESCAPES.get(ch) or (f"\\u{ord(ch):04x}" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch)
                          for ch in value)
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise DashboardError(f"cannot store {type(value).__name__} values in a rule", status=422)
