"""Default rules generated from the taxonomy, so a new install alerts without hand-written rules.

Per agency: a volume spike and emerging terms on complaints or negative posts about the agency
(counted in unique voices), and a negative-share spike on all its posts. One province-wide
watch-terms rule on ``taxonomy.watch_terms``. Recipients come from ``alerts.recipients``
(agency slug -> addresses, ``"*"`` for all).
"""

from __future__ import annotations

from pathlib import Path

from alerts.rules import Rule, check_unique, load_rules, parse_rule
from pantau.config import Config

COMPLAINTS = "kind:complaint OR sentiment:negative"


def default_rules(cfg: Config, agencies: dict[str, str]) -> list[Rule]:
    """``agencies``: slug -> short name, in taxonomy order."""
    everyone = cfg.alerts.recipients.get("*", [])
    rules: list[Rule] = []
    for slug, short in agencies.items():
        recipients = list(dict.fromkeys([*cfg.alerts.recipients.get(slug, []), *everyone]))
        common = {"agency": slug, "recipients": recipients}
        tables = [
            {"name": f"{slug}-volume", "detector": "volume_spike", "query": COMPLAINTS,
             "description": f"Keluhan tentang {short} melonjak dibanding jam yang sama pada minggu-minggu sebelumnya.", **common},
            {"name": f"{slug}-negative", "detector": "negative_share",
             "description": f"Porsi unggahan negatif tentang {short} naik tajam.", **common},
            {"name": f"{slug}-emerging", "detector": "emerging_terms", "query": COMPLAINTS, "cooldown": "6h",
             "description": f"Kata baru menonjol dalam keluhan tentang {short}.", "digest": False, **common},
        ]
        rules.extend(parse_rule(t, "(defaults)") for t in tables)
    if cfg.taxonomy.watch_terms:
        rules.append(parse_rule({"name": "watch-terms", "detector": "watch_terms", "terms": cfg.taxonomy.watch_terms,
                                 "recipients": everyone, "digest": False, "window": "6h",
                                 "description": "Unggahan yang menyebut kata pantauan kritis."}, "(defaults)"))
    return check_unique(rules)


def agency_names(cfg: Config) -> dict[str, str]:
    from nlp.taxonomy import Taxonomy

    return {slug: agency.short or agency.name for slug, agency in Taxonomy.from_config(cfg).agencies.items()}


def effective_rules(cfg: Config, agencies: dict[str, str] | None = None) -> list[Rule]:
    """The rules in force: the file or folder of ``alerts.rules``, else the defaults."""
    if cfg.alerts.rules:
        path = Path(cfg.alerts.rules).expanduser()
        if not path.is_absolute() and cfg.source is not None:
            path = cfg.source.parent / path
        return load_rules(path)
    return default_rules(cfg, agencies if agencies is not None else agency_names(cfg))
