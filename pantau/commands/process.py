"""``pantau process``: tag and index what the spool holds, then stop."""

from __future__ import annotations

import click

from pantau.shell import AppContext, pass_app
from pantau.spool import Spool


@click.command(name="process")
@click.option("--batch-size", type=int, default=None, help="Posts per batch (default: model.batch_size).")
@pass_app
def command(app: AppContext, batch_size: int | None) -> None:
    """Drain the spool: tag each batch of crawled posts and index it, acknowledging only
    after the index committed (safe to interrupt and run again)."""
    from indexer.factory import open_store
    from nlp.tagger import Tagger
    from pantau.lock import DataDirLock
    from pantau.pipeline import drain
    from pantau.progress import progress_bar

    cfg = app.config
    size = batch_size or cfg.model.batch_size
    with DataDirLock(cfg.data_dir), Spool(app.data_path("spool.sqlite3")) as spool, open_store(cfg) as store:
        spool.release_claims()
        tagger = Tagger.from_config(cfg)
        with progress_bar("tagging and indexing", spool.stats().pending, quiet=app.quiet) as bar:
            total = drain(spool, tagger, store, size, on_batch=lambda n: bar.advance(0, n))
        dead = spool.stats().dead
    click.echo(f"indexed {total} posts" + (f"; {dead} posts dead-lettered (see `pantau spool status`)" if dead else ""))
