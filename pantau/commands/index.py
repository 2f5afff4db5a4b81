"""``pantau index rebuild|stats|prune``: look after the index of tagged posts."""

from __future__ import annotations

import click

from pantau.errors import PantauError
from pantau.shell import AppContext, pass_app


@click.group(name="index")
def command() -> None:
    """The index of tagged posts (embedded tantivy + SQLite, or Elasticsearch)."""


@command.command()
@pass_app
def rebuild(app: AppContext) -> None:
    """Reindex every stored post from its record (after an upgrade or a damaged index)."""
    from indexer.factory import open_store
    from indexer.store import Rebuildable
    from pantau.progress import progress_bar

    with open_store(app.config) as store:
        if not isinstance(store, Rebuildable):
            raise PantauError("the elasticsearch backend keeps no separate records to rebuild from; "
                              "use Elasticsearch's _reindex API to copy indices (see docs/elasticsearch.md)")
        total = store.stats().docs or None
        with progress_bar("reindexing", total, quiet=app.quiet) as bar:
            def advance(done: int, all_: int) -> None:
                bar.update(0, completed=done, total=all_)

            count = store.rebuild(advance)
    click.echo(f"reindexed {count} posts")


@command.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_app
def stats(app: AppContext, as_json: bool) -> None:
    """Posts indexed, size on disk, oldest and newest post."""
    import json
    from dataclasses import asdict

    from indexer.factory import open_store

    with open_store(app.config) as store:
        s = store.stats()
    if as_json:
        click.echo(json.dumps(asdict(s), default=str))
        return
    zone = app.config.tz
    show = lambda t: f"{t.astimezone(zone):%Y-%m-%d %H:%M %Z}" if t else "-"  # noqa: E731
    click.echo(f"backend   {s.backend} (schema v{s.schema_version})\nlocation  {s.location}\nposts     {s.docs}\n"
               f"size      {s.size_bytes / 2**20:.1f} MB\noldest    {show(s.oldest)}\nnewest    {show(s.newest)}")


@command.command()
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Delete posts published more than this many days ago (default: store.retention_days).")
@pass_app
def prune(app: AppContext, days: int | None) -> None:
    """Apply the retention period: delete old posts from the index and the records."""
    from indexer.factory import open_store

    days = days or app.config.store.retention_days
    if not days:
        raise PantauError("store.retention_days is 0 (keep everything); give --days to prune anyway")
    with open_store(app.config) as store:
        click.echo(f"deleted {store.delete_older_than(days)} posts older than {days} days")
