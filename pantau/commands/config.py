"""``pantau config check|show|example``."""

from __future__ import annotations

import json

import click

from pantau.config import ConfigError, example_toml, load_config, redacted
from pantau.shell import AppContext, pass_app


@click.group(name="config")
def command() -> None:
    """Check, show or write the configuration."""


@command.command()
@pass_app
def check(app: AppContext) -> None:
    """Validate the config: every problem with its file line, exit 1 when any."""
    try:
        cfg = load_config(app.config_path)
    except ConfigError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(exc.problems)} problem(s) found", err=True)
        raise SystemExit(1) from None
    click.echo(f"ok: {cfg.source or 'built-in defaults (no config file)'}")


@command.command()
@pass_app
def show(app: AppContext) -> None:
    """Print the effective settings as JSON, secrets masked."""
    click.echo(json.dumps(redacted(app.config), indent=2, ensure_ascii=False, default=str))


@command.command()
def example() -> None:
    """Print a commented example pantau.toml with every setting and its default."""
    click.echo(example_toml(), nl=False)
