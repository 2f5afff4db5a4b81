"""What every CLI command shares: the config (loaded once, on first use) and the verbosity."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from pantau.config import Config, load_config


@dataclass
class AppContext:
    config_path: str | None = None
    verbose: bool = False
    quiet: bool = False
    _config: Config | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config

    def data_path(self, *parts: str) -> Path:
        """A path inside the data directory, which is created on first use."""
        base = self.config.data_dir
        base.mkdir(parents=True, exist_ok=True)
        return base.joinpath(*parts)


pass_app = click.make_pass_decorator(AppContext)
