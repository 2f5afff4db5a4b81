"""Alert rules as data: TOML files of ``[[rule]]`` tables, validated before anything runs.

A rule::

    [[rule]]
    name = "dinkes-volume"            # unique; used in history and idempotency keys
    detector = "volume_spike"         # see `pantau alerts rules` / docs/alerts.md
    query = "puskesmas OR rsud"       # any query of the query language (optional)
    agency = "dinkes"                 # filters AND-ed with the query (each a string or a list)
    kind = "complaint"
    recipients = ["kadinkes@example.go.id"]
    cooldown = "2h"                   # first quiet period; doubles while the condition holds
    language = "id"
    min_ratio = 3.0                   # detector options sit next to the rule's own keys

Every problem is an :class:`~alerts.errors.AlertRuleError` naming the file, the rule and the key.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from alerts.detectors.base import Detector
from alerts.errors import AlertRuleError
from alerts.options import Option, one_of
from alerts.registry import DETECTORS

SCOPE_FIELDS = ("agency", "topic", "region", "source", "kind", "sentiment")
_EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")

RULE_KEYS: dict[str, Option] = {
    "name": Option(str, None, "Unique name of the rule."),
    "detector": Option(str, None, "Detector name (see the detectors below)."),
    "description": Option(str, "", "Free text shown in the email."),
    "query": Option(str, "", "Query-language scope, AND-ed with the field filters."),
    **{f: Option(list, [], f"Only posts with this {f} (a value or a list of values, OR-ed).") for f in SCOPE_FIELDS},
    "recipients": Option(list, [], "Email addresses; empty: the rule is evaluated and kept in history only."),
    "cooldown": Option("duration", "2h", "Quiet period after an alert; doubles while the condition keeps holding."),
    "max_cooldown": Option("duration", "24h", "Longest quiet period."),
    "language": Option(str, "", "Email language (id or en); empty: config alerts.language.", one_of("", "id", "en")),
    "digest": Option(bool, True, "Include this rule's agency in the recipients' daily digest."),
    "enabled": Option(bool, True, "false keeps the rule in the file but never evaluates it."),
}


@dataclass(frozen=True)
class Scope:
    """What a rule watches: a query-language string and field filters (values OR-ed per field)."""

    query: str = ""
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def text(self) -> str:
        """The scope as one query-language string: what the dashboard link searches."""
        parts = [f"({self.query})" if self.query and self.filters else self.query] if self.query else []
        for name, values in self.filters:
            terms = [f"{name}:{_quote(v)}" for v in values]
            parts.append(terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")")
        return " ".join(parts)

    @property
    def key(self) -> str:
        return hashlib.blake2b(self.text().encode(), digest_size=6).hexdigest()

    def value(self, name: str) -> tuple[str, ...]:
        return dict(self.filters).get(name, ())


def _quote(value: str) -> str:
    return value if re.fullmatch(r"[\w.-]+", value) else '"' + value.replace('"', "") + '"'


@dataclass(frozen=True)
class Rule:
    name: str
    detector: Detector
    scope: Scope
    recipients: tuple[str, ...] = ()
    cooldown: timedelta = timedelta(hours=2)
    max_cooldown: timedelta = timedelta(hours=24)
    language: str = ""
    description: str = ""
    digest: bool = True
    enabled: bool = True
    source: str = field(default="(defaults)", compare=False)

    @property
    def agencies(self) -> tuple[str, ...]:
        return self.scope.value("agency")


def load_rules(path: str | Path) -> list[Rule]:
    """Rules from one TOML file or every ``*.toml`` of a folder (sorted); names must be unique.

    A folder without rule files holds no rules (the dashboard creates them there).
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.toml"))
    elif path.is_file():
        files = [path]
    else:
        raise AlertRuleError(str(path), "-", "(file)", "not found; set alerts.rules to a rule file or folder, or leave it empty for the defaults")
    rules: list[Rule] = []
    for file in files:
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise AlertRuleError(str(file), "-", "(file)", f"cannot read: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise AlertRuleError(str(file), "-", "(syntax)", f"not valid TOML: {exc}") from None
        rules.extend(parse_rules(data, str(file)))
    return check_unique(rules)


def check_unique(rules: list[Rule]) -> list[Rule]:
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.name in seen:
            raise AlertRuleError(rule.source, rule.name, "name", f"duplicate rule name (also in {seen[rule.name]})")
        seen[rule.name] = rule.source
    return rules


def parse_rules(data: dict[str, Any], file: str) -> list[Rule]:
    """The ``[[rule]]`` tables of one parsed TOML document."""
    unknown = sorted(set(data) - {"rule"})
    if unknown:
        raise AlertRuleError(file, "-", unknown[0], "unknown top-level key; rules are [[rule]] tables")
    tables = data.get("rule", [])
    if not isinstance(tables, list) or not tables:
        raise AlertRuleError(file, "-", "rule", "expected one or more [[rule]] tables")
    return [parse_rule(table, file, index) for index, table in enumerate(tables, start=1)]


def parse_rule(table: dict[str, Any], file: str = "(inline)", index: int = 1) -> Rule:
    """One rule from a dict; checks the rule's keys, then the detector's declared options."""
    name = table.get("name")
    label = name if isinstance(name, str) and name else f"#{index}"
    for required in ("name", "detector"):
        if not isinstance(table.get(required), str) or not table[required].strip():
            raise AlertRuleError(file, label, required, "required: a non-empty string")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise AlertRuleError(file, label, "name", "use letters, digits, '-', '_' and '.' only")
    cls = DETECTORS.get(table["detector"])
    if cls is None:
        raise AlertRuleError(file, label, "detector", f"unknown detector {table['detector']!r}; known: {', '.join(sorted(DETECTORS))}")
    declared = cls.declared()
    values: dict[str, Any] = {}
    options: dict[str, Any] = {}
    for key, raw in table.items():
        spec = RULE_KEYS.get(key) or declared.get(key)
        if spec is None:
            known = ", ".join(sorted(set(RULE_KEYS) | set(declared)))
            raise AlertRuleError(file, label, key, f"unknown key for detector {cls.name}; known: {known}")
        if key in ("name", "detector"):
            continue
        try:
            value = spec.coerce(raw)
        except ValueError as exc:
            raise AlertRuleError(file, label, key, str(exc)) from None
        (values if key in RULE_KEYS else options)[key] = value
    for key, spec in declared.items():
        if spec.required and key not in options:
            raise AlertRuleError(file, label, key, f"required by detector {cls.name}: {spec.help}")
    for address in values.get("recipients", []):
        if not _EMAIL.fullmatch(address):
            raise AlertRuleError(file, label, "recipients", f"not an email address: {address!r}")
    if values.get("query"):
        _check_query(values["query"], file, label)
    for scope_field in SCOPE_FIELDS:
        for value in values.get(scope_field, []):
            _check_query(f"{scope_field}:{_quote(value)}", file, label, key=scope_field)
    scope = Scope(values.get("query", ""), tuple((f, tuple(values[f])) for f in SCOPE_FIELDS if values.get(f)))
    cooldown = values.get("cooldown") or RULE_KEYS["cooldown"].coerce(RULE_KEYS["cooldown"].default)
    max_cooldown = values.get("max_cooldown") or RULE_KEYS["max_cooldown"].coerce(RULE_KEYS["max_cooldown"].default)
    if max_cooldown < cooldown:
        raise AlertRuleError(file, label, "max_cooldown", "must be at least the cooldown")
    return Rule(name=name, detector=cls(**options), scope=scope, recipients=tuple(values.get("recipients", ())),
                cooldown=cooldown, max_cooldown=max_cooldown, language=values.get("language", ""),
                description=values.get("description", ""), digest=values.get("digest", True),
                enabled=values.get("enabled", True), source=file)


def _check_query(text: str, file: str, label: str, key: str = "query") -> None:
    from indexer.query import DateRange, QuerySyntaxError, parse, walk

    try:
        tree = parse(text)
    except QuerySyntaxError as exc:
        raise AlertRuleError(file, label, key, f"expected {exc.expected}" if key != "query" else
                             f"at {exc.position}: expected {exc.expected}") from None
    if any(isinstance(node, DateRange) for node in walk(tree)):
        raise AlertRuleError(file, label, "query", "since:/until: have no place in a rule; the detector's window sets the time")
