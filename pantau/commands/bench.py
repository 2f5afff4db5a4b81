"""``pantau bench ...``: speed and accuracy figures as JSON (never timed unit tests)."""

from __future__ import annotations

import click

import pantau.benches
from pantau.commands import discover


@click.group(name="bench")
def command() -> None:
    """Measure speed and accuracy; each benchmark prints one JSON object."""


def _register() -> None:
    for bench in discover(pantau.benches):
        command.add_command(bench)


_register()
