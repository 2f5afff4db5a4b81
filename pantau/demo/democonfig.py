"""The demo's ``pantau.toml``: the real configuration, pointed at the local sample site.

Everything else stays at its default (cadences, detectors, models), so what the demo shows is
what an installation does; only what must point at loopback is set: the sources' URLs, the
SMTP server (the mail catcher, plain), the dashboard's port, and no politeness delay towards
our own sample server (the site is ours, and the demo should take seconds, not minutes).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pantau.config import Config, load_config

CONFIG_NAME = "pantau.toml"
MAIL_DOMAIN = "demo.pantau.local"
HUMAS = f"humas@{MAIL_DOMAIN}"


def head_of(agency: str) -> str:
    """The demo address of an agency head (kepala OPD)."""
    return f"kepala-{agency}@{MAIL_DOMAIN}"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value)


def render(manifest: dict[str, Any], smtp_port: int, dashboard_port: int, recipients: dict[str, list[str]]) -> str:
    src = manifest["sources"]
    tables: dict[str, dict[str, Any]] = {
        "paths": {"data_dir": "."},
        "crawl": {"download_delay_s": 0.0, "concurrency_per_domain": 8, "max_pages": 50,
                  "source_concurrency": {"playstore": 2, "youtube": 3, "mastodon": 4},
                  "contact": HUMAS, "backoff_s": 0.2, "timeout_s": 20.0},
        "sources.news": {"enabled": True, **src["news"]},
        "sources.playstore": {"enabled": True, **src["playstore"]},
        "sources.youtube": {"enabled": True, "api_key": "demo-key-for-the-local-sample", **src["youtube"]},
        "sources.mastodon": {"enabled": True, **src["mastodon"]},
        "sources.bluesky": {"enabled": False},
        "sources.x": {"enabled": False},
        "smtp": {"host": "127.0.0.1", "port": smtp_port, "security": "plain", "username": "",
                 "sender": f"Pantau Demo <pantau@{MAIL_DOMAIN}>", "timeout_s": 10.0},
        "alerts": {"dashboard_url": f"http://127.0.0.1:{dashboard_port}", "recipients": recipients},
        "dashboard": {"host": "127.0.0.1", "port": dashboard_port, "secure_cookies": False},
    }
    lines = ["# Written by `pantau demo`: the sample site, the mail catcher and the dashboard on loopback.",
             "# Every setting not listed here is Pantau's default."]
    for table, values in tables.items():
        lines.append(f"\n[{table}]")
        lines.extend(f"{key} = {_toml(value)}" for key, value in values.items())
    return "\n".join(lines) + "\n"


def write_config(data_dir: Path, manifest: dict[str, Any], smtp_port: int, dashboard_port: int) -> Config:
    """Write ``<data_dir>/pantau.toml`` with one recipient per agency plus humas, and load it."""
    path = data_dir / CONFIG_NAME
    path.write_text(render(manifest, smtp_port, dashboard_port, {"*": [HUMAS]}), encoding="utf-8")
    from alerts.defaults import agency_names

    agencies = agency_names(load_config(path, env={}))
    recipients = {"*": [HUMAS], **{slug: [head_of(slug)] for slug in agencies}}
    path.write_text(render(manifest, smtp_port, dashboard_port, recipients), encoding="utf-8")
    return load_config(path, env={})
