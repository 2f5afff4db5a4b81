"""``pantau demo``: the whole monitor, offline, on the bundled sample, in one command."""

from __future__ import annotations

from pathlib import Path

import click

from pantau.shell import AppContext, pass_app

DEFAULT_DIR = "pantau-demo"


@click.command(name="demo")
@click.option("--port", type=int, default=None, help="Dashboard port (default: 8080, or a free one when 8080 is taken).")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=Path(DEFAULT_DIR), show_default=True,
              help="Where the demo keeps its sample site, config, spool, store, mail and users.")
@click.option("--no-serve", is_flag=True, help="Stop after the alerts instead of serving the dashboard.")
@pass_app
def command(app: AppContext, port: int | None, data_dir: Path, no_serve: bool) -> None:
    """Generate the sample site (1,900 posts over 60 days, two planted complaint spikes), serve
    it on 127.0.0.1, crawl it with the real spiders, tag and index the posts, send the alerts to
    a local mail catcher, create a login and serve the dashboard. Nothing leaves this machine."""
    from pantau.demo.console import run_demo

    run_demo(data_dir, port, serve=not no_serve, quiet=app.quiet, verbose=app.verbose)
