"""Alert rules as the dashboard lists and edits them (the rules in force come from alerts/)."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from dashboard.context import Dashboard
from dashboard.errors import DashboardError
from dashboard.rule_file import RuleFile
from dashboard.users import User

#: Form fields that are lists (several values, OR-ed by the engine).
LIST_FIELDS = ("agency", "topic", "region", "source", "kind", "sentiment", "recipients")
TEXT_FIELDS = ("name", "detector", "description", "query", "cooldown", "max_cooldown", "language")


def rules(ctx: Dashboard, user: User) -> dict[str, Any]:
    from alerts.defaults import effective_rules
    from alerts.registry import DETECTORS

    from alerts.errors import AlertRuleError

    rule_file = RuleFile(ctx.cfg)
    managed = str(rule_file.path) if rule_file.path else None
    problem = ""
    try:
        in_force = effective_rules(ctx.cfg) if not rule_file.empty else []
    except AlertRuleError as exc:
        in_force, problem = [], str(exc)
    items = []
    for rule in in_force:
        if user.scoped and not set(rule.agencies) & set(user.agencies):
            continue
        items.append({
            "name": rule.name, "detector": rule.detector.name, "scope": rule.scope.text(),
            "agencies": list(rule.agencies), "recipients": list(rule.recipients) if not user.scoped else [],
            "cooldown_s": rule.cooldown.total_seconds(), "enabled": rule.enabled, "description": rule.description,
            "source": rule.source, "editable": user.can_edit_rules and managed is not None
            and rule.source in (managed, "(defaults)"),
        })
    return {"rules": items, "writable": rule_file.writable and user.can_edit_rules, "detectors": sorted(DETECTORS),
            "problem": problem}


def table_from_form(values: dict[str, Any]) -> dict[str, Any]:
    """A ``[[rule]]`` table from form or JSON values; empty fields are left to the defaults."""
    table: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = str(values.get(name) or "").strip()
        if value:
            table[name] = value
    for name in LIST_FIELDS:
        raw = values.get(name) or []
        items = raw if isinstance(raw, list) else re.split(r"[,\s]+", str(raw))
        cleaned = [str(i).strip() for i in items if str(i).strip()]
        if cleaned:
            table[name] = cleaned
    if "enabled" in values:
        table["enabled"] = values["enabled"] in (True, "true", "on", "1")
    options = str(values.get("options") or "").strip()
    if options:
        try:
            extra = tomllib.loads(options)
        except tomllib.TOMLDecodeError as exc:
            raise DashboardError(f"options: write detector options as TOML lines (key = value): {exc}",
                                 status=422, field="options") from None
        clash = sorted(set(extra) & set(table))
        if clash:
            raise DashboardError(f"options: {clash[0]} is a field of the form, not an option", status=422, field="options")
        table.update(extra)
    return table


def options_text(table: dict[str, Any]) -> str:
    """The table's detector options (keys outside the form) as TOML lines, for the edit form."""
    from dashboard.rule_file import toml_value

    known = {*TEXT_FIELDS, *LIST_FIELDS, "enabled"}
    return "".join(f"{k} = {toml_value(v)}\n" for k, v in table.items() if k not in known)
