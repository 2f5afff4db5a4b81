"""CLI subcommands: each module exposes a click ``command``, found by :func:`discover`."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import click


def discover(package: ModuleType) -> list[click.Command]:
    """The ``command`` of every module in ``package``, sorted by name."""
    found = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        command = getattr(module, "command", None)
        if isinstance(command, click.Command):
            found.append(command)
    return sorted(found, key=lambda c: c.name or "")
