"""``pantau run``: the monitor as a long-running service."""

from __future__ import annotations

import click

from pantau.shell import AppContext, pass_app


@click.command(name="run")
@click.option("--no-serve", is_flag=True, help="Do not start the dashboard (e.g. when it runs elsewhere).")
@pass_app
def command(app: AppContext, no_serve: bool) -> None:
    """Crawl on schedule, tag and index continuously, check alerts, serve the dashboard.

    One instance per data directory. SIGTERM or Ctrl-C finishes the batch in hand and exits.
    """
    from indexer.factory import open_store
    from nlp.tagger import Tagger
    from pantau.scheduler import Daemon, cli_prefix

    cfg = app.config
    with open_store(cfg) as store:
        daemon = Daemon(cfg, lambda: Tagger.from_config(cfg), store, cli_prefix(app.config_path), serve=not no_serve)
        daemon.run()
