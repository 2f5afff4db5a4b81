"""Default rules generated from the taxonomy, so a new install alerts without hand-written rules.

Per agency: a volume spike and emerging terms on complaints or negative posts about the agency
(counted in unique voices), and a negative-share spike on all its posts. One province-wide
watch-terms rule on ``taxonomy.watch_terms``. Recipients come from ``alerts.recipients``
(agency slug -> addresses, ``"*"`` for all).

With ``alerts.rules`` empty, the rules in force are these generated ones plus the rules the
dashboard manages in ``<data_dir>/alert-rules/``; a managed rule with a generated rule's name
replaces it (that is how a default rule is edited or muted from the dashboard).
"""

from __future__ import annotations

from pathlib import Path

from alerts.rules import Rule, check_unique, load_rules, parse_rule
from pantau.config import Config

COMPLAINTS = "kind:complaint OR sentiment:negative"
MANAGED_DIR = "alert-rules"


def default_rules(cfg: Config, agencies: dict[str, str]) -> list[Rule]:
    """``agencies``: slug -> short name, in taxonomy order."""
    return check_unique([parse_rule(t, "(defaults)") for t in default_rule_tables(cfg, agencies)])


def default_rule_tables(cfg: Config, agencies: dict[str, str]) -> list[dict]:
    """The generated rules as ``[[rule]]`` tables (the dashboard copies one to edit or mute it)."""
    everyone = cfg.alerts.recipients.get("*", [])
    tables: list[dict] = []
    for slug, short in agencies.items():
        recipients = list(dict.fromkeys([*cfg.alerts.recipients.get(slug, []), *everyone]))
        common = {"agency": slug, "recipients": recipients}
        tables.extend([
            {"name": f"{slug}-volume", "detector": "volume_spike", "query": COMPLAINTS,
             "description": f"Keluhan tentang {short} melonjak dibanding jam yang sama pada minggu-minggu sebelumnya.", **common},
            {"name": f"{slug}-negative", "detector": "negative_share",
             "description": f"Porsi unggahan negatif tentang {short} naik tajam.", **common},
            {"name": f"{slug}-emerging", "detector": "emerging_terms", "query": COMPLAINTS, "cooldown": "6h",
             "description": f"Kata baru menonjol dalam keluhan tentang {short}.", "digest": False, **common},
        ])
    if cfg.taxonomy.watch_terms:
        tables.append({"name": "watch-terms", "detector": "watch_terms", "terms": list(cfg.taxonomy.watch_terms),
                       "recipients": everyone, "digest": False, "window": "6h",
                       "description": "Unggahan yang menyebut kata pantauan kritis."})
    return tables


def agency_names(cfg: Config) -> dict[str, str]:
    from nlp.taxonomy import Taxonomy

    return {slug: agency.short or agency.name for slug, agency in Taxonomy.from_config(cfg).agencies.items()}


def managed_rules_dir(cfg: Config) -> Path:
    """Where the dashboard keeps the rules it manages when ``alerts.rules`` is empty."""
    return cfg.data_dir / MANAGED_DIR


def effective_rules(cfg: Config, agencies: dict[str, str] | None = None) -> list[Rule]:
    """The rules in force: the file or folder of ``alerts.rules``; else the generated defaults
    together with the dashboard-managed rules, which replace defaults of the same name."""
    if cfg.alerts.rules:
        path = Path(cfg.alerts.rules).expanduser()
        if not path.is_absolute() and cfg.source is not None:
            path = cfg.source.parent / path
        return load_rules(path)
    generated = default_rules(cfg, agencies if agencies is not None else agency_names(cfg))
    folder = managed_rules_dir(cfg)
    managed = load_rules(folder) if folder.is_dir() else []
    replaced = {rule.name for rule in managed}
    return check_unique([r for r in generated if r.name not in replaced] + managed)
